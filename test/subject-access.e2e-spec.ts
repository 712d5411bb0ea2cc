import { writeFileSync, mkdirSync } from 'node:fs';
import { request as httpRequest, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import TestAgent from 'supertest/lib/agent';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { attendedCohort, cohortSetup, CohortSetup } from './support/cohort-factory';
import { TestApp, TestUser } from './support/test-app';
import { asBuffer, download, Zip } from './support/zip';

const RECORD_TYPES = [
  'account',
  'account-links',
  'sign-in-throttle',
  'commissioner-areas',
  'accreditations',
  'enrolments',
  'attendance',
  'facilitated-cohorts',
  'session-reminders',
  'logbook-entries',
  'logbook-revisions',
  'logbook-reviews',
  'logbook-reviews-made',
  'competency-sign-offs',
  'competency-sign-offs-made',
  'certificates',
  'certificate-pdfs',
  'material-issues',
  'material-copies',
  'print-receipts',
  'emails',
  'audit-events',
];

const answers = {
  whatHappened: 'We practised summarising in pairs, and I noticed I rushed to offer solutions.',
  reflection: 'I felt uneasy with silence, and wondered whether the parent did too.',
  learning: 'Summarising shows the parent they have been heard before we explore further.',
  nextSteps: 'At my next home visit I will summarise before making any suggestion.',
};

describe('Subject access', () => {
  let t: TestApp;
  let setup: CohortSetup;
  let trainee: TestUser;
  let traineeAgent: TestAgent;
  let other: TestUser;
  let admin: TestUser;
  let adminAgent: TestAgent;
  let facilitator: TestUser;
  let serial: string;
  const pdf = Buffer.from('%PDF-1.7\n% the certificate of the trainee\n%%EOF\n');

  beforeAll(async () => {
    t = await TestApp.start();
    setup = await cohortSetup(t);
    facilitator = setup.facilitators[0];
    const attended = await attendedCohort(t, setup, 10);
    ({ trainee } = attended);
    traineeAgent = await t.signedIn(trainee);
    admin = await t.newUser(['admin']);
    adminAgent = await t.signedIn(admin);

    // Another trainee of the same cohort, with an entry of their own that must not appear in the first's export.
    other = await t.newUser(['trainee'], { name: 'Ottoline Otherperson', email: 'ottoline@example.org' });
    const { body: otherEnrolment } = await setup.leadAgent
      .post(`/api/v1/cohorts/${attended.cohort.id}/enrolments`)
      .send({ traineeId: other.id })
      .expect(201);
    await (
      await t.signedIn(other)
    )
      .post(`/api/v1/enrolments/${otherEnrolment.id}/logbook/entries`)
      .send({
        kind: 'practice_contact',
        occurredOn: '2026-11-02',
        whatHappened: 'OTTOLINE-PRIVATE-REFLECTION',
      })
      .expect(201);

    // The trainee's logbook entry, submitted and returned with feedback; a competency record about them.
    const { body: entry } = await traineeAgent
      .post(`/api/v1/enrolments/${attended.enrolmentId}/logbook/entries`)
      .send({
        kind: 'session_reflection',
        sessionId: attended.cohort.sessions[0].id,
        occurredOn: '2026-11-01',
        ...answers,
      })
      .expect(201);
    await traineeAgent.post(`/api/v1/logbook/entries/${entry.id}/submit`).send({}).expect(200);
    await attended.facilitator.get(`/api/v1/enrolments/${attended.enrolmentId}/logbook`).expect(200);
    await attended.facilitator
      .post(`/api/v1/logbook/entries/${entry.id}/review`)
      .send({ decision: 'returned', feedback: 'Say more about what you will do differently.' })
      .expect(200);
    await attended.facilitator
      .post(`/api/v1/enrolments/${attended.enrolmentId}/competencies/helper-quality.respect/sign-offs`)
      .send({ outcome: 'not_yet', evidenceEntryIds: [], comment: 'Not seen yet in the role play.' })
      .expect(201);
    await adminAgent
      .post(`/api/v1/users/${trainee.id}/accreditations`)
      .send({ courseCode: 'foundation', grantedOn: '2024-01-01', expiresOn: '2030-01-01' })
      .expect(201);

    // An issued certificate and its PDF on disk, as the worker leaves them.
    serial = 'FND-2026-777001';
    await t.dataSource.query(
      `INSERT INTO certificates (enrolment_id, course_code, serial, verification_code, holder_name, issued_by_id,
                                 status, issued_at, rendered_at, sha256)
       VALUES ($1, 'foundation', $2, 'subject-access-code', $3, $4, 'issued', now(), now(), repeat('e', 64))`,
      [attended.enrolmentId, serial, trainee.name, setup.lead.id],
    );
    mkdirSync(join(t.config.STORAGE_DIR, 'certificates'), { recursive: true });
    writeFileSync(join(t.config.STORAGE_DIR, 'certificates', `${serial}.pdf`), pdf);

    // A handbook issued to the trainee, a personalised copy downloaded, a printed copy they confirmed.
    const [{ id: materialId }] = await t.dataSource.query(
      `INSERT INTO materials (code, title, kind, course_codes, audience)
       VALUES ('SAR-RPH', 'Reflective Practice Handbook', 'handbook', '{foundation}', '{trainee}') RETURNING id`,
    );
    const [{ id: editionId }] = await t.dataSource.query(
      `INSERT INTO material_editions (material_id, label, notes, sha256, size_bytes, page_count, current, uploaded_by_id)
       VALUES ($1, '2nd edition', '', repeat('0', 64), 1, 1, true, $2) RETURNING id`,
      [materialId, admin.id],
    );
    const [{ id: issueId }] = await t.dataSource.query(
      `INSERT INTO material_issues (material_id, edition_id, holder_id, cohort_id, organisation_id, enrolment_id, basis)
       VALUES ($1, $2, $3, $4, $5, $6, 'trainee') RETURNING id`,
      [materialId, editionId, trainee.id, attended.cohort.id, setup.organisationId, attended.enrolmentId],
    );
    await t.dataSource.query(
      `INSERT INTO material_copies (issue_id, edition_id, copy_number, stamp, completed_at, sha256, size_bytes)
       VALUES ($1, $2, 1, $3, now(), repeat('1', 64), 1)`,
      [issueId, editionId, `Licensed to ${trainee.name}`],
    );
    const [{ id: orderId }] = await t.dataSource.query(
      `INSERT INTO print_orders (material_id, edition_id, cohort_id, organisation_id, copies, status, requested_by_id)
       VALUES ($1, $2, $3, $4, 2, 'received', $5) RETURNING id`,
      [materialId, editionId, attended.cohort.id, setup.organisationId, setup.lead.id],
    );
    await t.dataSource.query(`INSERT INTO print_order_receipts (order_id, trainee_id) VALUES ($1, $2)`, [
      orderId,
      trainee.id,
    ]);

    // A message sent to the trainee holding a sign-in link, which the export must not hand on.
    await t.dataSource.query(
      `INSERT INTO email_messages (to_address, template, subject, context, secret_keys, status, sent_at)
       VALUES ($1, 'password-reset', 'Reset your password', $2::jsonb, '{link}', 'sent', now())`,
      [trainee.email, JSON.stringify({ name: trainee.name, link: 'https://example.org/reset/SECRET-TOKEN' })],
    );
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  }, 30_000);

  it('gives a signed-in trainee a ZIP of every record about them, one JSON file per type, with their PDF', async () => {
    const { response, zip } = await download(traineeAgent, '/api/v1/me/export');
    try {
      expect(response.headers['content-type']).toBe('application/zip');
      expect(response.headers['content-disposition']).toMatch(
        /^attachment; filename="personal-data-\d{4}-\d{2}-\d{2}\.zip"$/,
      );
      expect(response.headers['content-length']).toBeUndefined();

      const names = zip.names();
      for (const type of RECORD_TYPES.filter((type) => type !== 'certificate-pdfs'))
        expect(names).toContain(`${type}.json`);
      expect(names).toContain('index.html');
      expect(zip.read(`files/${serial}.pdf`)).toEqual(pdf);

      expect(zip.json('account')).toEqual([
        expect.objectContaining({
          id: trainee.id,
          email: trainee.email,
          name: trainee.name,
          roles: ['trainee'],
        }),
      ]);
      expect(zip.json('account')[0]).not.toHaveProperty('passwordHash');
      expect(zip.json('enrolments')).toEqual([
        expect.objectContaining({
          status: 'enrolled',
          facilitators: [facilitator.name],
        }),
      ]);
      expect(zip.json('attendance')).toEqual([expect.objectContaining({ status: 'present' })]);
      expect(zip.json('logbook-entries')).toEqual([
        expect.objectContaining({ kind: 'session_reflection', status: 'returned', ...answers }),
      ]);
      expect(zip.json('logbook-revisions')).toEqual([
        expect.objectContaining({
          number: 1,
          content: expect.objectContaining({ learning: answers.learning }),
        }),
      ]);
      expect(zip.json('logbook-reviews')).toEqual([
        expect.objectContaining({
          decision: 'returned',
          reviewer: facilitator.name,
          feedback: 'Say more about what you will do differently.',
        }),
      ]);
      expect(zip.json('competency-sign-offs')).toEqual([
        expect.objectContaining({
          competency: 'helper-quality.respect',
          outcome: 'not_yet',
          signedBy: facilitator.name,
          comment: 'Not seen yet in the role play.',
        }),
      ]);
      expect(zip.json('accreditations')).toEqual([expect.objectContaining({ courseCode: 'foundation' })]);
      expect(zip.json('certificates')).toEqual([expect.objectContaining({ serial, status: 'issued' })]);
      expect(zip.json('material-issues')).toEqual([
        expect.objectContaining({ material: 'Reflective Practice Handbook', edition: '2nd edition' }),
      ]);
      expect(zip.json('material-copies')).toEqual([
        expect.objectContaining({ copyNumber: 1, stamp: `Licensed to ${trainee.name}` }),
      ]);
      expect(zip.json('print-receipts')).toEqual([
        expect.objectContaining({ material: 'Reflective Practice Handbook' }),
      ]);
      const reset = zip.json<{ template: string; context: Record<string, string> }>('emails');
      expect(reset.find((mail) => mail.template === 'password-reset')?.context).toEqual({
        name: trainee.name,
        link: '(withheld)',
      });
      expect(zip.json('audit-events')).toContainEqual(
        expect.objectContaining({ action: 'auth.signed_in', doneBy: 'you' }),
      );
      expect(zip.json('audit-events')).toContainEqual(
        expect.objectContaining({ action: 'accreditation.recorded', doneBy: 'another person' }),
      );
      // Events about the trainee's own records, done by others: who read the logbook, what was decided.
      expect(zip.json('audit-events')).toEqual(
        expect.arrayContaining([
          {
            occurredAt: expect.any(String),
            action: 'logbook.read',
            doneBy: 'another person',
            concerning: 'your logbook',
          },
          expect.objectContaining({ action: 'enrolment.enrolled', concerning: 'your enrolment' }),
          expect.objectContaining({ action: 'competency.signed_off', concerning: 'your competency record' }),
        ]),
      );
      expect(zip.json('facilitated-cohorts')).toEqual([]);
      expect(zip.json('competency-sign-offs-made')).toEqual([]);

      const index = zip.read('index.html').toString('utf8');
      expect(index).toContain(`Personal data held about ${trainee.name}`);
      for (const type of RECORD_TYPES) expect(index).toContain(type);
      expect(index).toContain(`files/${serial}.pdf`);
    } finally {
      zip.remove();
    }
  });

  it('tells the person of wrong passwords tried for their account and of its lock, held under their address', async () => {
    const wrongPassword = () =>
      t.agent().post('/api/v1/auth/login').send({ email: trainee.email, password: 'not my password' });
    for (let attempt = 1; attempt <= 4; attempt++) await wrongPassword().expect(401);
    await wrongPassword().expect(429);
    try {
      const { zip } = await download(traineeAgent, '/api/v1/me/export');
      try {
        expect(zip.json('sign-in-throttle')).toEqual([
          { failedAttempts: 5, lockedUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
        ]);
        expect(zip.json('audit-events')).toContainEqual({
          occurredAt: expect.any(String),
          action: 'auth.locked',
          doneBy: 'the system',
          concerning: 'signing in to your account',
        });
      } finally {
        zip.remove();
      }
    } finally {
      await adminAgent
        .delete(`/api/v1/auth/sign-in-locks/account/${encodeURIComponent(trainee.email)}`)
        .expect(204);
    }
    const { zip } = await download(traineeAgent, '/api/v1/me/export');
    try {
      expect(zip.json('sign-in-throttle')).toEqual([]);
    } finally {
      zip.remove();
    }
  });

  it('holds nothing about anyone else beyond the names the trainee already sees', async () => {
    const { zip } = await download(traineeAgent, '/api/v1/me/export');
    try {
      const archive = zip.everything();
      for (const foreign of [
        other.name,
        other.email,
        other.id,
        'OTTOLINE-PRIVATE-REFLECTION',
        facilitator.email,
        facilitator.id,
        setup.lead.email,
        setup.lead.id,
        admin.email,
        admin.id,
        'SECRET-TOKEN',
      ])
        expect(archive).not.toContain(foreign);
      expect(archive).toContain(facilitator.name);
    } finally {
      zip.remove();
    }
  });

  it('gives a facilitator the sign-offs and reviews they made as their own acts, never the trainee nor the comment', async () => {
    const { zip } = await download(await t.signedIn(facilitator), '/api/v1/me/export');
    try {
      expect(zip.json('facilitated-cohorts')).toHaveLength(1);
      expect(zip.json('competency-sign-offs-made')).toEqual([
        {
          id: expect.any(String),
          competency: 'helper-quality.respect',
          outcome: 'not_yet',
          signedAt: expect.any(String),
          cohort: expect.any(String),
        },
      ]);
      expect(zip.json('competency-sign-offs')).toEqual([]);
      expect(zip.json('logbook-reviews-made')).toEqual([
        {
          id: expect.any(String),
          entryKind: 'session_reflection',
          decision: 'returned',
          reviewedAt: expect.any(String),
          cohort: expect.any(String),
        },
      ]);
      const archive = zip.everything();
      for (const foreign of [
        trainee.email,
        trainee.id,
        'Not seen yet in the role play.',
        'Say more about what you will do differently.',
        answers.reflection,
      ])
        expect(archive).not.toContain(foreign);
    } finally {
      zip.remove();
    }
  });

  it('records each export in the audit log', async () => {
    await download(traineeAgent, '/api/v1/me/export').then(({ zip }) => zip.remove());
    const { zip } = await download(adminAgent, `/api/v1/users/${trainee.id}/export`);
    try {
      expect(zip.json('account')).toEqual([expect.objectContaining({ id: trainee.id })]);
    } finally {
      zip.remove();
    }
    const events = async (action: string) =>
      (await adminAgent.get(`/api/v1/audit-events?action=${action}&subjectId=${trainee.id}`).expect(200)).body
        .events as Array<{ actorId: string; subjectId: string }>;
    expect(await events('me.data_exported')).toContainEqual(
      expect.objectContaining({ actorId: trainee.id, subjectId: trainee.id }),
    );
    expect(await events('user.data_exported')).toContainEqual(
      expect.objectContaining({ actorId: admin.id, subjectId: trainee.id }),
    );
  });

  it('lets only an admin export another person, and answers 404 for someone unknown', async () => {
    await traineeAgent.get(`/api/v1/users/${other.id}/export`).expect(403);
    await setup.leadAgent.get(`/api/v1/users/${trainee.id}/export`).expect(403);
    await adminAgent.get('/api/v1/users/00000000-0000-4000-8000-000000000000/export').expect(404);
    await t.agent().get('/api/v1/me/export').expect(401);
  });

  it('offers the download on a page linked from every signed-in page', async () => {
    const browser = await t.signedInThroughPage(trainee);
    const home = await browser.get('/').expect(200);
    expect(home.text).toContain('href="/my/data"');
    const page = await browser.get('/my/data').expect(200);
    expect(page.text).toContain('Download your data');
    expect(page.text).toContain('href="/api/v1/me/export"');
    expect(page.text).toContain('logbook-entries');
  });

  it('streams a long logbook: it stops reading entries while the reader is not reading, and completes after', async () => {
    const long = await t.newUser(['trainee']);
    const [{ id: enrolmentId }] = await t.dataSource.query(
      `INSERT INTO enrolments (cohort_id, trainee_id, status, enrolled_at)
       SELECT cohort_id, $1, 'enrolled', now() FROM enrolments LIMIT 1 RETURNING id`,
      [long.id],
    );
    // 5,000 entries of four distinct 3 kB texts that compress no better than hexadecimal does: some 30 MB of
    // archive, far more than the sockets between server and client hold while the client does not read.
    const entries = 5_000;
    const text = `(SELECT string_agg(md5(random()::text || n || g), '') FROM generate_series(1, 94) g)`;
    await t.dataSource.query(
      `INSERT INTO logbook_entries (enrolment_id, kind, status, occurred_on, what_happened, reflection, learning, next_steps, revision)
       SELECT $1, 'practice_contact', 'draft', current_date, ${text}, ${text}, ${text}, ${text}, 0
         FROM generate_series(1, $2::int) n`,
      [enrolmentId, entries],
    );
    const logbooks = t.app
      .get(PersonalDataRegistry)
      .all()
      .find((source) => source.name === 'logbooks')!;
    const read = jest.fn();
    const original = logbooks.export.bind(logbooks);
    jest.spyOn(logbooks, 'export').mockImplementation(async function* (subject) {
      for await (const item of original(subject)) {
        if (item.recordType === 'logbook-entries') read();
        yield item;
      }
    });

    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const login = await t
      .agent()
      .post('/api/v1/auth/login')
      .send({ email: long.email, password: long.password });
    const cookie = (login.headers['set-cookie'] as unknown as string[])
      .map((c) => c.split(';')[0])
      .join('; ');
    const get = () =>
      new Promise<IncomingMessage>((resolve, reject) =>
        httpRequest(
          { port, host: '127.0.0.1', path: '/api/v1/me/export', headers: { cookie }, agent: false },
          resolve,
        )
          .on('error', reject)
          .end(),
      );

    // A reader that takes the first bytes, then stops: the server must stop reading the logbook too.
    const paused = await get();
    expect(paused.statusCode).toBe(200);
    paused.pause();
    let stalled = -1;
    for (let n = read.mock.calls.length; n !== stalled; n = read.mock.calls.length) {
      stalled = n;
      await sleep(500);
    }
    expect(stalled).toBeLessThan(entries);
    // A reader that goes away ends the export: it does not read on to the end.
    paused.destroy();
    await sleep(1_000);
    expect(read.mock.calls.length).toBeLessThan(entries);

    // A reader that reads it all gets every entry.
    read.mockClear();
    const whole = await get();
    const bytes = await new Promise<Buffer>((resolve) => asBuffer(whole, (_, body) => resolve(body)));
    expect(read).toHaveBeenCalledTimes(entries);
    expect(bytes.length).toBeGreaterThan(20_000_000);
    const zip = new Zip(bytes);
    try {
      expect(zip.json('logbook-entries')).toHaveLength(entries);
    } finally {
      zip.remove();
      jest.restoreAllMocks();
    }
  }, 120_000);
});
