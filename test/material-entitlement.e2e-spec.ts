import TestAgent from 'supertest/lib/agent';
import { sha256 } from 'src/common/sha256';
import { MaterialDownloadsService } from 'src/materials/material-downloads.service';
import { generateSampleMaterialPdf } from 'src/materials/sample-material-pdf';
import { CohortSetup, cohortSetup, createCohort } from './support/cohort-factory';
import { eventually } from './support/eventually';
import { asBytes, readPdf } from './support/pdf';
import { TestApp, TestUser } from './support/test-app';

interface Held {
  material: { id: string; code: string };
  edition: { id: string; label: string };
  canDownload: boolean;
  downloads: number;
  lastDownload: { copyNumber: number; editionLabel: string } | null;
  newerEdition: { id: string; label: string } | null;
}

describe('Licensed materials: entitlement, personalised downloads and tracing', () => {
  let t: TestApp;
  let admin: TestAgent;
  let setup: CohortSetup;
  let handbook: { id: string };
  let guide: { id: string };
  let supervisionHandbook: { id: string };

  const addMaterial = async (body: Record<string, unknown>) =>
    (await admin.post('/api/v1/materials').send(body).expect(201)).body as { id: string };

  const uploadEdition = async (materialId: string, label: string, pages = 4) =>
    (
      await admin
        .post(`/api/v1/materials/${materialId}/editions`)
        .set('X-Requested-With', 'test')
        .field('label', label)
        .field('notes', `Notes for ${label}`)
        .attach(
          'file',
          Buffer.from(
            await generateSampleMaterialPdf({ title: 'Sample', code: 'S', editionLabel: label, pages }),
          ),
          { filename: 'edition.pdf', contentType: 'application/pdf' },
        )
        .expect(201)
    ).body as { id: string };

  const held = async (agent: TestAgent) =>
    (await agent.get('/api/v1/me/materials').expect(200)).body as Held[];

  const holds = (agent: TestAgent, materialId: string, editionId: string) =>
    eventually(`a licence to edition ${editionId}`, async () =>
      (await held(agent)).find((row) => row.material.id === materialId && row.edition.id === editionId),
    );

  const mailTo = (user: TestUser, subject: RegExp) =>
    eventually(`an e-mail to ${user.email} about ${subject}`, async () =>
      t.smtp.messages.find((mail) => mail.to.includes(user.email) && subject.test(mail.subject)),
    );

  const download = (agent: TestAgent, materialId: string, query = '') =>
    asBytes(agent.get(`/api/v1/materials/${materialId}/download${query}`));

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.signedIn(await t.newUser(['admin']));
    setup = await cohortSetup(t);
    handbook = await addMaterial({
      code: 'RPH',
      title: 'Reflective Practice Handbook',
      kind: 'handbook',
      courseCodes: ['foundation'],
      audience: ['trainee'],
    });
    guide = await addMaterial({
      code: 'FFG',
      title: 'Foundation Facilitator Guide',
      kind: 'manual',
      courseCodes: ['foundation'],
      audience: ['facilitator'],
    });
    supervisionHandbook = await addMaterial({
      code: 'SUP',
      title: 'Supervision Handbook',
      kind: 'handbook',
      courseCodes: ['supervision'],
      audience: ['supervisor'],
    });
    await uploadEdition(handbook.id, '1st edition');
    await uploadEdition(guide.id, '1st edition');
    await uploadEdition(supervisionHandbook.id, '1st edition');
  });

  afterAll(async () => {
    await t.close();
  });

  it('licenses a confirmed place and a promotion from the waiting list, not a waiting-list position', async () => {
    const cohort = await createCohort(setup, { capacity: 1, daysFromNow: 20 });
    const [first, waiting] = [await t.newUser(['trainee']), await t.newUser(['trainee'])];
    const placed = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: first.id })
      .expect(201);
    await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: waiting.id })
      .expect(201);
    const [firstAgent, waitingAgent] = [await t.signedIn(first), await t.signedIn(waiting)];
    const [licensed] = await Promise.all([
      eventually('the first trainee licensed', async () => (await held(firstAgent))[0]),
      mailTo(first, /Reflective Practice Handbook is ready/),
    ]);
    expect(licensed).toMatchObject({ material: { code: 'RPH' }, canDownload: true, newerEdition: null });
    // A facilitator material, or another course's, is not a trainee's.
    expect((await held(firstAgent)).map((row) => row.material.code)).toEqual(['RPH']);
    expect(await held(waitingAgent)).toEqual([]);

    await setup.leadAgent.delete(`/api/v1/cohorts/${cohort.id}/enrolments/${placed.body.id}`).expect(200);
    await eventually('the promoted trainee licensed', async () => (await held(waitingAgent))[0]);
    await mailTo(waiting, /ready to download/);
    const withdrawn = await eventually('the withdrawn licence', async () =>
      (await held(firstAgent)).find((row) => !row.canDownload),
    );
    expect(withdrawn.material.code).toBe('RPH');
    const refused = await firstAgent.get(`/api/v1/materials/${handbook.id}/download`).expect(403);
    expect(refused.body.message).toMatch(/cannot download it again/);

    const page = (await firstAgent.get('/my/materials').expect(200)).text;
    expect(page).toContain('Reflective Practice Handbook');
    expect(page).toContain('Licence ended');
    expect(page).not.toContain(`/api/v1/materials/${handbook.id}/download`);
    const promotedPage = (await waitingAgent.get('/my/materials').expect(200)).text;
    expect(promotedPage).toContain(`href="/api/v1/materials/${handbook.id}/download"`);
    expect(promotedPage).toContain('None downloaded yet');
  });

  it('licenses facilitator materials to a cohort’s facilitators, and takes them back when one is removed', async () => {
    const [kept, removed] = setup.facilitators;
    const cohort = await createCohort(setup, { daysFromNow: 40, facilitatorIds: [kept.id] });
    await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/facilitators`)
      .send({ userId: removed.id, role: 'co' })
      .expect(201);
    const [keptAgent, removedAgent] = [await t.signedIn(kept), await t.signedIn(removed)];
    for (const agent of [keptAgent, removedAgent])
      await eventually('a facilitator licensed', async () =>
        (await held(agent)).find((row) => row.material.code === 'FFG' && row.canDownload),
      );
    expect((await held(keptAgent)).map((row) => row.material.code)).not.toContain('RPH');
    await setup.leadAgent.delete(`/api/v1/cohorts/${cohort.id}/facilitators/${removed.id}`).expect(200);
    await eventually('the removed facilitator’s licence withdrawn', async () =>
      (await held(removedAgent)).every((row) => !row.canDownload),
    );
    await download(keptAgent, guide.id).expect(200);
  });

  it('stamps every page of a download for its holder, records it in the ledger and traces it by its hash', async () => {
    const cohort = await createCohort(setup, { daysFromNow: 50 });
    const trainee = await t.newUser(['trainee'], { name: 'Nguyễn Thị Mai' });
    await setup.leadAgent.post(`/api/v1/cohorts/${cohort.id}/enrolments`).send({ traineeId: trainee.id });
    const agent = await t.signedIn(trainee);
    await eventually('the trainee licensed', async () => (await held(agent))[0]);

    const first = await download(agent, handbook.id)
      .expect(200)
      .expect('content-type', 'application/pdf')
      .expect('content-disposition', /attachment; filename="RPH-1st-edition-copy-\d+\.pdf"/);
    await download(agent, handbook.id).expect(200);
    // The ledger records a copy's hash once its last byte has gone, which is just after the reader has it.
    const [copyA, copyB] = await eventually('both copies in the ledger', async () => {
      const copies = await t.dataSource.query(
        `SELECT c.copy_number, c.stamp, c.sha256, c.size_bytes, c.completed_at
           FROM material_copies c JOIN material_issues i ON i.id = c.issue_id
          WHERE i.holder_id = $1 ORDER BY c.copy_number`,
        [trainee.id],
      );
      return copies.every((copy: { sha256: string | null }) => copy.sha256) && copies;
    });
    expect(copyB.copy_number).toBe(copyA.copy_number + 1);
    expect(copyA.sha256).toBe(sha256(first.body as Buffer));
    expect(copyA.size_bytes).toBe((first.body as Buffer).length);
    expect(copyB.sha256).not.toBe(copyA.sha256);
    expect(copyA.stamp).toMatch(/^Licensed to Nguyễn Thị Mai · Cohort \d+ · /);
    expect(copyA.stamp).toMatch(new RegExp(`copy ${copyA.copy_number}$`));

    const { pages, info } = readPdf(first.body as Buffer);
    expect(pages).toHaveLength(4);
    for (const page of pages) expect(page.replace(/\s+/g, ' ')).toContain(copyA.stamp);
    expect(info).toContain('Nguyễn Thị Mai');

    const audit = await admin.get(`/api/v1/audit-events?action=material.downloaded&subjectId=${handbook.id}`);
    expect(audit.body.events.map((event: { details: { sha256: string } }) => event.details.sha256)).toEqual(
      expect.arrayContaining([copyA.sha256, copyB.sha256]),
    );

    const traced = await admin.get(`/api/v1/materials/copies/${copyA.sha256.toUpperCase()}`).expect(200);
    expect(traced.body).toMatchObject({
      copyNumber: copyA.copy_number,
      stamp: copyA.stamp,
      holder: { id: trainee.id, name: 'Nguyễn Thị Mai' },
      cohort: { id: cohort.id },
      material: { code: 'RPH' },
      edition: { label: '1st edition' },
    });
    await admin.get(`/api/v1/materials/copies/${'0'.repeat(64)}`).expect(404);
    const malformed = await admin.get('/api/v1/materials/copies/not-a-hash').expect(400);
    expect(malformed.body.errors).toHaveProperty('hash');
    await setup.leadAgent.get(`/api/v1/materials/copies/${copyA.sha256}`).expect(403);

    const issues = await setup.leadAgent.get(`/api/v1/materials/${handbook.id}/issues`).expect(200);
    const mine = issues.body.find((issue: { holder: { id: string } }) => issue.holder.id === trainee.id);
    expect(mine.copies.map((copy: { sha256: string }) => copy.sha256)).toEqual([copyA.sha256, copyB.sha256]);
    const otherLead = await t.signedIn(
      await t.newUser(['training_lead'], { organisationId: (await t.newOrganisation()).id }),
    );
    expect((await otherLead.get(`/api/v1/materials/${handbook.id}/issues`).expect(200)).body).toEqual([]);
    await agent.get(`/api/v1/materials/${handbook.id}/issues`).expect(403);
  });

  it('numbers copies downloaded at once one after another, and records a copy cut off as interrupted', async () => {
    const cohort = await createCohort(setup, { daysFromNow: 55 });
    const trainee = await t.newUser(['trainee']);
    await setup.leadAgent.post(`/api/v1/cohorts/${cohort.id}/enrolments`).send({ traineeId: trainee.id });
    const agent = await t.signedIn(trainee);
    await eventually('the trainee licensed', async () => (await held(agent))[0]);
    const answers = await Promise.all(Array.from({ length: 6 }, () => download(agent, handbook.id)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(200));
    const numbers = answers.map((answer) =>
      Number(/copy-(\d+)\.pdf/.exec(String(answer.headers['content-disposition']))![1]),
    );
    expect(new Set(numbers).size).toBe(6);
    expect(Math.max(...numbers) - Math.min(...numbers)).toBe(5);

    // The reader goes away after the first chunk of a long manual: no hash is recorded for a copy nobody received
    // whole. (The manual's first edition reaches the trainee as someone on a running cohort of its course.)
    const manual = await addMaterial({
      code: 'LONG',
      title: 'Long Manual',
      kind: 'manual',
      courseCodes: ['foundation'],
      audience: ['trainee'],
    });
    await holds(agent, manual.id, (await uploadEdition(manual.id, '1st edition', 150)).id);
    const downloads = t.app.get(MaterialDownloadsService);
    const copy = await downloads.prepare(trainee, manual.id);
    const { stream, recorded } = await downloads.open(copy);
    await new Promise<void>((resolve) =>
      stream.once('data', () => {
        stream.pause();
        resolve();
      }),
    );
    stream.destroy();
    await recorded;
    const [row] = await t.dataSource.query(`SELECT completed_at, sha256 FROM material_copies WHERE id = $1`, [
      copy.copyId,
    ]);
    expect(row).toEqual({ completed_at: null, sha256: null });
    const interrupted = await admin.get(
      `/api/v1/audit-events?action=material.download_interrupted&subjectId=${manual.id}`,
    );
    expect(interrupted.body.events[0].details).toMatchObject({ copyId: copy.copyId });
  });

  it('refuses a download to someone it is not licensed to, and says which material is unknown', async () => {
    const stranger = await t.signedIn(await t.newUser(['trainee'], { name: 'Stranger Danger' }));
    const refused = await stranger.get(`/api/v1/materials/${handbook.id}/download`).expect(403);
    expect(refused.body.message).toMatch(/not licensed to you/);
    await stranger.get('/api/v1/materials/00000000-0000-4000-8000-000000000000/download').expect(404);
    await stranger.get(`/api/v1/materials/${handbook.id}/download?edition=nope`).expect(400);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM material_copies WHERE stamp LIKE '%Stranger Danger%'`,
    );
    expect(count).toBe(0);
  });

  it('gives a new current edition to everyone who holds the material, tells them, and keeps the old one theirs', async () => {
    const material = await addMaterial({
      code: 'WS-1',
      title: 'Helping Process Worksheets',
      kind: 'worksheet',
      courseCodes: ['foundation'],
      audience: ['trainee'],
    });
    const cohort = await createCohort(setup, { daysFromNow: 60 });
    const [holder, leaver] = [await t.newUser(['trainee']), await t.newUser(['trainee'])];
    const enrolments: Record<string, string> = {};
    for (const trainee of [holder, leaver])
      enrolments[trainee.id] = (
        await setup.leadAgent
          .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
          .send({ traineeId: trainee.id })
          .expect(201)
      ).body.id;
    const [holderAgent, leaverAgent] = [await t.signedIn(holder), await t.signedIn(leaver)];
    // The material's first edition reaches people already on a running cohort of its course.
    const first = await uploadEdition(material.id, '2023 printing');
    await holds(holderAgent, material.id, first.id);
    await holds(leaverAgent, material.id, first.id);
    await download(holderAgent, material.id).expect(200);
    await setup.leadAgent
      .delete(`/api/v1/cohorts/${cohort.id}/enrolments/${enrolments[leaver.id]}`)
      .expect(200);
    await eventually('the leaver’s licence withdrawn', async () =>
      (await held(leaverAgent)).some((row) => row.material.id === material.id && !row.canDownload),
    );

    const second = await uploadEdition(material.id, '2024 revision');
    await mailTo(holder, /A new edition of the Helping Process Worksheets is ready/);
    const now = await holds(holderAgent, material.id, second.id);
    expect(now).toMatchObject({
      lastDownload: { editionLabel: '2023 printing' },
      newerEdition: { id: second.id, label: '2024 revision' },
    });
    expect((await holderAgent.get('/my/materials').expect(200)).text).toMatch(
      /New edition<\/strong> <span class="govuk-body-s">2024 revision replaces the edition you downloaded/,
    );
    const leaverRow = (await held(leaverAgent)).find((row) => row.material.id === material.id)!;
    expect(leaverRow).toMatchObject({
      edition: { id: first.id },
      canDownload: false,
      newerEdition: { id: second.id },
    });

    await download(holderAgent, material.id)
      .expect(200)
      .expect('content-disposition', /2024-revision-copy-1\.pdf/);
    await eventually('the new edition downloaded', async () =>
      (await held(holderAgent)).some((row) => row.material.id === material.id && row.newerEdition === null),
    );
    await download(holderAgent, material.id, `?edition=${first.id}`)
      .expect(200)
      .expect('content-disposition', /2023-printing-copy-2\.pdf/);
    await download(leaverAgent, material.id).expect(403);
    await download(leaverAgent, material.id, `?edition=${second.id}`).expect(403);
  });

  it('ends the licences given through a cohort that is cancelled', async () => {
    const cohort = await createCohort(setup, { daysFromNow: 80, facilitatorIds: [setup.facilitators[0].id] });
    const trainee = await t.newUser(['trainee']);
    await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: trainee.id })
      .expect(201);
    const agent = await t.signedIn(trainee);
    await eventually('the trainee licensed', async () => (await held(agent))[0]);
    await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'cancelled' }).expect(200);
    await eventually('the licence ended', async () => (await held(agent)).every((row) => !row.canDownload));
    const [{ open }] = await t.dataSource.query(
      `SELECT count(*)::int AS open FROM material_issues WHERE cohort_id = $1 AND withdrawn_at IS NULL`,
      [cohort.id],
    );
    expect(open).toBe(0);
  });

  it('licenses the Supervision course’s trainees the materials for supervisors', async () => {
    const supervision = await createCohort(setup, { courseCode: 'supervision', daysFromNow: 70 });
    const trainee = await t.newUser(['trainee']);
    await t.dataSource.query(
      `INSERT INTO enrolments (cohort_id, trainee_id, status, enrolled_at) VALUES ($1, $2, 'enrolled', now())`,
      [supervision.id, trainee.id],
    );
    const agent = await t.signedIn(trainee);
    // Written directly, so no event: the next edition finds them on the running cohort.
    const edition = await uploadEdition(supervisionHandbook.id, '2nd edition');
    await holds(agent, supervisionHandbook.id, edition.id);
  });
});
