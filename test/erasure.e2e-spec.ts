import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import TestAgent from 'supertest/lib/agent';
import { CertificatesService } from 'src/certificates/certificates.service';
import { createRenderPool, RenderPool } from 'src/certificates/render-pool';
import { CoverageRefreshService } from 'src/reports/coverage-refresh.service';
import { ERASED_NAME, erasedEmail } from 'src/users/erased-account';
import { authorisationWorld, AuthorisationWorld, World } from './support/authorisation-world';
import { eventually } from './support/eventually';
import { readPdf } from './support/pdf';
import { csrfTokenFrom, TestApp } from './support/test-app';
import { download } from './support/zip';

const FEEDBACK = 'Say more about what you will do differently next time.';

const EARLIER_ADDRESS = 'earlier.address@example.org';

describe('Erasure', () => {
  let t: TestApp;
  let world: AuthorisationWorld;
  let own: World;
  let admin: TestAgent;

  const rows = <Row = Record<string, unknown>>(sql: string, parameters: unknown[] = []) =>
    t.dataSource.query<Row[]>(sql, parameters);

  /** The coverage report as the commissioners read it, refreshed first as the nightly job does. */
  const coverage = async () => {
    await t.app.get(CoverageRefreshService).refresh();
    const { body } = await admin.get('/api/v1/reports/coverage?format=json').expect(200);
    const { refreshedAt, ...report } = body as { refreshedAt: string };
    expect(refreshedAt).toEqual(expect.any(String));
    return report;
  };

  beforeAll(async () => {
    t = await TestApp.start();
    world = await authorisationWorld(t);
    own = world.own;
    admin = await t.signedIn(world.admin);
    // The trainee's entry returned with feedback: a review of their logbook, which goes with it.
    await (
      await t.signedIn(own.facilitator)
    )
      .post(`/api/v1/logbook/entries/${own.entryId}/review`)
      .send({ decision: 'returned', feedback: FEEDBACK })
      .expect(200);
    // A message to the trainee that has not gone yet, which erasure cancels.
    await rows(
      `INSERT INTO email_messages (to_address, template, subject, context, status)
       VALUES ($1, 'password-reset', 'Reset your password', $2::jsonb, 'failed')`,
      [own.trainee.email, JSON.stringify({ name: own.trainee.name })],
    );
    // A message to their lead that names them.
    await rows(
      `INSERT INTO email_messages (to_address, template, subject, context, status, sent_at)
       VALUES ($1, 'enrolment-withdrawn', $2, $3::jsonb, 'sent', now())`,
      [
        own.lead.email,
        `${own.trainee.name} has withdrawn`,
        JSON.stringify({
          name: own.lead.name,
          trainee: { name: own.trainee.name, email: own.trainee.email },
          note: `Asked by ${own.trainee.name.toUpperCase()} on the phone`,
        }),
      ],
    );
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  }, 30_000);

  describe('of a trainee who has everything, under the default policy (names removed)', () => {
    let before: {
      coverage: unknown;
      enrolments: unknown[];
      attendance: unknown[];
      signOffs: Array<{ id: string; outcome: string }>;
      certificates: Array<{ id: string; serial: string; sha256: string; status: string }>;
      copies: Array<{ id: string; sha256: string }>;
      issues: unknown[];
      auditEvents: number;
      otherTrainee: unknown[];
    };
    let traineeAgent: TestAgent;
    let erasure: { userId: string; tables: Record<string, { deleted?: number; anonymised?: number }> };
    const reason = 'Asked for erasure by e-mail on 1 December 2026, reference IG-0042';

    beforeAll(async () => {
      traineeAgent = await t.signedIn(own.trainee);
      const trainee = own.trainee.id;
      // Wrong passwords lock the account: Redis and the audit log then hold its address.
      for (let attempt = 1; attempt <= 5; attempt++)
        await t.agent().post('/api/v1/auth/login').send({ email: own.trainee.email, password: 'guess' });
      expect(await t.redis.exists(`signin:lock:account:${own.trainee.email}`)).toBe(1);
      // An address they had before an admin changed it, with a lock audited under it then.
      await rows(
        `INSERT INTO audit_events (action, subject_type, subject_id, details)
         VALUES ('user.updated', 'user', $1, '{"email": "${EARLIER_ADDRESS}"}'),
                ('auth.locked', 'sign_in_account', '${EARLIER_ADDRESS}', '{"failures": 5}')`,
        [trainee],
      );
      before = {
        coverage: await coverage(),
        enrolments: await rows(`SELECT * FROM enrolments WHERE trainee_id = $1 ORDER BY id`, [trainee]),
        attendance: await rows(`SELECT * FROM attendance WHERE enrolment_id = $1 ORDER BY session_id`, [
          own.enrolmentId,
        ]),
        signOffs: await rows(
          `SELECT id, outcome FROM competency_sign_offs WHERE enrolment_id = $1 ORDER BY id`,
          [own.enrolmentId],
        ),
        certificates: await rows(
          `SELECT id, serial, sha256, status, verification_code FROM certificates WHERE enrolment_id = $1 ORDER BY id`,
          [own.enrolmentId],
        ),
        copies: await rows(
          `SELECT k.id, k.sha256 FROM material_copies k JOIN material_issues i ON i.id = k.issue_id
            WHERE i.holder_id = $1 ORDER BY k.id`,
          [trainee],
        ),
        issues: await rows(`SELECT * FROM material_issues WHERE holder_id = $1 ORDER BY id`, [trainee]),
        auditEvents: (
          await rows<{ count: number }>(
            `SELECT count(*)::int AS count FROM audit_events
              WHERE actor_id = $1 OR (subject_type = 'user' AND subject_id = $1::text)`,
            [trainee],
          )
        )[0].count,
        otherTrainee: await rows(
          `SELECT l.* FROM logbook_entries l JOIN enrolments e ON e.id = l.enrolment_id
            WHERE e.trainee_id = $1 ORDER BY l.id`,
          [world.other.trainee.id],
        ),
      };
      expect(before.certificates).toHaveLength(2);
      expect(before.copies).toHaveLength(1);
      for (const { serial } of before.certificates)
        expect(existsSync(join(t.config.STORAGE_DIR, 'certificates', `${serial}.pdf`))).toBe(true);

      const { body } = await admin
        .post(`/api/v1/users/${trainee}/erase`)
        .send({ reason: `  ${reason}  ` })
        .expect(200);
      erasure = body;
    }, 120_000);

    it('answers with what it did to each table', () => {
      expect(erasure.userId).toBe(own.trainee.id);
      expect(erasure.tables).toEqual(
        expect.objectContaining({
          users: { anonymised: 1 },
          calendar_feeds: { deleted: 1 },
          logbook_entries: { deleted: expect.any(Number) },
          logbook_revisions: { deleted: expect.any(Number) },
          logbook_reviews: { deleted: 1 },
          competency_sign_offs: { anonymised: before.signOffs.length },
          certificates: { anonymised: 2 },
          material_copies: { anonymised: 1 },
          email_messages: { deleted: 1, anonymised: expect.any(Number) },
          audit_events: { anonymised: expect.any(Number) },
          redis_sign_in_throttle: { deleted: 2 },
        }),
      );
    });

    it('keeps the account without name, address, password or sign-in, with what coverage counts it by', async () => {
      const [user] = await rows(`SELECT * FROM users WHERE id = $1`, [own.trainee.id]);
      expect(user).toEqual(
        expect.objectContaining({
          name: ERASED_NAME,
          email: erasedEmail(own.trainee.id),
          password_hash: null,
          status: 'erased',
          last_signed_in_at: null,
          roles: ['trainee'],
          organisation_id: own.organisationId,
          profession: 'social_worker',
        }),
      );
      expect(await rows(`SELECT * FROM user_tokens WHERE user_id = $1`, [own.trainee.id])).toEqual([]);
      expect(await rows(`SELECT * FROM calendar_feeds WHERE user_id = $1`, [own.trainee.id])).toEqual([]);
    });

    it('keeps enrolments, attendance and material issues as they were, and the coverage report unchanged', async () => {
      expect(
        await rows(`SELECT * FROM enrolments WHERE trainee_id = $1 ORDER BY id`, [own.trainee.id]),
      ).toEqual(before.enrolments);
      expect(
        await rows(`SELECT * FROM attendance WHERE enrolment_id = $1 ORDER BY session_id`, [own.enrolmentId]),
      ).toEqual(before.attendance);
      expect(
        await rows(`SELECT * FROM material_issues WHERE holder_id = $1 ORDER BY id`, [own.trainee.id]),
      ).toEqual(before.issues);
      expect(await coverage()).toEqual(before.coverage);
    });

    it('deletes the logbook: every entry, revision and review of it', async () => {
      const ofTrainee = `JOIN logbook_entries l ON l.id = x.entry_id JOIN enrolments e ON e.id = l.enrolment_id
                          WHERE e.trainee_id = $1`;
      expect(
        await rows(
          `SELECT l.id FROM logbook_entries l JOIN enrolments e ON e.id = l.enrolment_id WHERE e.trainee_id = $1`,
          [own.trainee.id],
        ),
      ).toEqual([]);
      expect(await rows(`SELECT x.id FROM logbook_revisions x ${ofTrainee}`, [own.trainee.id])).toEqual([]);
      expect(await rows(`SELECT x.id FROM logbook_reviews x ${ofTrainee}`, [own.trainee.id])).toEqual([]);
      expect(await rows(`SELECT id FROM logbook_entries WHERE id = $1`, [own.entryId])).toEqual([]);
      expect(await rows(`SELECT id FROM logbook_reviews WHERE feedback = $1`, [FEEDBACK])).toEqual([]);
    });

    it('keeps each competency record’s outcome, signer and date, without comment or evidence', async () => {
      const after = await rows<{
        id: string;
        outcome: string;
        comment: string;
        evidence_entry_ids: string[];
      }>(
        `SELECT id, outcome, comment, evidence_entry_ids FROM competency_sign_offs WHERE enrolment_id = $1 ORDER BY id`,
        [own.enrolmentId],
      );
      expect(after.map(({ id, outcome }) => ({ id, outcome }))).toEqual(before.signOffs);
      for (const signOff of after) {
        expect(signOff.comment).toBe('');
        expect(signOff.evidence_entry_ids).toEqual([]);
      }
    });

    it('keeps certificates verifiable by code with course and date, without the name, and deletes their PDFs', async () => {
      const after = await rows<{
        id: string;
        serial: string;
        sha256: string;
        status: string;
        holder_name: string;
      }>(
        `SELECT id, serial, sha256, status, holder_name, verification_code FROM certificates
          WHERE enrolment_id = $1 ORDER BY id`,
        [own.enrolmentId],
      );
      expect(after.map(({ holder_name: _name, ...kept }) => kept)).toEqual(before.certificates);
      expect(after.map((certificate) => certificate.holder_name)).toEqual([null, null]);
      for (const { serial } of before.certificates)
        await eventually(
          `the PDF of ${serial} deleted`,
          async () => !existsSync(join(t.config.STORAGE_DIR, 'certificates', `${serial}.pdf`)),
        );

      const { body } = await t.agent().get(`/api/v1/verify/${own.verificationCode}`).expect(200);
      expect(body).toEqual(
        expect.objectContaining({ status: 'valid', holderName: null, course: expect.any(String) }),
      );
      expect(body.issuedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const page = await t.agent().get(`/verify/${own.verificationCode}`).expect(200);
      expect(page.text).toContain('Not shown: the holder’s personal data has been erased');
      expect(page.text).not.toContain(own.trainee.name);

      const lead = await t.signedIn(own.lead);
      const refused = await lead.get(`/api/v1/certificates/${own.certificateId}/pdf`).expect(410);
      expect(refused.body.code).toBe('CERTIFICATE_PDF_ERASED');
      const reissue = await lead
        .post(`/api/v1/certificates/${own.certificateId}/reissue`)
        .send({})
        .expect(409);
      expect(reissue.body.code).toBe('ACCOUNT_ERASED');
      const { body: credential } = await lead
        .get(`/api/v1/certificates/${own.certificateId}/credential`)
        .expect(200);
      expect(JSON.stringify(credential)).not.toContain(own.trainee.name);
    });

    it('replaces the name stamped on each downloaded copy, keeping the copy and its hash', async () => {
      const copies = await rows<{ id: string; sha256: string; stamp: string }>(
        `SELECT k.id, k.sha256, k.stamp FROM material_copies k JOIN material_issues i ON i.id = k.issue_id
          WHERE i.holder_id = $1 ORDER BY k.id`,
        [own.trainee.id],
      );
      expect(copies.map(({ id, sha256 }) => ({ id, sha256 }))).toEqual(before.copies);
      expect(copies[0].stamp).toMatch(new RegExp(`^Licensed to ${ERASED_NAME} · `));
      expect(copies[0].stamp).not.toContain(own.trainee.name);
    });

    it('cancels mail not sent and keeps sent mail without address, contents or attachments', async () => {
      expect(
        await rows(`SELECT id FROM email_messages WHERE lower(to_address) = $1`, [own.trainee.email]),
      ).toEqual([]);
      const sent = await rows<{ status: string; context: object; attachments: unknown[] }>(
        `SELECT status, context, attachments FROM email_messages WHERE to_address = $1`,
        [erasedEmail(own.trainee.id)],
      );
      expect(sent.length).toBeGreaterThan(0);
      for (const mail of sent) expect(mail).toEqual({ status: 'sent', context: {}, attachments: [] });

      const [toLead] = await rows<{ subject: string; context: object }>(
        `SELECT subject, context FROM email_messages WHERE to_address = $1 AND template = 'enrolment-withdrawn'`,
        [own.lead.email],
      );
      expect(toLead).toEqual({
        subject: `${ERASED_NAME} has withdrawn`,
        context: {
          name: own.lead.name,
          trainee: { name: ERASED_NAME, email: '(erased)' },
          note: `Asked by ${ERASED_NAME} on the phone`,
        },
      });
      const everything = JSON.stringify(await rows(`SELECT * FROM email_messages`));
      expect(everything).not.toContain(own.trainee.email);
      expect(everything).not.toContain(own.trainee.name);
      expect(everything).not.toContain(own.trainee.name.toUpperCase());
    });

    it('keeps the audit trail by and about them, without their name, address or network address', async () => {
      const events = await rows<{
        action: string;
        actor_id: string;
        ip_address: string | null;
        details: object;
      }>(
        `SELECT action, actor_id, ip_address, details FROM audit_events
          WHERE actor_id = $1 OR (subject_type = 'user' AND subject_id = $1::text) ORDER BY id`,
        [own.trainee.id],
      );
      expect(events).toHaveLength(before.auditEvents + 1);
      expect(events.map((event) => event.action)).toContain('auth.signed_in');
      expect(
        await rows(
          `SELECT subject_id FROM audit_events WHERE action = 'auth.locked' AND subject_type = 'sign_in_account'`,
        ),
      ).toEqual([{ subject_id: '(erased)' }, { subject_id: '(erased)' }]);
      for (const event of events.filter((event) => event.actor_id === own.trainee.id))
        expect(event.ip_address).toBeNull();
      const everything = JSON.stringify(await rows(`SELECT * FROM audit_events`));
      expect(everything).not.toContain(own.trainee.email);
      expect(everything).not.toContain(EARLIER_ADDRESS);
      expect(everything).not.toContain(`"${own.trainee.name}"`);

      const { body } = await admin
        .get(`/api/v1/audit-events?action=user.erased&subjectId=${own.trainee.id}`)
        .expect(200);
      expect(body.events).toEqual([
        expect.objectContaining({
          actorId: world.admin.id,
          details: { reason, tables: erasure.tables },
        }),
      ]);
    });

    it('ends every session of the person, and they cannot sign in again', async () => {
      await traineeAgent.get('/api/v1/me').expect(401);
      for (const key of ['lock', 'attempts'])
        expect(await t.redis.exists(`signin:${key}:account:${own.trainee.email}`)).toBe(0);
      await eventually(
        'the person’s sessions ended',
        async () => (await t.redis.smembers(`user-sessions:${own.trainee.id}`)).length === 0,
      );
      await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: own.trainee.email, password: own.trainee.password })
        .expect(401);
    });

    it('leaves a subject access export of the erased account holding nothing personal', async () => {
      const { zip } = await download(admin, `/api/v1/users/${own.trainee.id}/export`);
      try {
        const archive = zip.everything();
        for (const personal of [
          own.trainee.name,
          own.trainee.email,
          'I felt uneasy with silence',
          FEEDBACK,
          'Seen in the role play',
        ])
          expect(archive).not.toContain(personal);
        expect(zip.names().filter((name) => name.startsWith('files/'))).toEqual([]);
      } finally {
        zip.remove();
      }
    });

    it('leaves other people’s data as it was', async () => {
      expect(
        await rows(
          `SELECT l.* FROM logbook_entries l JOIN enrolments e ON e.id = l.enrolment_id
            WHERE e.trainee_id = $1 ORDER BY l.id`,
          [world.other.trainee.id],
        ),
      ).toEqual(before.otherTrainee);
      const [other] = await rows(`SELECT name, email, status FROM users WHERE id = $1`, [
        world.other.trainee.id,
      ]);
      expect(other).toEqual({
        name: world.other.trainee.name,
        email: world.other.trainee.email,
        status: 'active',
      });
      const [facilitator] = await rows(`SELECT name FROM users WHERE id = $1`, [own.facilitator.id]);
      expect(facilitator.name).toBe(own.facilitator.name);
    });

    it('refuses to erase the same person twice, or to change the erased account', async () => {
      const again = await admin.post(`/api/v1/users/${own.trainee.id}/erase`).send({ reason }).expect(409);
      expect(again.body.code).toBe('ACCOUNT_ERASED');
      await admin.patch(`/api/v1/users/${own.trainee.id}`).send({ name: 'Back again' }).expect(409);
    });
  });

  it('keeps the name on certificates of an organisation whose policy keeps it, with their PDF', async () => {
    const other = world.other;
    const { body: organisation } = await admin
      .patch(`/api/v1/organisations/${other.organisationId}`)
      .send({ certificateNamesAfterErasure: 'keep' })
      .expect(200);
    expect(organisation.certificateNamesAfterErasure).toBe('keep');
    const [{ serial }] = await rows<{ serial: string }>(`SELECT serial FROM certificates WHERE id = $1`, [
      other.certificateId,
    ]);

    await admin.post(`/api/v1/users/${other.trainee.id}/erase`).send({ reason: 'Asked for it' }).expect(200);
    const { body } = await t.agent().get(`/api/v1/verify/${other.verificationCode}`).expect(200);
    expect(body).toEqual(expect.objectContaining({ status: 'valid', holderName: other.trainee.name }));
    // The event that deletes named PDFs has been delivered, and this one stayed.
    await eventually('the erasure’s event delivered', async () => {
      const [event] = await rows<{ completed_at: Date | null }>(
        `SELECT completed_at FROM domain_events WHERE name = 'user.erased' AND payload->>'userId' = $1`,
        [other.trainee.id],
      );
      return !!event?.completed_at;
    });
    expect(existsSync(join(t.config.STORAGE_DIR, 'certificates', `${serial}.pdf`))).toBe(true);
  });

  it('keeps reviews and sign-offs a facilitator made about trainees, naming the erased account', async () => {
    const other = world.other;
    const [before] = await rows<{ count: number }>(
      `SELECT count(*)::int AS count FROM competency_sign_offs WHERE signed_by_id = $1 AND comment <> ''`,
      [other.facilitator.id],
    );
    // A trainee's co-facilitation, observed by the facilitator and naming them.
    const [{ id: observed }] = await rows<{ id: string }>(
      `INSERT INTO logbook_entries (enrolment_id, kind, status, occurred_on, observed, observed_by)
       VALUES ($1, 'co_facilitation', 'draft', current_date, true, $2) RETURNING id`,
      [other.enrolmentId, other.facilitator.name],
    );
    await admin
      .post(`/api/v1/users/${other.facilitator.id}/erase`)
      .send({ reason: 'Left the service' })
      .expect(200);
    const [after] = await rows<{ count: number }>(
      `SELECT count(*)::int AS count FROM competency_sign_offs WHERE signed_by_id = $1 AND comment <> ''`,
      [other.facilitator.id],
    );
    expect(after.count).toBe(before.count);
    const [entry] = await rows(`SELECT observed_by FROM logbook_entries WHERE id = $1`, [observed]);
    expect(entry.observed_by).toBe(ERASED_NAME);
    const [facilitation] = await rows(`SELECT role FROM cohort_facilitators WHERE user_id = $1`, [
      other.facilitator.id,
    ]);
    expect(facilitation).toBeDefined();
    const lead = await t.signedIn(other.lead);
    const { body } = await lead.get(`/api/v1/cohorts/${other.cohortId}`).expect(200);
    expect(JSON.stringify(body)).toContain(ERASED_NAME);
    expect(JSON.stringify(body)).not.toContain(other.facilitator.name);
  });

  it('makes a certificate again without the name when the holder is erased while its PDF is being made', async () => {
    const holder = await t.newUser(['trainee'], { name: 'Rosalind Renderwhile' });
    const [{ id: enrolmentId }] = await rows<{ id: string }>(
      `INSERT INTO enrolments (cohort_id, trainee_id, status, enrolled_at) VALUES ($1, $2, 'enrolled', now())
       RETURNING id`,
      [own.cohortId, holder.id],
    );
    const serial = 'FND-2026-998001';
    const [{ id: certificateId }] = await rows<{ id: string }>(
      `INSERT INTO certificates (enrolment_id, course_code, serial, verification_code, holder_name, issued_by_id,
                                 status, issued_at)
       VALUES ($1, 'foundation', $2, 'erased-while-rendered', $3, $4, 'queued', now()) RETURNING id`,
      [enrolmentId, serial, holder.name, own.lead.id],
    );
    const pdfPath = join(t.config.STORAGE_DIR, 'certificates', `${serial}.pdf`);
    const certificates = t.app.get(CertificatesService);
    const pool = createRenderPool(1);
    try {
      // The erasure commits, and its event is delivered, after the render read the name and before it stored the PDF.
      const erasedMeanwhile: RenderPool = {
        render: async (document) => {
          await admin.post(`/api/v1/users/${holder.id}/erase`).send({ reason: 'Asked for it' }).expect(200);
          await eventually('the erasure’s event delivered', async () => {
            const [event] = await rows<{ completed_at: Date | null }>(
              `SELECT completed_at FROM domain_events WHERE name = 'user.erased' AND payload->>'userId' = $1`,
              [holder.id],
            );
            return !!event?.completed_at;
          });
          return pool.render(document);
        },
        close: () => pool.close(),
      };
      await expect(certificates.render(certificateId, erasedMeanwhile, false)).rejects.toThrow(
        /name was removed/,
      );
      expect(existsSync(pdfPath)).toBe(false);

      await certificates.render(certificateId, pool, false);
    } finally {
      await pool.close();
    }
    const [certificate] = await rows(`SELECT status, holder_name FROM certificates WHERE id = $1`, [
      certificateId,
    ]);
    expect(certificate).toEqual({ status: 'issued', holder_name: null });
    const text = readPdf(readFileSync(pdfPath)).pages.join('\n');
    expect(text).not.toContain(holder.name);
    expect(text).toContain('Name removed');
  });

  it('refuses anyone but an admin, an unknown person, one’s own account, and a missing or empty reason', async () => {
    const target = await t.newUser(['trainee']);
    const path = `/api/v1/users/${target.id}/erase`;
    await t.agent().post(path).send({ reason: 'x' }).expect(401);
    await (await t.signedIn(own.lead)).post(path).send({ reason: 'x' }).expect(403);
    await (await t.signedIn(world.commissioner)).post(path).send({ reason: 'x' }).expect(403);
    await admin
      .post('/api/v1/users/00000000-0000-4000-8000-000000000000/erase')
      .send({ reason: 'x' })
      .expect(404);
    const self = await admin.post(`/api/v1/users/${world.admin.id}/erase`).send({ reason: 'x' }).expect(409);
    expect(self.body.code).toBe('OWN_ACCOUNT_ERASURE');
    for (const body of [{}, { reason: '   ' }, { reason: 42 }, { reason: 'x'.repeat(501) }]) {
      const refused = await admin.post(path).send(body).expect(400);
      expect(JSON.stringify(refused.body)).toContain('reason');
    }
    const [user] = await rows(`SELECT status FROM users WHERE id = $1`, [target.id]);
    expect(user.status).toBe('active');
  });

  it('lists on the confirmation what is still under way, which erasure leaves as it is', async () => {
    const target = await t.newUser(['trainee', 'facilitator'], { name: 'Ulrica Underway' });
    const [running] = await rows<{ id: string; title: string }>(
      `SELECT id, title FROM cohorts WHERE status NOT IN ('completed', 'cancelled') ORDER BY title LIMIT 1`,
    );
    const browser = await t.signedInThroughPage(world.admin);
    const idle = await browser.get(`/admin/users/${target.id}/erase`).expect(200);
    expect(idle.text).not.toContain('Still under way');

    await rows(
      `INSERT INTO enrolments (cohort_id, trainee_id, status, waitlist_position) VALUES ($1, $2, 'waitlisted', 1)`,
      [running.id, target.id],
    );
    await rows(`INSERT INTO cohort_facilitators (cohort_id, user_id, role) VALUES ($1, $2, 'co')`, [
      running.id,
      target.id,
    ]);
    const underway = await browser.get(`/admin/users/${target.id}/erase`).expect(200);
    expect(underway.text).toContain('Still under way');
    expect(underway.text).toContain(`Is on the waiting list of ${running.title}, which has not finished`);
    expect(underway.text).toContain(`Is a co-facilitator of ${running.title}, which has not finished`);
  });

  it('offers erasure on the admin’s page of a person, confirms with the reason, and shows errors beside it', async () => {
    const target = await t.newUser(['trainee'], { name: 'Perdita Pagewise' });
    const browser = await t.signedInThroughPage(world.admin);
    const person = await browser.get(`/admin/users/${target.id}`).expect(200);
    expect(person.text).toContain(`href="/admin/users/${target.id}/erase"`);
    const confirm = await browser.get(`/admin/users/${target.id}/erase`).expect(200);
    expect(confirm.text).toContain('This cannot be undone');
    expect(confirm.text).toContain('What is kept, without their name');

    const csrf = await csrfTokenFrom(browser, `/admin/users/${target.id}/erase`);
    await browser
      .post(`/admin/users/${target.id}/erase`)
      .type('form')
      .send({ _csrf: csrf, reason: '' })
      .expect(303)
      .expect('location', `/admin/users/${target.id}/erase`);
    const refused = await browser.get(`/admin/users/${target.id}/erase`).expect(200);
    expect(refused.text).toContain('id="reason-error"');
    expect(refused.text).toContain('Give the reason for erasing this person’s data');

    const again = await csrfTokenFrom(browser, `/admin/users/${target.id}/erase`);
    await browser
      .post(`/admin/users/${target.id}/erase`)
      .type('form')
      .send({ _csrf: again, reason: 'Asked in person' })
      .expect(303)
      .expect('location', `/admin/users/${target.id}`);
    const done = await browser.get(`/admin/users/${target.id}`).expect(200);
    expect(done.text).toContain('Perdita Pagewise’s data has been erased');
    expect(done.text).not.toContain(`href="/admin/users/${target.id}/erase"`);
    expect(done.text).toContain('This person’s data has been erased');
    const list = await browser.get('/admin/users?q=Erased').expect(200);
    expect(list.text).toContain('Data erased');
    const [user] = await rows(`SELECT status FROM users WHERE id = $1`, [target.id]);
    expect(user.status).toBe('erased');

    await browser
      .post(`/admin/users/${target.id}/erase`)
      .type('form')
      .send({ reason: 'No token' })
      .expect(403);
  });

  it('lets an admin set an organisation’s certificate name policy on its page', async () => {
    const browser = await t.signedInThroughPage(world.admin);
    const page = await browser.get(`/admin/organisations/${own.organisationId}`).expect(200);
    expect(page.text).toContain('name="certificateNamesAfterErasure"');
    expect(page.text).toMatch(/value="remove" checked/);
    await admin
      .patch(`/api/v1/organisations/${own.organisationId}`)
      .send({ certificateNamesAfterErasure: 'sometimes' })
      .expect(400);
    await admin
      .patch(`/api/v1/organisations/${own.organisationId}`)
      .send({ certificateNamesAfterErasure: null })
      .expect(400);
  });
});
