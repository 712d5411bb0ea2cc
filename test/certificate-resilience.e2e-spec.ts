import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sha256 } from 'src/common/sha256';
import { CertificatesService } from 'src/certificates/certificates.service';
import { createRenderPool } from 'src/certificates/render-pool';
import { QUEUES } from 'src/common/queues';
import {
  cohortSetup,
  CohortSetup,
  createCohort,
  enrolDirectly,
  meetEveryRequirement,
} from './support/cohort-factory';
import { eventually } from './support/eventually';
import { PrivateRedis } from './support/private-redis';
import { hideRefusedConnections } from './support/refused-connections';
import { TestApp } from './support/test-app';
import { WorkerProcess } from './support/worker-process';

// Enough, rendered on one thread, that a run is still under way when the test breaks something.
const TRAINEES = 80;
const SUBJECT = 'Your Foundation certificate';

/**
 * The certificates issue's promise: a worker killed mid-job, or Redis restarted empty mid-run, still ends with each
 * certificate made once and e-mailed once. Only worker processes that the tests start and kill take jobs.
 */
describe('Certificates through a failure', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let setup: CohortSetup;
  let storage: string;
  let queues: Queue[];

  beforeAll(async () => {
    hideRefusedConnections();
    redis = await PrivateRedis.onFreePort();
    await redis.start();
    storage = mkdtempSync(join(tmpdir(), 'fpm-resilience-'));
    t = await TestApp.start(
      {
        REDIS_URL: redis.url,
        STORAGE_DIR: storage,
        // A killed worker's jobs are taken over within seconds, and a lost job found within one, not minutes.
        JOB_LOCK_MS: '2000',
        SWEEP_INTERVAL_MS: '1000',
        RENDER_THREADS: '1',
        MAIL_RETRY_DELAY_MS: '100',
      },
      { worker: false },
    );
    setup = await cohortSetup(t);
    queues = [QUEUES.certificates, QUEUES.events].map((name) => t.app.get<Queue>(getQueueToken(name)));
  }, 60_000);

  afterEach(async () => {
    t.smtp.resume();
    await WorkerProcess.killAll();
  });

  afterAll(async () => {
    await t?.close();
    await redis?.stop();
    if (storage) rmSync(storage, { recursive: true, force: true });
  });

  let cohorts = 0;

  /** A cohort that has ended, each of whose trainees has met every requirement; each on a day of its own. */
  async function eligibleCohort(size = TRAINEES) {
    // Signed in afresh: a Redis restarted empty has forgotten every session.
    setup.leadAgent = await t.signedIn(setup.lead);
    const cohort = await createCohort(setup, {
      daysFromNow: -10 - ++cohorts,
      count: 1,
      capacity: size,
      facilitatorIds: [setup.facilitators[0].id],
    });
    const trainees = await enrolDirectly(t, cohort.id, size);
    const facilitator = await t.signedIn(setup.facilitators[0]);
    await facilitator
      .put(`/api/v1/sessions/${cohort.sessions[0].id}/attendance`)
      .send(trainees.map(({ enrolmentId }) => ({ enrolmentId, status: 'present' })))
      .expect(200);
    const enrolmentIds = trainees.map(({ enrolmentId }) => enrolmentId);
    await meetEveryRequirement(t, enrolmentIds, cohort.sessions[0].id, setup.facilitators[0].id);
    return { id: cohort.id, emails: trainees.map(({ email }) => email) };
  }

  async function issueAll(cohort: { id: string; emails: string[] }): Promise<string[]> {
    const { body } = await setup.leadAgent.post(`/api/v1/cohorts/${cohort.id}/certificates`).expect(202);
    expect(body.queued).toHaveLength(cohort.emails.length);
    return body.queued.map((queued: { certificateId: string }) => queued.certificateId);
  }

  async function certificatesMade(cohortId: string): Promise<{ made: number; unmade: number }> {
    const [counts] = await t.dataSource.query(
      `SELECT count(*) FILTER (WHERE c.status = 'issued')::int AS made,
              count(*) FILTER (WHERE c.status <> 'issued')::int AS unmade
         FROM certificates c JOIN enrolments e ON e.id = c.enrolment_id WHERE e.cohort_id = $1`,
      [cohortId],
    );
    return counts;
  }

  const made = async (cohortId: string) => (await certificatesMade(cohortId)).made;

  /** Everything still to happen: events not yet delivered, and jobs other than the sweepers' ticks. */
  async function outstanding(cohortId: string) {
    const [{ events }] = await t.dataSource.query(
      'SELECT count(*)::int AS events FROM domain_events WHERE completed_at IS NULL',
    );
    const jobs = (
      await Promise.all(
        queues.map((queue) => queue.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'paused'])),
      )
    )
      .flat()
      .filter((job) => job && job.name !== 'sweep');
    const { unmade } = await certificatesMade(cohortId);
    return { unmade, events, jobs: jobs.map((job) => `${job.queueName}:${job.name}`) };
  }

  /** Waits until nothing is left to do: only then can a count of e-mails say that none will follow. */
  async function settled(cohortId: string, worker: WorkerProcess): Promise<void> {
    await eventually(
      'every certificate made and nothing left to deliver',
      async () => {
        const left = await outstanding(cohortId);
        return left.unmade === 0 && left.events === 0 && left.jobs.length === 0;
      },
      {
        timeoutMs: 45_000,
        explain: async () =>
          `${JSON.stringify(await outstanding(cohortId))}\nworker output:\n${worker.output()}`,
      },
    );
  }

  const mailsTo = (email: string) =>
    t.smtp.messages.filter((mail) => mail.subject === SUBJECT && mail.to.includes(email));

  async function expectEachMadeAndSentOnce(cohort: { id: string; emails: string[] }): Promise<void> {
    const certificates: Array<{ id: string; serial: string; status: string; sha256: string; email: string }> =
      await t.dataSource.query(
        `SELECT c.id, c.serial, c.status, c.sha256, u.email
           FROM certificates c JOIN enrolments e ON e.id = c.enrolment_id JOIN users u ON u.id = e.trainee_id
          WHERE e.cohort_id = $1`,
        [cohort.id],
      );
    expect(certificates.map((row) => row.email).sort()).toEqual([...cohort.emails].sort());
    expect(certificates.filter((row) => row.status !== 'issued')).toEqual([]);

    const pdfs = new Map(
      certificates.map((row) => [row.id, readFileSync(join(storage, 'certificates', `${row.serial}.pdf`))]),
    );
    expect(certificates.filter((row) => sha256(pdfs.get(row.id)!) !== row.sha256)).toEqual([]);
    const [{ stored }] = await t.dataSource.query(
      'SELECT count(*)::int AS stored FROM certificates WHERE sha256 IS NOT NULL',
    );
    expect(readdirSync(join(storage, 'certificates')).filter((file) => file.endsWith('.pdf'))).toHaveLength(
      stored,
    );

    const announced: Array<{ id: string; n: number }> = await t.dataSource.query(
      `SELECT payload->>'certificateId' AS id, count(*)::int AS n FROM domain_events
        WHERE name = 'certificate.made' AND payload->>'certificateId' = ANY($1) GROUP BY 1`,
      [certificates.map((row) => row.id)],
    );
    expect(announced.filter((row) => row.n !== 1)).toEqual([]);
    expect(announced).toHaveLength(cohort.emails.length);

    const notOnce = certificates
      .filter((row) => mailsTo(row.email).length !== 1)
      .map((row) => `${row.email}: ${mailsTo(row.email).length} e-mails`);
    expect(notOnce).toEqual([]);
    const wrongAttachment = certificates.filter(
      (row) => !mailsTo(row.email)[0].attachments[0]?.content.equals(pdfs.get(row.id)!),
    );
    expect(wrongAttachment).toEqual([]);
  }

  /** A worker process making the certificates of a cohort's TRAINEES, the first of them made. */
  async function bulkRunUnderWay() {
    const worker = WorkerProcess.start(t.env);
    const cohort = await eligibleCohort();
    await issueAll(cohort);
    await eventually('the first certificates made', async () => (await made(cohort.id)) >= 2, {
      explain: () => `worker output:\n${worker.output()}`,
    });
    return { worker, cohort };
  }

  it('makes and e-mails each certificate once when a worker is killed mid-job and another takes over', async () => {
    const { worker: first, cohort } = await bulkRunUnderWay();
    // Killed in the middle of a render, while the e-mail it is sending waits for the SMTP server to take it (killed
    // after the server took an e-mail, before recording so, it sends that e-mail again: see the last test).
    t.smtp.pause();
    await eventually(
      'a render under way while an e-mail waits to be taken',
      async () => t.smtp.waiting > 0 && (await queues[0].getActiveCount()) > 0,
    );
    await first.kill('SIGKILL');
    await eventually(
      'the SMTP server to drop the e-mail of the killed worker',
      async () => t.smtp.waiting === 0,
    );
    t.smtp.resume();
    expect(await made(cohort.id)).toBeLessThan(TRAINEES);
    // The killed worker still holds a render job: nothing but its lock running out gives that job to another.
    expect(await queues[0].getActiveCount()).toBeGreaterThan(0);

    const second = WorkerProcess.start(t.env);
    await settled(cohort.id, second);
    await expectEachMadeAndSentOnce(cohort);
  }, 90_000);

  it('makes and e-mails each certificate once when Redis restarts empty in the middle of a bulk run', async () => {
    const { worker, cohort } = await bulkRunUnderWay();
    await redis.stop();
    expect(await made(cohort.id)).toBeLessThan(TRAINEES);
    // Longer than the 2 s a commit waits to queue its events: what is made meanwhile is left to the sweeper.
    await sleep(3_000);
    await redis.start();

    await settled(cohort.id, worker);
    await expectEachMadeAndSentOnce(cohort);
  }, 90_000);

  it('keeps one PDF, the one its sha256 names, when two workers render a certificate at once', async () => {
    // As BullMQ does when a job's lock runs out while its worker is still rendering: another worker takes it over.
    const cohort = await eligibleCohort(1);
    const [certificateId] = await issueAll(cohort);
    const certificates = t.app.get(CertificatesService);
    const pool = createRenderPool(2);
    try {
      const renders = await Promise.allSettled([
        certificates.render(certificateId, pool, false),
        certificates.render(certificateId, pool, false),
      ]);
      expect(renders.filter((render) => render.status === 'rejected')).toEqual([]);
    } finally {
      await pool.close();
    }
    const [row] = await t.dataSource.query('SELECT serial, status, sha256 FROM certificates WHERE id = $1', [
      certificateId,
    ]);
    expect(row.status).toBe('issued');
    expect(sha256(readFileSync(join(storage, 'certificates', `${row.serial}.pdf`)))).toBe(row.sha256);
  });

  // SMTP cannot tell a sender that died before hearing "taken" that it was, so a second copy is unavoidable; each
  // try sends the stored e-mail's own Message-ID, so that the holder's mail system sees the copy as the same e-mail.
  it('sends a holder the same e-mail, one Message-ID, when the worker dies after the SMTP server took it', async () => {
    const first = WorkerProcess.start(t.env);
    const cohort = await eligibleCohort(1);
    const held = t.smtp.holdNextReply((mail) => mail.to.includes(cohort.emails[0]));
    await issueAll(cohort);
    await held.received;
    await first.kill('SIGKILL');
    held.release();

    const second = WorkerProcess.start(t.env);
    await settled(cohort.id, second);
    expect(new Set(mailsTo(cohort.emails[0]).map((mail) => mail.messageId)).size).toBe(1);
  }, 60_000);
});
