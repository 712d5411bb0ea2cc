import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { cohortSetup, CohortSetup, createCohort, meetEveryRequirement } from './support/cohort-factory';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';
import { asBuffer } from './support/zip';

describe('Certificates', () => {
  let t: TestApp;
  let setup: CohortSetup;
  let cohortId: string;
  const enrolments: Record<string, string> = {};
  const trainees: Record<string, TestUser> = {};

  beforeAll(async () => {
    t = await TestApp.start({ STORAGE_DIR: mkdtempSync(join(tmpdir(), 'fpm-certificates-')) });
    setup = await cohortSetup(t);
    const cohort = await createCohort(setup, {
      daysFromNow: -10,
      count: 1,
      facilitatorIds: [setup.facilitators[0].id],
    });
    cohortId = cohort.id;
    for (const key of ['zoe', 'lukasz', 'parallel', 'unready']) {
      trainees[key] = await t.newUser(['trainee']);
      const response = await setup.leadAgent
        .post(`/api/v1/cohorts/${cohortId}/enrolments`)
        .send({ traineeId: trainees[key].id })
        .expect(201);
      enrolments[key] = response.body.id;
    }
    await t.dataSource.query(`UPDATE users SET name = 'Zoë Ní Bhriain' WHERE id = $1`, [trainees.zoe.id]);
    await t.dataSource.query(`UPDATE users SET name = 'Łukasz Wąsowski' WHERE id = $1`, [trainees.lukasz.id]);
    const facilitator = await t.signedIn(setup.facilitators[0]);
    await facilitator
      .put(`/api/v1/sessions/${cohort.sessions[0].id}/attendance`)
      .send(Object.values(enrolments).map((enrolmentId) => ({ enrolmentId, status: 'present' })))
      .expect(200);
    await meetEveryRequirement(
      t,
      ['zoe', 'lukasz', 'parallel'].map((key) => enrolments[key]),
      cohort.sessions[0].id,
      setup.facilitators[0].id,
    );
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  const issued = async (certificateId: string) => {
    for (let i = 0; i < 300; i++) {
      const [row] = await t.dataSource.query(`SELECT status, sha256 FROM certificates WHERE id = $1`, [
        certificateId,
      ]);
      if (row?.status === 'issued') return row as { status: string; sha256: string };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Certificate ${certificateId} was never made`);
  };

  /** The certificate's PDF as the lead downloads it, and a file holding it for poppler to read. */
  const downloadPdf = async (certificateId: string) => {
    const download = await setup.leadAgent
      .get(`/api/v1/certificates/${certificateId}/pdf`)
      .buffer(true)
      .parse((response, done) => asBuffer(response as unknown as IncomingMessage, done))
      .expect(200)
      .expect('content-type', 'application/pdf');
    const pdf = download.body as Buffer;
    const file = join(mkdtempSync(join(tmpdir(), 'fpm-pdf-')), 'certificate.pdf');
    writeFileSync(file, pdf);
    return { pdf, file };
  };

  it('refuses an ineligible trainee with the unmet rows, and anyone but the cohort’s lead', async () => {
    const refused = await setup.leadAgent
      .post(`/api/v1/enrolments/${enrolments.unready}/certificate`)
      .expect(422);
    expect(refused.body.code).toBe('NOT_ELIGIBLE');
    expect(refused.body.details.unmet).toEqual(
      expect.arrayContaining([
        'practice contacts: 0 of 6 accepted',
        expect.stringMatching(/^competencies: 0 of \d+/),
      ]),
    );
    const otherLead = await cohortSetup(t);
    await otherLead.leadAgent.post(`/api/v1/enrolments/${enrolments.zoe}/certificate`).expect(403);
    const trainee = await t.signedIn(trainees.zoe);
    await trainee.post(`/api/v1/enrolments/${enrolments.zoe}/certificate`).expect(403);
  });

  it('issues one certificate, makes its tagged PDF in the worker, and lets anyone verify it', async () => {
    const { body } = await setup.leadAgent
      .post(`/api/v1/enrolments/${enrolments.zoe}/certificate`)
      .expect(202);
    expect(body).toMatchObject({ status: 'queued', holderName: 'Zoë Ní Bhriain' });
    expect(body.serial).toMatch(new RegExp(`^FND-${new Date().getUTCFullYear()}-\\d{6}$`));
    const { sha256 } = await issued(body.id);

    const { pdf, file } = await downloadPdf(body.id);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(sha256);
    expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Tagged:\s+yes/);
    const text = execFileSync('pdftotext', [file, '-']).toString();
    expect(text).toContain('Zoë Ní Bhriain');
    expect(text).toContain(body.serial);

    const [{ verification_code: code }] = await t.dataSource.query(
      `SELECT verification_code FROM certificates WHERE id = $1`,
      [body.id],
    );
    expect(code).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const verified = await t.agent().get(`/api/v1/verify/${code}`).expect(200);
    expect(verified.body).toMatchObject({
      status: 'valid',
      serial: body.serial,
      holderName: 'Zoë Ní Bhriain',
    });
    expect(Object.keys(verified.body)).not.toContain('email');
    await t.agent().get('/api/v1/verify/not-a-real-code').expect(404);

    // The public page, and a visitor's copy checked against the file issued.
    const visitor = t.agent();
    const page = await visitor.get(`/verify/${code}`).expect(200);
    expect(page.text).toContain('Zoë Ní Bhriain');
    const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)![1];
    const genuine = await visitor
      .post(`/verify/${code}`)
      .field('_csrf', csrf)
      .attach('file', pdf, { filename: 'certificate.pdf', contentType: 'application/pdf' })
      .expect(200);
    expect(genuine.text).toContain('This is the file that was issued');
    const altered = Buffer.from(pdf);
    altered[altered.length - 20] ^= 1;
    const forged = await visitor
      .post(`/verify/${code}`)
      .field('_csrf', csrf)
      .attach('file', altered, { filename: 'certificate.pdf', contentType: 'application/pdf' })
      .expect(200);
    expect(forged.text).toContain('This file is not the one that was issued');
    await t.agent().get('/verify/not-a-real-code').expect(404);

    await setup.leadAgent.post(`/api/v1/enrolments/${enrolments.zoe}/certificate`).expect(409);

    // The holder is sent it once, as a PDF attachment.
    const certificateMails = () =>
      t.smtp.messages.filter(
        (m) => m.to.includes(trainees.zoe.email) && m.subject === 'Your Foundation certificate',
      );
    for (let i = 0; i < 100 && certificateMails().length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const [mail] = certificateMails();
    expect(mail.text).toContain(body.serial);
    expect(mail.attachments).toEqual([
      expect.objectContaining({ filename: `${body.serial}.pdf`, contentType: 'application/pdf' }),
    ]);
    expect(mail.attachments[0].content.equals(pdf)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(certificateMails()).toHaveLength(1);
  });

  it('never makes two certificates for one enrolment, however many requests arrive at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        setup.leadAgent.post(`/api/v1/enrolments/${enrolments.parallel}/certificate`),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409, 409, 409, 409, 409, 409, 409]);
    const rows = await t.dataSource.query(`SELECT serial FROM certificates WHERE enrolment_id = $1`, [
      enrolments.parallel,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('issues for a whole cohort in one step, saying who was skipped and why', async () => {
    const { body } = await setup.leadAgent.post(`/api/v1/cohorts/${cohortId}/certificates`).expect(202);
    expect(body.queued.map((q: { enrolmentId: string }) => q.enrolmentId)).toEqual([enrolments.lukasz]);
    const skipped = Object.fromEntries(
      body.skipped.map((s: { enrolmentId: string; reason: string }) => [s.enrolmentId, s.reason]),
    );
    expect(skipped).toEqual({
      [enrolments.zoe]: 'already_issued',
      [enrolments.parallel]: 'already_issued',
      [enrolments.unready]: 'not_eligible',
    });
    await issued(body.queued[0].certificateId);
    const serials: Array<{ serial: string }> = await t.dataSource.query(
      `SELECT serial FROM certificates ORDER BY serial`,
    );
    expect(new Set(serials.map((row) => row.serial)).size).toBe(serials.length);
  });

  it('is an Open Badges credential that anyone can check with the published key, until it is revoked', async () => {
    const [certificate] = await t.dataSource.query(
      `SELECT id, verification_code FROM certificates WHERE enrolment_id = $1`,
      [enrolments.lukasz],
    );
    const trainee = await t.signedIn(trainees.lukasz);
    const { body } = await trainee.get(`/api/v1/certificates/${certificate.id}/credential`).expect(200);
    expect(body.credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(body.credential.credentialSubject.achievement.name).toBe('Foundation');
    const [header, payload, signature] = (body.jwt as string).split('.');
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
    const jwks = await t.agent().get('/.well-known/jwks.json').expect(200);
    const jwk = jwks.body.keys.find((key: { kid: string }) => key.kid === kid);
    const { createPublicKey, verify } = await import('node:crypto');
    const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
    const signed = Buffer.from(`${header}.${payload}`);
    expect(verify(null, signed, publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    const tampered = Buffer.from(`${header}.${payload.slice(0, -2)}AA`);
    expect(verify(null, tampered, publicKey, Buffer.from(signature, 'base64url'))).toBe(false);

    await setup.leadAgent
      .post(`/api/v1/certificates/${certificate.id}/revoke`)
      .send({ reason: '' })
      .expect(400);
    await setup.leadAgent
      .post(`/api/v1/certificates/${certificate.id}/revoke`)
      .send({ reason: 'Issued in error' })
      .expect(200);
    await setup.leadAgent
      .post(`/api/v1/certificates/${certificate.id}/revoke`)
      .send({ reason: 'Again' })
      .expect(409);
    const verified = await t.agent().get(`/api/v1/verify/${certificate.verification_code}`).expect(200);
    expect(verified.body).toMatchObject({ status: 'revoked', revokedOn: expect.any(String) });
    const list = await t.agent().get('/api/v1/certificates/revocations').expect(200);
    expect(list.body.revokedCredentials).toEqual([
      expect.objectContaining({ id: body.credential.id, revoked: true, revocationReason: 'Issued in error' }),
    ]);
  });

  it('gives the lead a page of the cohort’s certificates and the trainee a page of their own', async () => {
    const lead = await t.signedInThroughPage(setup.lead);
    const page = await lead.get(`/cohorts/${cohortId}/certificates`).expect(200);
    expect(page.text).toMatch(/\d+ of \d+ made/);
    expect(page.text).toContain('Not eligible yet:');
    expect(page.text).toContain('practice contacts: 0 of 6 accepted');
    const zip = await setup.leadAgent
      .get(`/api/v1/cohorts/${cohortId}/certificates.zip`)
      .buffer(true)
      .parse((response, done) => asBuffer(response as unknown as IncomingMessage, done))
      .expect(200)
      .expect('content-type', 'application/zip');
    const zipFile = join(mkdtempSync(join(tmpdir(), 'fpm-zip-')), 'certificates.zip');
    writeFileSync(zipFile, zip.body as Buffer);
    const listing = execFileSync('python3', ['-m', 'zipfile', '-l', zipFile]).toString();
    expect(listing).toMatch(/FND-\d{4}-\d{6} Zoë Ní Bhriain\.pdf/);
    expect(listing).not.toContain('Łukasz'); // revoked above
    const trainee = await t.signedInThroughPage(trainees.zoe);
    await trainee.get(`/api/v1/cohorts/${cohortId}/certificates.zip`).expect(403);
    const mine = await trainee.get('/my/certificates').expect(200);
    expect(mine.text).toContain('Foundation');
    expect(mine.text).toContain('/verify/');
    await trainee.get(`/cohorts/${cohortId}/certificates`).expect(403);
  });

  it('re-issues after a change of name: the old certificate verifies as superseded and points to the new', async () => {
    const [old] = await t.dataSource.query(
      `SELECT id, verification_code FROM certificates WHERE enrolment_id = $1 AND status <> 'superseded'`,
      [enrolments.parallel],
    );
    await issued(old.id);
    await t.dataSource.query(`UPDATE users SET name = 'Ayşe Yılmaz' WHERE id = $1`, [trainees.parallel.id]);
    const lead = await t.signedInThroughPage(setup.lead);
    const page = await lead.get(`/cohorts/${cohortId}/certificates`).expect(200);
    expect(page.text).toContain('Re-issue as Ayşe Yılmaz');
    await lead
      .post(`/cohorts/${cohortId}/certificates/${enrolments.parallel}/reissue/${old.id}`)
      .type('form')
      .send({ _csrf: await csrfTokenFrom(lead, `/cohorts/${cohortId}/certificates`) })
      .expect(303);
    const [body] = await t.dataSource.query(
      `SELECT id, holder_name AS "holderName" FROM certificates WHERE supersedes_id = $1`,
      [old.id],
    );
    expect(body.holderName).toBe('Ayşe Yılmaz');
    expect((await lead.get(`/cohorts/${cohortId}/certificates`)).text).toContain('now verifies as replaced');
    const verified = await t.agent().get(`/api/v1/verify/${old.verification_code}`).expect(200);
    expect(verified.body.status).toBe('superseded');
    const [replacement] = await t.dataSource.query(
      `SELECT verification_code FROM certificates WHERE id = $1`,
      [body.id],
    );
    expect(verified.body.replacedBy).toBe(replacement.verification_code);
    await setup.leadAgent.post(`/api/v1/certificates/${old.id}/reissue`).expect(409);
  });

  it('names no erased facilitator on a certificate made after the erasure', async () => {
    const [staying, leaving] = setup.facilitators;
    // Not on the day of the first cohort, which its facilitator is running.
    const cohort = await createCohort(setup, {
      daysFromNow: -12,
      count: 1,
      facilitatorIds: [staying.id, leaving.id],
    });
    const trainee = await t.newUser(['trainee']);
    const { body: enrolment } = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: trainee.id })
      .expect(201);
    await (
      await t.signedIn(staying)
    )
      .put(`/api/v1/sessions/${cohort.sessions[0].id}/attendance`)
      .send([{ enrolmentId: enrolment.id, status: 'present' }])
      .expect(200);
    await meetEveryRequirement(t, [enrolment.id], cohort.sessions[0].id, staying.id);
    const admin = await t.signedIn(await t.newUser(['admin']));
    await admin.post(`/api/v1/users/${leaving.id}/erase`).send({ reason: 'Left the service' }).expect(200);

    const { body } = await setup.leadAgent.post(`/api/v1/enrolments/${enrolment.id}/certificate`).expect(202);
    await issued(body.id);
    const text = execFileSync('pdftotext', [(await downloadPdf(body.id)).file, '-']).toString();
    expect(text.replace(/\s+/g, ' ')).toContain(`Facilitated by ${staying.name} Issued on`);
    expect(text).not.toContain('Erased person');
  });

  // Last: it uses up this address's allowance of the public routes for the minute.
  it('answers the public verification routes at most 60 times a minute from one address', async () => {
    const answers = [];
    for (let i = 0; i < 62; i++) answers.push((await t.agent().get('/api/v1/verify/unknown-code')).status);
    expect(answers.filter((status) => status === 404).length).toBeLessThanOrEqual(60);
    expect(answers.at(-1)).toBe(429);
  });
});
