import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import TestAgent from 'supertest/lib/agent';
import { QUEUES } from 'src/common/queues';
import { retentionCutoff } from 'src/privacy/retention';
import { RETENTION_SCHEDULER } from 'src/privacy/retention.processor';
import { RETENTION_BATCH_SIZE, RetentionService } from 'src/privacy/retention.service';
import { cohortSetup, CohortSetup, createCohort, enrolDirectly } from './support/cohort-factory';
import { eventually } from './support/eventually';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';

const PERIODIC = [
  'attendance',
  'session-reminders',
  'logbook-entries',
  'competency-sign-offs',
  'email-bodies',
  'email-log',
  'audit-events',
  'material-downloads',
  'print-receipts',
  'sign-in-links',
  'domain-events',
];

interface Due {
  recordType: string;
  action: string;
  keepMonths: number;
  cutoff: string;
  runsAt: string;
  due: number;
}

/** What the backdated rows below put past their default periods, and nothing else. */
const EXPECTED_DUE: Record<string, number> = {
  // The two sessions of the old completed cohort and the two of the old cohort still in progress.
  attendance: 4,
  // The reminder of the old cohort's session; never that of the session next week.
  'session-reminders': 1,
  // The old completed cohort's entry; never the entry of the enrolment still in progress.
  'logbook-entries': 1,
  // The old enrolment's trail of three records (met, corrected, revoked); never the one still going.
  'competency-sign-offs': 3,
  // Sent 7 and 25 months ago, failed 8 and 30 months ago; never the message still queued.
  'email-bodies': 4,
  'email-log': 2,
  // The plain old event, and old events of a certificate that no longer exists or was never named by its id.
  'audit-events': 3,
  'material-downloads': 1,
  // Confirmed seven years ago; never last month's.
  'print-receipts': 1,
  'sign-in-links': 2,
  'domain-events': 1,
};

describe('Retention', () => {
  let t: TestApp;
  let admin: TestUser;
  let adminAgent: TestAgent;
  let setup: CohortSetup;
  const ids: Record<string, string> = {};

  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    t.dataSource.query<T[]>(sql, params);
  const count = async (sql: string, params: unknown[] = []) =>
    (await query<{ count: number }>(`SELECT count(*)::int AS count ${sql}`, params))[0].count;

  /** A cohort whose sessions were `yearsAgo` years ago, in `status`, with one enrolment present at each session. */
  async function cohortOf(yearsAgo: number, status: string) {
    const cohort = await createCohort(setup, { daysFromNow: 30, count: 2 });
    await query(
      `UPDATE cohort_sessions SET starts_at = starts_at - make_interval(years => $2::int, days => 30),
                                  ends_at = ends_at - make_interval(years => $2::int, days => 30)
        WHERE cohort_id = $1`,
      [cohort.id, yearsAgo],
    );
    await query(`UPDATE cohorts SET status = $2 WHERE id = $1`, [cohort.id, status]);
    const [{ enrolmentId }] = await enrolDirectly(t, cohort.id, 1);
    for (const session of cohort.sessions)
      await query(
        `INSERT INTO attendance (session_id, enrolment_id, status, recorded_by) VALUES ($1, $2, 'present', $3)`,
        [session.id, enrolmentId, setup.facilitators[0].id],
      );
    // A reflection with its submitted revision and a review: what the logbook rule removes together.
    const [{ id: entryId }] = await query<{ id: string }>(
      `INSERT INTO logbook_entries (enrolment_id, kind, status, occurred_on, what_happened, revision, submitted_at)
       VALUES ($1, 'practice_contact', 'accepted', '2019-03-01', 'A home visit', 1, now()) RETURNING id`,
      [enrolmentId],
    );
    await query(`INSERT INTO logbook_revisions (entry_id, number, content) VALUES ($1, 1, '{}')`, [entryId]);
    await query(
      `INSERT INTO logbook_reviews (entry_id, revision, reviewer_id, decision, feedback)
       VALUES ($1, 1, $2, 'accepted', 'Thoughtful')`,
      [entryId, setup.facilitators[0].id],
    );
    // A trail of competency records: met, corrected to not yet, then revoked, each superseding the one before.
    let supersedes: string | null = null;
    for (const outcome of ['met', 'not_yet', 'revoked']) {
      const [{ id }]: Array<{ id: string }> = await query<{ id: string }>(
        `INSERT INTO competency_sign_offs (enrolment_id, competency_id, outcome, comment, signed_by_id, supersedes_id)
         SELECT $1, id, $2, 'Seen in the role play', $3, $4 FROM competencies ORDER BY code LIMIT 1 RETURNING id`,
        [enrolmentId, outcome, setup.facilitators[0].id, supersedes],
      );
      supersedes = id;
    }
    return { cohort, enrolmentId, entryId };
  }

  async function auditEvent(action: string, monthsAgo: number, subjectType?: string, subjectId?: string) {
    const [{ id }] = await query<{ id: string }>(
      `INSERT INTO audit_events (occurred_at, action, subject_type, subject_id)
       VALUES (now() - make_interval(months => $1::int), $2, $3, $4) RETURNING id`,
      [monthsAgo, action, subjectType ?? null, subjectId ?? null],
    );
    return id;
  }

  async function email(status: string, monthsAgo: number) {
    const [{ id }] = await query<{ id: string }>(
      `INSERT INTO email_messages (to_address, template, subject, context, attachments, status, sent_at, created_at,
                                   updated_at)
       VALUES ('someone@example.org', 'invitation', 'Welcome', '{"name": "Someone", "appUrl": "x"}',
               '[{"filename": "c.pdf", "path": "certificates/c.pdf", "contentType": "application/pdf"}]', $1::varchar,
               CASE WHEN $1::varchar = 'sent' THEN now() - make_interval(months => $2::int) END,
               now() - make_interval(months => $2::int), now() - make_interval(months => $2::int))
       RETURNING id`,
      [status, monthsAgo],
    );
    return id;
  }

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.newUser(['admin']);
    adminAgent = await t.signedIn(admin);
    setup = await cohortSetup(t);

    const old = await cohortOf(8, 'completed');
    const going = await cohortOf(8, 'in_progress');
    const recent = await cohortOf(2, 'completed');
    Object.assign(ids, {
      oldEntry: old.entryId,
      oldEnrolment: old.enrolmentId,
      goingEnrolment: going.enrolmentId,
      goingEntry: going.entryId,
      recentEntry: recent.entryId,
      recentSession: recent.cohort.sessions[0].id,
    });

    // A certificate of the old enrolment: kept, with the audit trail of issuing it.
    const [{ id: certificateId }] = await query<{ id: string }>(
      `INSERT INTO certificates (enrolment_id, course_code, serial, verification_code, holder_name, issued_by_id,
                                 status, issued_at, rendered_at, sha256)
       VALUES ($1, 'foundation', 'FND-2019-000001', 'retention-kept-code', 'Old Trainee', $2, 'issued',
               now() - interval '7 years', now() - interval '7 years', repeat('a', 64)) RETURNING id`,
      [old.enrolmentId, setup.lead.id],
    );
    ids.certificate = certificateId;
    ids.certificateEvent = await auditEvent('certificate.issued', 84, 'certificate', certificateId);
    ids.goneCertificateEvent = await auditEvent(
      'certificate.issued',
      84,
      'certificate',
      '00000000-0000-4000-8000-00000000dead',
    );
    ids.serialEvent = await auditEvent('certificate.issued', 84, 'certificate', 'FND-2019-000001');
    ids.oldEvent = await auditEvent('auth.signed_in', 80);
    ids.oldRunEvent = await auditEvent('retention.run', 80, 'retention_run');
    ids.recentEvent = await auditEvent('auth.signed_in', 60);

    ids.sent7 = await email('sent', 7);
    ids.sent25 = await email('sent', 25);
    ids.failed8 = await email('failed', 8);
    ids.failed30 = await email('failed', 30);
    ids.queued30 = await email('queued', 30);
    ids.sent1 = await email('sent', 1);

    // A handbook with a copy downloaded 7 years ago and one last month.
    const [{ id: materialId }] = await query<{ id: string }>(
      `INSERT INTO materials (code, title, kind, course_codes, audience)
       VALUES ('RET-RPH', 'Reflective Practice Handbook', 'handbook', '{foundation}', '{trainee}') RETURNING id`,
    );
    const [{ id: editionId }] = await query<{ id: string }>(
      `INSERT INTO material_editions (material_id, label, notes, sha256, size_bytes, page_count, current, uploaded_by_id)
       VALUES ($1, '1st edition', '', repeat('0', 64), 1, 1, true, $2) RETURNING id`,
      [materialId, admin.id],
    );
    const [{ id: issueId }] = await query<{ id: string }>(
      `INSERT INTO material_issues (material_id, edition_id, holder_id, cohort_id, organisation_id, basis)
       VALUES ($1, $2, $3, $4, $5, 'facilitator') RETURNING id`,
      [materialId, editionId, setup.facilitators[0].id, old.cohort.id, setup.organisationId],
    );
    for (const [copy, yearsAgo] of [
      [1, 7],
      [2, 0],
    ])
      await query(
        `INSERT INTO material_copies (issue_id, edition_id, copy_number, stamp, started_at, completed_at, sha256,
                                      size_bytes)
         VALUES ($1, $2, $3, 'Licensed to Fac Ilitator', now() - make_interval(years => $4::int, days => 10),
                 now() - make_interval(years => $4::int, days => 10), repeat('1', 64), 1)`,
        [issueId, editionId, copy, yearsAgo],
      );
    ids.edition = editionId;

    // Printed copies sent to the old cohort: one trainee confirmed receipt seven years ago, another last month.
    const [{ id: orderId }] = await query<{ id: string }>(
      `INSERT INTO print_orders (material_id, edition_id, cohort_id, organisation_id, copies, status, requested_by_id)
       VALUES ($1, $2, $3, $4, 2, 'received', $5) RETURNING id`,
      [materialId, editionId, old.cohort.id, setup.organisationId, setup.lead.id],
    );
    ids.printOrder = orderId;
    for (const [trainee, confirmedAgo] of [
      [admin.id, '7 years'],
      [setup.lead.id, '1 month'],
    ])
      await query(
        `INSERT INTO print_order_receipts (order_id, trainee_id, confirmed_at) VALUES ($1, $2, now() - $3::interval)`,
        [orderId, trainee, confirmedAgo],
      );

    // Reminders sent for the old cohort's first session and for a session next week.
    const upcoming = await createCohort(setup, { daysFromNow: 7, count: 1 });
    ids.upcomingSession = upcoming.sessions[0].id;
    for (const sessionId of [old.cohort.sessions[0].id, ids.upcomingSession])
      await query(`INSERT INTO session_reminders (session_id, user_id, sequence) VALUES ($1, $2, 0)`, [
        sessionId,
        admin.id,
      ]);

    // Links: used two months ago, expired unused two months ago, and one still usable.
    for (const [hash, usedAgo, expiresIn] of [
      ['a', '2 months', '-55 days'],
      ['b', null, '-2 months'],
      ['c', null, '5 days'],
    ])
      await query(
        `INSERT INTO user_tokens (user_id, purpose, token_hash, expires_at, used_at)
         VALUES ($1, 'password_reset', repeat($2, 64), now() + $4::interval, now() - $3::interval)`,
        [admin.id, hash, usedAgo, expiresIn],
      );

    // Domain events: completed 4 months ago (with its delivery), completed today, failed a year ago.
    const [{ id: oldEventId }] = await query<{ id: string }>(
      `INSERT INTO domain_events (name, payload, occurred_at, completed_at)
       VALUES ('test.old', '{}', now() - interval '4 months', now() - interval '4 months') RETURNING id`,
    );
    await query(`INSERT INTO domain_event_deliveries (event_id, handler) VALUES ($1, 'TestHandler')`, [
      oldEventId,
    ]);
    ids.oldDomainEvent = oldEventId;
    await query(`INSERT INTO domain_events (name, payload, completed_at) VALUES ('test.new', '{}', now())`);
    await query(
      `INSERT INTO domain_events (name, payload, occurred_at, failed_at)
       VALUES ('test.failed', '{}', now() - interval '1 year', now() - interval '1 year')`,
    );
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  }, 30_000);

  it('lists every record type with its default, current period, clock and action; certificates as kept', async () => {
    const { body } = await adminAgent.get('/api/v1/retention-policies').expect(200);
    const byType = new Map(body.map((policy: { recordType: string }) => [policy.recordType, policy]));
    expect([...byType.keys()].sort()).toEqual([...PERIODIC, 'certificates', 'retention-runs'].sort());
    expect(byType.get('logbook-entries')).toMatchObject({
      action: 'delete',
      defaultKeepMonths: 72,
      keepMonths: 72,
      minimumKeepMonths: 12,
      clock: expect.stringContaining('after the enrolment ended'),
      description: expect.stringContaining('logbook entries'),
    });
    expect(byType.get('email-bodies')).toMatchObject({ action: 'anonymise', keepMonths: 6 });
    expect(byType.get('certificates')).toMatchObject({
      action: 'keep',
      keepMonths: null,
      reason: expect.stringContaining('verified'),
    });
  });

  it('shows in the dry run exactly what a run through the queue then removes, and the run is audited', async () => {
    const { body: dryRun } = await adminAgent.get('/api/v1/retention-policies/dry-run').expect(200);
    const due = Object.fromEntries((dryRun as Due[]).map((row) => [row.recordType, row.due]));
    expect(due).toEqual(EXPECTED_DUE);

    const queue = t.app.get<Queue>(getQueueToken(QUEUES.retention));
    await queue.add('run', {});
    const run = await eventually('the retention run', async () => {
      const [event] = await query<{
        details: { recordTypes: Array<{ recordType: string; removed: number }> };
      }>(
        `SELECT details FROM audit_events WHERE action = 'retention.run' AND occurred_at > now() - interval '1 hour'`,
      );
      return event;
    });
    const removed = Object.fromEntries(run.details.recordTypes.map((row) => [row.recordType, row.removed]));
    expect(removed).toEqual(EXPECTED_DUE);
    expect(run.details.recordTypes.find((row) => row.recordType === 'audit-events')).toMatchObject({
      action: 'delete',
      keepMonths: 72,
      cutoff: expect.any(String),
    });
  });

  it('leaves exactly what is within its period, in progress, queued, or kept with a certificate', async () => {
    // Logbooks: only the entry of the enrolment that ended over six years ago went, with its revision and review.
    expect(
      (
        await query<{ id: string }>(`SELECT id FROM logbook_entries WHERE id = ANY($1) ORDER BY id`, [
          [ids.oldEntry, ids.goingEntry, ids.recentEntry],
        ])
      ).map((row) => row.id),
    ).toEqual([ids.goingEntry, ids.recentEntry].sort());
    expect(await count(`FROM logbook_revisions WHERE entry_id = $1`, [ids.oldEntry])).toBe(0);
    expect(await count(`FROM logbook_reviews WHERE entry_id = $1`, [ids.oldEntry])).toBe(0);
    expect(await count(`FROM logbook_reviews WHERE entry_id = $1`, [ids.goingEntry])).toBe(1);

    // Competency records: the old enrolment's trail went whole; the others' stay.
    expect(await count(`FROM competency_sign_offs WHERE enrolment_id = $1`, [ids.oldEnrolment])).toBe(0);
    expect(await count(`FROM competency_sign_offs WHERE enrolment_id = $1`, [ids.goingEnrolment])).toBe(3);

    // Attendance: only the recent cohort's register is left.
    expect(await count(`FROM attendance`)).toBe(2);
    expect(await count(`FROM attendance WHERE session_id = $1`, [ids.recentSession])).toBe(1);

    // E-mail: the 7-month-old message kept without its body, the older ones gone, queued and recent untouched.
    const messages = await query<{ id: string; context: object; attachments: object[] }>(
      `SELECT id, context, attachments FROM email_messages WHERE id = ANY($1)`,
      [[ids.sent7, ids.sent25, ids.failed30, ids.queued30, ids.sent1]],
    );
    const byId = new Map(messages.map((message) => [message.id, message]));
    expect([...byId.keys()].sort()).toEqual([ids.sent7, ids.queued30, ids.sent1].sort());
    expect(byId.get(ids.sent7)).toMatchObject({ context: {}, attachments: [] });
    expect(byId.get(ids.queued30)).toMatchObject({
      context: { name: 'Someone' },
      attachments: [expect.anything()],
    });
    expect(byId.get(ids.sent1)).toMatchObject({ context: { name: 'Someone' } });

    // Audit: the certificate's old event and the record of an old run stay; the rest of the old events went.
    const events = await query<{ id: string }>(`SELECT id FROM audit_events WHERE id = ANY($1)`, [
      [
        ids.certificateEvent,
        ids.goneCertificateEvent,
        ids.serialEvent,
        ids.oldEvent,
        ids.oldRunEvent,
        ids.recentEvent,
      ],
    ]);
    expect(events.map((event) => event.id).sort()).toEqual(
      [ids.certificateEvent, ids.oldRunEvent, ids.recentEvent].sort(),
    );
    expect(await count(`FROM certificates WHERE id = $1`, [ids.certificate])).toBe(1);
    await t.agent().get('/api/v1/verify/retention-kept-code').expect(200);

    // Materials: the old copy no longer names its holder nor fingerprints its file; both still count.
    const copies = await query<{ copy_number: number; stamp: string; sha256: string | null }>(
      `SELECT copy_number, stamp, sha256 FROM material_copies WHERE edition_id = $1 ORDER BY copy_number`,
      [ids.edition],
    );
    expect(copies).toEqual([
      { copy_number: 1, stamp: '', sha256: null },
      { copy_number: 2, stamp: 'Licensed to Fac Ilitator', sha256: '1'.repeat(64) },
    ]);

    // Print receipts: last month's confirmation only. Session reminders: only that of the session to come.
    expect(
      await query(`SELECT trainee_id FROM print_order_receipts WHERE order_id = $1`, [ids.printOrder]),
    ).toEqual([{ trainee_id: setup.lead.id }]);
    expect(await query(`SELECT session_id FROM session_reminders`)).toEqual([
      { session_id: ids.upcomingSession },
    ]);

    // Links: only the one still usable. Domain events: the old completed one went with its delivery.
    expect(await count(`FROM user_tokens WHERE user_id = $1`, [admin.id])).toBe(1);
    expect(await count(`FROM domain_events WHERE id = $1`, [ids.oldDomainEvent])).toBe(0);
    expect(await count(`FROM domain_event_deliveries WHERE event_id = $1`, [ids.oldDomainEvent])).toBe(0);
    expect(await count(`FROM domain_events WHERE name IN ('test.new', 'test.failed')`)).toBe(2);
  });

  it('refuses to send again a failed e-mail whose body was cleared, and offers no retry for it', async () => {
    const failed = await adminAgent.get('/admin/mail?status=failed').expect(200);
    expect(failed.text).toContain('Failed');
    expect(failed.text).not.toContain(`/admin/mail/${ids.failed8}/retry`);
    const browser = await t.signedInThroughPage(admin);
    const csrf = await csrfTokenFrom(browser, '/admin/retention');
    const refused = await browser
      .post(`/admin/mail/${ids.failed8}/retry`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(409);
    expect(refused.text).toContain('cannot be sent again');
    expect(await count(`FROM email_messages WHERE id = $1 AND status = 'failed'`, [ids.failed8])).toBe(1);
  });

  it('works through more rows than one batch holds, a batch at a time', async () => {
    await query(
      `INSERT INTO user_tokens (user_id, purpose, token_hash, expires_at)
       SELECT $1, 'invitation', md5('batch' || n) || md5('more' || n), now() - interval '3 months'
         FROM generate_series(1, $2::int) AS n`,
      [admin.id, RETENTION_BATCH_SIZE * 2 + 1],
    );
    const { recordTypes } = await t.app.get(RetentionService).run();
    expect(recordTypes.find((row) => row.recordType === 'sign-in-links')?.removed).toBe(
      RETENTION_BATCH_SIZE * 2 + 1,
    );
    expect(await count(`FROM user_tokens WHERE user_id = $1`, [admin.id])).toBe(1);
  });

  it('removes nothing more when run again, and its dry run then shows nothing due', async () => {
    const { recordTypes } = await t.app.get(RetentionService).run();
    expect(recordTypes.every((row) => row.removed === 0)).toBe(true);
    const { body } = await adminAgent.get('/api/v1/retention-policies/dry-run').expect(200);
    expect((body as Due[]).every((row) => row.due === 0)).toBe(true);
  });

  it('registers the nightly job scheduler in the worker', async () => {
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.retention));
    const scheduler = await queue.getJobScheduler(RETENTION_SCHEDULER);
    expect(scheduler).toMatchObject({ pattern: '30 2 * * *', tz: 'Europe/London', name: 'run' });
  });

  describe('changing a period', () => {
    it('refuses wrong types with 400 naming the field', async () => {
      const put = (body: unknown) => adminAgent.put('/api/v1/retention-policies').send(body as object);
      expect(
        (await put([{ recordType: 'attendance', keepMonths: 'lots' }]).expect(400)).body.errors,
      ).toHaveProperty(['[0].keepMonths']);
      expect((await put([{ recordType: 7, keepMonths: 12 }]).expect(400)).body.errors).toHaveProperty([
        '[0].recordType',
      ]);
      await put({ recordType: 'attendance', keepMonths: 12 }).expect(400);
      await put([{ recordType: 'attendance', keepMonths: 12.5 }]).expect(400);
    });

    it('refuses an unknown record type, certificates, and a period out of range with 422 naming the field', async () => {
      const put = (body: unknown) => adminAgent.put('/api/v1/retention-policies').send(body as object);
      expect((await put([{ recordType: 'diaries', keepMonths: 12 }]).expect(422)).body).toMatchObject({
        code: 'RECORD_TYPE_UNKNOWN',
        field: '[0].recordType',
      });
      expect((await put([{ recordType: 'certificates', keepMonths: 12 }]).expect(422)).body).toMatchObject({
        code: 'RECORD_TYPE_KEPT',
        field: '[0].recordType',
        message: expect.stringContaining('verified'),
      });
      expect(
        (
          await put([
            { recordType: 'attendance', keepMonths: 24 },
            { recordType: 'logbook-entries', keepMonths: 11 },
          ]).expect(422)
        ).body,
      ).toMatchObject({ code: 'KEEP_MONTHS_OUT_OF_RANGE', field: '[1].keepMonths' });
      await put([{ recordType: 'sign-in-links', keepMonths: 0 }]).expect(422);
      await put([{ recordType: 'sign-in-links', keepMonths: 1201 }]).expect(422);
      await put([
        { recordType: 'attendance', keepMonths: 24 },
        { recordType: 'attendance', keepMonths: 36 },
      ]).expect(422);
      // Nothing of a refused list is kept.
      const { body } = await adminAgent.get('/api/v1/retention-policies').expect(200);
      expect(
        body.find((policy: { recordType: string }) => policy.recordType === 'attendance').keepMonths,
      ).toBe(72);
    });

    it('is for admins only', async () => {
      const lead = await t.signedIn(setup.lead);
      await lead.get('/api/v1/retention-policies').expect(403);
      await lead.get('/api/v1/retention-policies/dry-run').expect(403);
      await lead
        .put('/api/v1/retention-policies')
        .send([{ recordType: 'attendance', keepMonths: 24 }])
        .expect(403);
      await lead.get('/admin/retention').expect(403);
    });

    it('saves a period, audited with before and after, and the dry run uses it', async () => {
      const { body } = await adminAgent
        .put('/api/v1/retention-policies')
        .send([
          { recordType: 'attendance', keepMonths: 12 },
          { recordType: 'email-log', keepMonths: 24 },
        ])
        .expect(200);
      expect(body.find((policy: { recordType: string }) => policy.recordType === 'attendance')).toMatchObject(
        {
          keepMonths: 12,
          defaultKeepMonths: 72,
        },
      );
      const [event] = await query<{ actor_id: string; details: unknown }>(
        `SELECT actor_id, details FROM audit_events WHERE action = 'retention.policy_changed'`,
      );
      // The e-mail log was listed at its period already: only the change is recorded.
      expect(event).toEqual({
        actor_id: admin.id,
        details: { changes: [{ recordType: 'attendance', before: 72, after: 12 }] },
      });
      const { body: dryRun } = await adminAgent.get('/api/v1/retention-policies/dry-run').expect(200);
      // The recent cohort's sessions were two years ago: past a year.
      const attendance = (dryRun as Due[]).find((row) => row.recordType === 'attendance')!;
      expect(attendance).toMatchObject({ keepMonths: 12, due: 2 });
      // Counted for the next nightly run, within a day, a year before it.
      const runsAt = new Date(attendance.runsAt);
      expect(runsAt.getTime() - Date.now()).toBeGreaterThan(0);
      expect(runsAt.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
      expect(attendance.cutoff).toBe(retentionCutoff(runsAt, 12).toISOString());
    });
  });

  describe('page', () => {
    it('shows each period, what is kept without one, the dry run and the last run', async () => {
      const browser = await t.signedInThroughPage(admin);
      const page = await browser.get('/admin/retention').expect(200);
      expect(page.text).toContain('How long records are kept');
      expect(page.text).toMatch(/id="keepMonths_attendance"[^>]*value="12"/);
      expect(page.text).toContain('Certificates are kept as long as they can be verified');
      expect(page.text).toContain('At the next run');
      expect(page.text).toMatch(/What the run on \d{1,2} [A-Z][a-z]{2} \d{4} at 02:30 would delete/);
      expect(page.text).toContain('Finished');
      const dashboard = await browser.get('/').expect(200);
      expect(dashboard.text).toContain('href="/admin/retention"');
    });

    it('shows a refused period beside its field, keeps what was typed, and saves a good one', async () => {
      const browser = await t.signedInThroughPage(admin);
      const csrf = await csrfTokenFrom(browser, '/admin/retention');
      const { body: policies } = await adminAgent.get('/api/v1/retention-policies').expect(200);
      const form: Record<string, string> = { _csrf: csrf };
      for (const policy of policies as Array<{ recordType: string; keepMonths: number | null }>)
        if (policy.keepMonths !== null) form[`keepMonths_${policy.recordType}`] = String(policy.keepMonths);

      await browser
        .post('/admin/retention')
        .type('form')
        .send({ ...form, 'keepMonths_logbook-entries': '3' })
        .expect(303)
        .expect('location', '/admin/retention');
      let page = await browser.get('/admin/retention').expect(200);
      expect(page.text).toContain('id="keepMonths_logbook-entries-error"');
      expect(page.text).toContain('Keep logbook-entries for between 12 and 1200 months');
      expect(page.text).toMatch(/id="keepMonths_logbook-entries"[^>]*value="3"/);

      await browser
        .post('/admin/retention')
        .type('form')
        .send({ ...form, 'keepMonths_email-bodies': 'six' })
        .expect(303);
      page = await browser.get('/admin/retention').expect(200);
      expect(page.text).toContain('id="keepMonths_email-bodies-error"');

      await browser
        .post('/admin/retention')
        .type('form')
        .send({ ...form, 'keepMonths_email-bodies': '3' })
        .expect(303);
      page = await browser.get('/admin/retention').expect(200);
      expect(page.text).toContain('The retention periods have been saved.');
      expect(page.text).toMatch(/id="keepMonths_email-bodies"[^>]*value="3"/);
    });
  });
});
