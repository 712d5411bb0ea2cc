import 'reflect-metadata';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue, QueueEvents } from 'bullmq';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { CertificateFiles } from 'src/certificates/certificate-files';
import { sha256 } from 'src/common/sha256';
import { sampleCertificate } from 'src/certificates/certificate-document.fixture';
import { renderCertificatePdf } from 'src/certificates/certificate-pdf';
import { newVerificationCode } from 'src/certificates/serial';
import { QUEUES } from 'src/common/queues';
import { loadConfig } from 'src/config/app-config';
import { SmtpCapture } from '../test/support/smtp-capture';
import { benchApp, benchDatabase, Cleanup, runBenchmark, seedEligibleCohort } from './harness';
import { summary, timed } from './measure';
import { countQueries } from './query-counter';

// POST /api/v1/cohorts/:id/certificates for 1,000 eligible trainees, through the real queues and a worker in its
// own process (node dist/src/worker.js) down to each holder's e-mail on a capturing SMTP server, beside a bare
// in-process loop that renders the same layout with the same function to disk. A first cohort of 100 warms the
// worker up and shows whether the queries per certificate stay the same at ten times the size.
// Usage: npm run bench:certificates   (database fpm_bench_certificates on the DATABASE_URL server, Redis prefix
// fpmbenchcert and a temporary STORAGE_DIR; all removed afterwards)

const CERTIFICATES = Number(process.env.BENCH_CERTIFICATES ?? 1000);
const WARM_UP = Math.max(1, Math.round(CERTIFICATES / 10));
const REDIS_PREFIX = 'fpmbenchcert';
const BATCH_TIMEOUT_MS = 5 * 60_000;
const SUBJECT = 'Your Foundation certificate';
const FACILITATOR = 'Ayşe Yılmaz';
// Names that need more than Latin-1, as real ones do; the bare loop prints the same ones.
const NAMES = ['Zoë Ní Bhriain', 'Łukasz Wąsowski', 'Nguyễn Thị Mai', 'Siobhán O’Sullivan'];
const nameOf = (n: number) => `${NAMES[n % NAMES.length]} ${n}`;

interface BatchResult {
  name: string;
  size: number;
  requestMs: number;
  issuedMs: number;
  mailedMs: number;
  web: number;
  worker: number;
}

interface Run {
  sql: Client;
  web: Awaited<ReturnType<typeof benchApp>>;
  worker: ChildProcess;
  smtp: SmtpCapture;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** The same function and layout (templates/certificates/certificate.json) the render thread uses, on this thread. */
async function bareLoop(directory: string, count: number) {
  const files = new CertificateFiles(directory);
  const { APP_URL } = loadConfig();
  const samples: number[] = [];
  const started = Date.now();
  for (let n = 1; n <= count; n++) {
    const doc = sampleCertificate({
      serial: `FND-2026-${String(n).padStart(6, '0')}`,
      verificationUrl: `${APP_URL}/verify/${newVerificationCode()}`,
      holderName: nameOf(n),
      facilitators: [FACILITATOR],
    });
    samples.push(await timed(async () => files.store(doc.serial, await renderCertificatePdf(doc))));
  }
  return { samples, ms: Date.now() - started };
}

/** VmRSS of a process, from /proc: the worker's threads (the render pool) are in it. */
function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1];
  return Number(kb) * 1024;
}

function startWorker(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(
    process.execPath,
    ['-r', join(__dirname, 'worker-probe.js'), join(__dirname, '..', 'src', 'worker.js')],
    { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
}

async function workerQueries(worker: ChildProcess): Promise<number> {
  const answer = once(worker, 'message') as Promise<[{ queries: number }]>;
  worker.send('queries');
  return (await answer)[0].queries;
}

async function stopWorker(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = once(worker, 'exit');
  if (worker.connected) worker.disconnect();
  worker.kill('SIGTERM');
  const timer = setTimeout(() => worker.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function waitUntil(
  what: string,
  worker: ChildProcess,
  check: () => Promise<boolean>,
  timeoutMs = BATCH_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (worker.exitCode !== null || worker.signalCode !== null)
      throw new Error(`The worker stopped (${worker.exitCode ?? worker.signalCode}) before ${what}`);
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Issues one cohort's certificates and waits for the last e-mail and the last event delivered. */
async function issueBatch(
  { sql, web, worker, smtp }: Run,
  batch: { name: string; size: number; cohortId: string },
): Promise<BatchResult> {
  const mails = () =>
    smtp.messages.filter((m) => m.subject === SUBJECT && m.to.some((to) => to.startsWith(`${batch.name}-`)));
  const issued = async () =>
    (
      await sql.query(
        `SELECT count(*)::int AS issued, max(c.rendered_at) AS last FROM certificates c
           JOIN enrolments e ON e.id = c.enrolment_id WHERE e.cohort_id = $1 AND c.status = 'issued'`,
        [batch.cohortId],
      )
    ).rows[0] as { issued: number; last: Date };
  const webQueries = countQueries([sql]);
  const workerBefore = await workerQueries(worker);
  const started = Date.now();
  const response = await fetch(`${web.baseUrl}/api/v1/cohorts/${batch.cohortId}/certificates`, {
    method: 'POST',
    headers: { cookie: web.cookie, 'content-type': 'application/json' },
    body: '{}',
  });
  const requestMs = Date.now() - started;
  const body = (await response.json()) as { queued?: unknown[] };
  if (response.status !== 202 || body.queued?.length !== batch.size)
    throw new Error(`Issuing answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  await waitUntil(
    `${batch.size} certificates issued`,
    worker,
    async () => (await issued()).issued >= batch.size,
  );
  const issuedMs = (await issued()).last.getTime() - started;
  await waitUntil(`${batch.size} e-mails`, worker, async () => mails().length >= batch.size);
  const mailedMs = Date.now() - started;
  // The counts are read once every event is delivered: marking the event done is the last statement of each.
  await waitUntil('every event delivered', worker, async () => {
    const [{ open }] = (
      await sql.query(`SELECT count(*)::int AS open FROM domain_events WHERE completed_at IS NULL`)
    ).rows;
    return open === 0;
  });
  webQueries.stop();
  const workerCount = (await workerQueries(worker)) - workerBefore;
  return { ...batch, requestMs, issuedMs, mailedMs, web: webQueries.count, worker: workerCount };
}

/** Duplicates, counted three ways: rows per enrolment, files on disk, e-mails per recipient (each PDF checked). */
async function duplicates(sql: Client, storage: string, smtp: SmtpCapture): Promise<string[]> {
  const [counts] = (
    await sql.query(
      `SELECT count(*)::int AS certificates,
              count(*) FILTER (WHERE status = 'issued')::int AS issued,
              count(*) FILTER (WHERE render_attempts > 1)::int AS retried,
              (SELECT count(*)::int FROM (SELECT 1 FROM certificates GROUP BY enrolment_id HAVING count(*) > 1) d)
                AS doubled_enrolments,
              (SELECT count(*)::int FROM enrolments) AS enrolments,
              (SELECT count(*)::int FROM (SELECT 1 FROM email_messages GROUP BY to_address HAVING count(*) > 1) d)
                AS doubled_messages,
              (SELECT count(*)::int FROM email_messages WHERE status <> 'sent') AS unsent
         FROM certificates`,
    )
  ).rows;
  const stored = new Map<string, string>(
    (await sql.query(`SELECT serial, sha256 FROM certificates`)).rows.map((row) => [row.serial, row.sha256]),
  );
  const onDisk = readdirSync(join(storage, 'certificates'));
  const pdfs = onDisk.filter((name) => name.endsWith('.pdf'));
  const unlike = pdfs.filter(
    (name) => stored.get(name.slice(0, -4)) !== sha256(readFileSync(join(storage, 'certificates', name))),
  ).length;
  const mails = smtp.messages.filter((m) => m.subject === SUBJECT);
  const perRecipient = new Map<string, number>();
  for (const mail of mails) for (const to of mail.to) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
  const wrongAttachment = mails.filter(
    (mail) =>
      mail.attachments.length !== 1 ||
      stored.get(mail.attachments[0].filename.slice(0, -4)) !== sha256(mail.attachments[0].content),
  ).length;
  return [
    `duplicates: ${counts.certificates} certificates for ${counts.enrolments} trainees (${counts.issued} issued, ${counts.retried} rendered more than once), ${counts.doubled_enrolments} enrolments with more than one`,
    `  PDFs on disk: ${pdfs.length} (${onDisk.length - pdfs.length} other files), ${unlike} not matching the stored SHA-256`,
    `  e-mails: ${mails.length} to ${perRecipient.size} recipients, ${[...perRecipient.values()].filter((n) => n > 1).length} recipients more than once, ${wrongAttachment} without their PDF; ${counts.doubled_messages} addresses with more than one stored message, ${counts.unsent} unsent`,
  ];
}

/** Where the relay's time goes: each event here has one handler, run in a transaction that starts at delivered_at. */
async function handlerTimes(sql: Client): Promise<string> {
  const rows = (
    await sql.query(
      `SELECT d.handler, percentile_cont(0.5) WITHIN GROUP (
                ORDER BY extract(epoch FROM e.completed_at - d.delivered_at) * 1000) AS median
         FROM domain_event_deliveries d JOIN domain_events e ON e.id = d.event_id
        GROUP BY d.handler ORDER BY d.handler`,
    )
  ).rows as Array<{ handler: string; median: number }>;
  return `event handlers, median ms per delivery (one at a time on the events queue; a send includes the capture's 100 ms greeting): ${rows.map((row) => `${row.handler} ${row.median.toFixed(0)}`).join(', ')}`;
}

async function main(cleanup: Cleanup): Promise<void> {
  // Undone in reverse, whatever step failed: the worker stops before the web app removes the Redis keys.
  const database = await benchDatabase('fpm_bench_certificates');
  cleanup.push(() => database.close());
  const { sql } = database;
  const storage = mkdtempSync(join(tmpdir(), 'fpm-bench-certificates-'));
  cleanup.push(() => rmSync(storage, { recursive: true, force: true }));
  // smtp-server holds every greeting 100 ms (its early-talker check) and parses each message before answering,
  // and the app's transport opens a connection per e-mail: the e-mails' times here include that wait.
  const smtp = await new SmtpCapture().start();
  cleanup.push(() => smtp.stop());

  await sql.query(`INSERT INTO areas (code, name, region) VALUES ('E09000024', 'Merton', 'London')`);
  await sql.query(
    `INSERT INTO organisations (name, kind, area_id) SELECT 'Merton Borough Council', 'local_authority', id FROM areas`,
  );
  const [{ id: facilitatorId }] = (
    await sql.query(
      `INSERT INTO users (email, name, roles, status, organisation_id)
       SELECT 'facilitator@bench.test', $1, '{facilitator}', 'active', id FROM organisations RETURNING id`,
      [FACILITATOR],
    )
  ).rows;
  const seeded = Date.now();
  const batches = [
    {
      name: 'warm-up',
      size: WARM_UP,
      cohortId: await seedEligibleCohort(sql, 'warm-up', WARM_UP, facilitatorId, NAMES),
    },
    {
      name: 'measured',
      size: CERTIFICATES,
      cohortId: await seedEligibleCohort(sql, 'measured', CERTIFICATES, facilitatorId, NAMES),
    },
  ];
  await sql.query('ANALYZE');
  const [{ competencies }] = (
    await sql.query(
      `SELECT count(*)::int AS competencies FROM competencies c JOIN course_versions v ON v.id = c.course_version_id
        WHERE v.course_code = 'foundation' AND v.is_current`,
    )
  ).rows;
  process.stdout.write(
    `data set: ${WARM_UP} + ${CERTIFICATES} eligible trainees in two cohorts (1 session attended, 1 reflection, 6 practice contacts, ${competencies} competencies met each), made in ${seconds(Date.now() - seeded)} s\n`,
  );
  const loadAtStart = loadavg()[0];

  const bare = await bareLoop(join(storage, 'bare'), CERTIFICATES);
  const bareRate = CERTIFICATES / (bare.ms / 1000);

  // The web side is this process, the worker a process of its own, with the same settings.
  const env = { ...process.env, STORAGE_DIR: storage, SMTP_URL: smtp.url, MAIL_RETRY_DELAY_MS: '500' };
  Object.assign(process.env, env);
  const web = await benchApp(database.databaseUrl, REDIS_PREFIX);
  cleanup.push(() => web.close());
  const worker = startWorker({
    ...env,
    DATABASE_URL: database.databaseUrl,
    REDIS_PREFIX,
    LOG_LEVEL: 'warn',
  });
  cleanup.push(() => stopWorker(worker));
  const queues = [QUEUES.certificates, QUEUES.events].map((name) => web.app.get<Queue>(getQueueToken(name)));
  const listeners = queues.map(
    (queue) => new QueueEvents(queue.name, { connection: queue.opts.connection, prefix: queue.opts.prefix }),
  );
  cleanup.push(() => Promise.all(listeners.map((listener) => listener.close())));
  const stalled = new Map<string, number>(queues.map((queue) => [queue.name, 0]));
  const failed = new Map<string, number>(queues.map((queue) => [queue.name, 0]));
  for (const listener of listeners) {
    listener.on('stalled', () => stalled.set(listener.name, stalled.get(listener.name)! + 1));
    listener.on('failed', () => failed.set(listener.name, failed.get(listener.name)! + 1));
  }
  await Promise.all(listeners.map((listener) => listener.waitUntilReady()));
  await waitUntil(
    'its BullMQ workers started',
    worker,
    async () =>
      (await Promise.all(queues.map((queue) => queue.getWorkersCount()))).every((count) => count > 0),
    60_000,
  );

  const run: Run = { sql, web, worker, smtp };
  // RSS from /proc rather than from the worker: its render threads' memory is in the process's.
  const rss = [rssOf(worker.pid!)];
  const warm = await issueBatch(run, batches[0]);
  rss.push(rssOf(worker.pid!));
  const measured = await issueBatch(run, batches[1]);
  rss.push(rssOf(worker.pid!));
  // Time for a late duplicate (a retried render, a second e-mail) to show before counting.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  rss.push(rssOf(worker.pid!));

  const rate = measured.size / (measured.issuedMs / 1000);
  const growth = rss[2] - rss[1];
  const marginal =
    (measured.web + measured.worker - warm.web - warm.worker) / Math.max(1, measured.size - warm.size);
  const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
  const each = (map: Map<string, number>) => [...map].map(([name, n]) => `${name} ${n}`).join(', ');
  const lines = [
    summary('bare loop: render + write one PDF (1 thread)', bare.samples),
    `bare loop: ${CERTIFICATES} certificates in ${seconds(bare.ms)} s = ${bareRate.toFixed(2)} certificates/s`,
    ...[warm, measured].map(
      (r) =>
        `queue, ${r.name} cohort of ${r.size}: request ${seconds(r.requestMs)} s, last issued at ${seconds(r.issuedMs)} s = ${(r.size / (r.issuedMs / 1000)).toFixed(2)} certificates/s, last e-mail by ${seconds(r.mailedMs)} s`,
    ),
    `queue / bare: ${(rate / bareRate).toFixed(2)} (target >= 0.75: ${rate / bareRate >= 0.75 ? 'met' : 'MISSED'})`,
    ...(await duplicates(sql, storage, smtp)),
    `stalled jobs: ${sum(stalled)} (${each(stalled)}); failed attempts: ${sum(failed)} (${each(failed)})`,
    await handlerTimes(sql),
    `worker RSS: ${mb(rss[0])} MB started, ${mb(rss[1])} MB after the warm-up, ${mb(rss[2])} MB after ${CERTIFICATES}, ${mb(rss[3])} MB 3 s later`,
    `  growth over the ${CERTIFICATES}: ${mb(growth)} MB (target < 50 MB: ${growth < 50e6 ? 'met' : 'MISSED'}); since start ${mb(rss[2] - rss[0])} MB`,
    `queries per certificate (statements the web process sent for the request and the worker sent, counted at the pg client):`,
    ...[warm, measured].map(
      (r) =>
        `  ${r.name} cohort of ${r.size}: ${r.web} web + ${r.worker} worker = ${((r.web + r.worker) / r.size).toFixed(2)} per certificate`,
    ),
    `  the ${measured.size - warm.size} certificates more in the second cohort: ${marginal.toFixed(2)} queries each`,
    `load average (1 min) on ${availableParallelism()} cores: ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (other work on the machine slows either side)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

runBenchmark(main);
