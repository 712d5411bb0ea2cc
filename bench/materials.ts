import 'reflect-metadata';
import fontkit from '@pdf-lib/fontkit';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PDFDocument, rgb } from 'pdf-lib';
import { Client } from 'pg';
import { londonToday } from 'src/common/london-date';
import { EditionFiles } from 'src/materials/edition-files';
import { CopyStamp, personalisedCopy, stampLine } from 'src/materials/personalised-copy';
import { generateSampleMaterialPdf } from 'src/materials/sample-material-pdf';
import { benchApp, benchDatabase, Cleanup, insertCohort, runBenchmark, signIn } from './harness';
import { percentile, summary, timed } from './measure';

// A personalised download of a generated 300-page handbook: GET /api/v1/materials/:id/download (session, copy
// numbered in the ledger, edition read from disk, stamped on every page, streamed over HTTP, SHA-256 recorded)
// beside a bare pdf-lib loop on the same bytes (load, embed DejaVu Sans, draw the same line on every page, save),
// and beside personalisedCopy alone (read, stamp, stream; no HTTP, no ledger) to show where any difference goes.
// Time and peak memory of each in this one process (the web app and its HTTP client are in it too), then 20
// trainees downloading at once: times to last byte, memory, and the ledger checked for one distinct copy each.
// Usage: npm run bench:materials   (database fpm_bench_materials on the DATABASE_URL server, Redis prefix
// fpmbenchmat and a temporary STORAGE_DIR; all removed afterwards; BENCH_PAGES, BENCH_RUNS, BENCH_CONCURRENT)

const PAGES = Number(process.env.BENCH_PAGES ?? 300);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 20);
const REDIS_PREFIX = 'fpmbenchmat';
const TARGET_RATIO = 1.5;
const COHORT = 'Merton Foundation cohort, spring';
// Names that need more than Latin-1, as real ones do: the stamp's font subset then carries those glyphs.
const NAMES = ['Zoë Ní Bhriain', 'Łukasz Wąsowski', 'Nguyễn Thị Mai', 'Siobhán O’Sullivan'];

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

/*
 * Memory, measured the same way around every phase:
 * - first a full collection, twice (gc exposed at run time through v8.setFlagsFromString and a fresh context, as
 *   jest's leak detector does, so the script needs no --expose-gc flag), then the baseline from
 *   process.memoryUsage();
 * - peak RSS from the kernel: writing 5 to /proc/self/clear_refs resets VmHWM (the process's high-water mark) to
 *   the current RSS, and VmHWM read at the end is the true peak, synchronous stretches included. RSS seldom falls
 *   back after a phase (V8 and malloc keep pages they have used), so a phase that follows a hungrier one shows
 *   less growth than it would alone: the phases run bare loop, copy alone, endpoint, 20 at once;
 * - peak heap from process.memoryUsage() sampled every 10 ms by setInterval: heapUsed (JS objects, garbage not
 *   yet collected included) and heapUsed + external (external holds Buffers and Uint8Arrays: the PDF's bytes).
 *   A timer cannot fire while pdf-lib runs synchronously, so a peak inside such a stretch can be missed; pdf-lib
 *   yields every 100 objects as it parses and saves, and a copy is streamed a chunk at a time, so each run is
 *   sampled many times.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface Peak {
  rss: number;
  /** RSS when the phase began. */
  rssAt: number;
  heap: number;
  heapAndExternal: number;
  /** Whether RSS is the kernel's high-water mark, or only the samples'. */
  kernelRss: boolean;
}

const highWaterMark = () =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;

function resetHighWaterMark(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

async function watchMemory<T>(work: () => Promise<T>): Promise<{ result: T; peak: Peak }> {
  collectGarbage();
  collectGarbage();
  const kernelRss = resetHighWaterMark();
  const base = process.memoryUsage();
  const peak = { rss: base.rss, heap: base.heapUsed, heapAndExternal: base.heapUsed + base.external };
  const sample = () => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heap = Math.max(peak.heap, now.heapUsed);
    peak.heapAndExternal = Math.max(peak.heapAndExternal, now.heapUsed + now.external);
  };
  const timer = setInterval(sample, 10);
  try {
    const result = await work();
    sample();
    if (kernelRss) peak.rss = Math.max(peak.rss, highWaterMark());
    return {
      result,
      peak: {
        rss: peak.rss - base.rss,
        rssAt: base.rss,
        heap: peak.heap - base.heapUsed,
        heapAndExternal: peak.heapAndExternal - base.heapUsed - base.external,
        kernelRss,
      },
    };
  } finally {
    clearInterval(timer);
  }
}

const memory = (peak: Peak) =>
  `peak above baseline: heapUsed ${mb(peak.heap)} MB, heapUsed + external ${mb(peak.heapAndExternal)} MB, RSS ${mb(peak.rss)} MB${peak.kernelRss ? '' : ' (sampled)'} over ${mb(peak.rssAt)} MB`;

/** `runs` timed calls after one untimed warm-up, inside one memory watch. */
async function measured(runs: number, once: (run: number) => Promise<unknown>) {
  await once(0);
  const { result: samples, peak } = await watchMemory(async () => {
    const samples: number[] = [];
    for (let run = 1; run <= runs; run++) samples.push(await timed(() => once(run)));
    return samples;
  });
  return { samples, peak };
}

// The font personalisedCopy embeds, from the same package, so that both sides subset the same TrueType file.
const dejaVuSans = readFileSync(
  join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf'),
);

/**
 * The plain way to stamp a PDF with pdf-lib: the whole file parsed, a line drawn on each page, saved whole. Its
 * defaults cost it time that personalisedCopy saves: drawText lays the line out again with the font's shaping
 * tables on every page (about two fifths of the run), and save() packs objects into compressed object streams; so
 * "personalisedCopy alone" is the closer reference for what HTTP and the ledger add.
 */
async function bareStamp(source: Uint8Array, line: string): Promise<Uint8Array> {
  const document = await PDFDocument.load(source);
  document.registerFontkit(fontkit);
  const font = await document.embedFont(dejaVuSans, { subset: true });
  for (const page of document.getPages())
    page.drawText(line, { x: 24, y: 14, size: 7, font, color: rgb(0.45, 0.45, 0.45) });
  return document.save();
}

interface Download {
  firstByteMs: number;
  lastByteMs: number;
  bytes: number;
  sha256?: string;
}

/** One download read to its end as it arrives, nothing kept but its length (and, if asked, its SHA-256). */
async function download(url: string, cookie: string, hash = false): Promise<Download> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, { headers: { cookie } });
  const firstByteMs = since(started);
  if (response.status !== 200 || !response.body)
    throw new Error(`A download answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  const digest = hash ? createHash('sha256') : null;
  const reader = response.body.getReader();
  let bytes = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    bytes += chunk.value.length;
    digest?.update(chunk.value);
  }
  return { firstByteMs, lastByteMs: since(started), bytes, sha256: digest?.digest('hex') };
}

/** An organisation, a cohort and its trainees (signing in with the bench's password), in plain SQL. */
async function seed(sql: Client, trainees: number): Promise<{ cohortId: string; organisationId: string }> {
  await sql.query(`INSERT INTO areas (code, name, region) VALUES ('E09000024', 'Merton', 'London')`);
  const [{ id: organisationId }] = (
    await sql.query(
      `INSERT INTO organisations (name, kind, area_id)
       SELECT 'Merton Borough Council', 'local_authority', id FROM areas RETURNING id`,
    )
  ).rows;
  const cohortId = await insertCohort(sql, COHORT, trainees);
  await sql.query(
    `INSERT INTO users (email, name, roles, status, organisation_id, profession, password_hash)
     SELECT 'trainee-' || n || '@bench.test', ($2::text[])[1 + n % cardinality($2::text[])] || ' ' || n,
            '{trainee}', 'active', (SELECT id FROM organisations), 'health_visitor',
            (SELECT password_hash FROM users WHERE email = 'admin@bench.test')
       FROM generate_series(1, $1::int) AS n`,
    [trainees, NAMES],
  );
  await sql.query(
    `INSERT INTO enrolments (cohort_id, trainee_id, status, enrolled_at)
     SELECT $1, id, 'enrolled', now() FROM users WHERE email LIKE 'trainee-%'`,
    [cohortId],
  );
  return { cohortId, organisationId };
}

/** The material and its edition through the API, as an administrator adds them. */
async function publish(baseUrl: string, cookie: string, pdf: Uint8Array) {
  const material = await fetch(`${baseUrl}/api/v1/materials`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({
      code: 'RPH',
      title: 'Reflective Practice Handbook',
      kind: 'handbook',
      courseCodes: ['foundation'],
      audience: ['trainee'],
    }),
  });
  if (material.status !== 201) throw new Error(`Adding the material answered ${material.status}`);
  const { id: materialId } = (await material.json()) as { id: string };
  const form = new FormData();
  form.set('label', '1st edition');
  form.set('notes', `Generated sample of ${PAGES} pages`);
  form.set('file', new Blob([pdf], { type: 'application/pdf' }), 'handbook.pdf');
  const edition = await fetch(`${baseUrl}/api/v1/materials/${materialId}/editions`, {
    method: 'POST',
    headers: { cookie, 'x-requested-with': 'bench' },
    body: form,
  });
  if (edition.status !== 201)
    throw new Error(`Uploading the edition answered ${edition.status}: ${await edition.text()}`);
  const { id: editionId, pageCount } = (await edition.json()) as { id: string; pageCount: number };
  return { materialId, editionId, pageCount };
}

/** The ledger once every copy is recorded (a copy's SHA-256 is written just after its last byte is sent). */
async function ledger(sql: Client, editionId: string, expected: number) {
  const read = async () =>
    (
      await sql.query(
        `SELECT copy_number, sha256, size_bytes FROM material_copies WHERE edition_id = $1 ORDER BY copy_number`,
        [editionId],
      )
    ).rows as Array<{ copy_number: number; sha256: string | null; size_bytes: number | null }>;
  const deadline = Date.now() + 15_000;
  let rows = await read();
  while ((rows.length < expected || rows.some((row) => row.sha256 === null)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    rows = await read();
  }
  return rows;
}

function ledgerCheck(
  rows: Awaited<ReturnType<typeof ledger>>,
  expected: number,
  together: Download[],
): { lines: string[]; ok: boolean } {
  const numbers = new Set(rows.map((row) => row.copy_number));
  const hashed = rows.filter((row) => row.sha256 !== null);
  const byHash = new Map(hashed.map((row) => [row.sha256!, row]));
  const unmatched = together.filter((d) => byHash.get(d.sha256!)?.size_bytes !== d.bytes).length;
  const contiguous = rows.every((row, index) => row.copy_number === index + 1);
  const ok =
    rows.length === expected &&
    numbers.size === expected &&
    contiguous &&
    hashed.length === expected &&
    byHash.size === expected &&
    unmatched === 0;
  return {
    ok,
    lines: [
      `ledger: ${rows.length} copies recorded for ${expected} downloads, ${numbers.size} distinct copy numbers (${contiguous ? '1 to ' + rows.length + ' without gaps' : 'NOT 1 to n'}), ${hashed.length} with a SHA-256, ${byHash.size} distinct SHA-256`,
      `  the ${together.length} downloaded at once: ${together.length - unmatched} match a recorded SHA-256 and size, ${unmatched} do not`,
      `  ${ok ? 'ledger check passed' : 'FAILED: the ledger does not hold one distinct, hashed copy per download'}`,
    ],
  };
}

async function main(cleanup: Cleanup): Promise<void> {
  const lines: string[] = [];
  const database = await benchDatabase('fpm_bench_materials');
  cleanup.push(() => database.close());
  const { sql } = database;
  const storage = mkdtempSync(join(tmpdir(), 'fpm-bench-materials-'));
  cleanup.push(() => rmSync(storage, { recursive: true, force: true }));
  process.env.STORAGE_DIR = storage;

  let pdf: Uint8Array = new Uint8Array();
  const generatedMs = await timed(async () => {
    pdf = await generateSampleMaterialPdf({
      title: 'Reflective Practice Handbook',
      code: 'RPH',
      editionLabel: '1st edition',
      pages: PAGES,
    });
  });

  const web = await benchApp(database.databaseUrl, REDIS_PREFIX);
  cleanup.push(() => web.close());
  const { cohortId, organisationId } = await seed(sql, CONCURRENT);
  const { materialId, editionId, pageCount } = await publish(web.baseUrl, web.cookie, pdf);
  // Licences come from the cohort's events in the app; here straight into the table, one per trainee.
  await sql.query(
    `INSERT INTO material_issues (material_id, edition_id, holder_id, cohort_id, organisation_id, basis)
     SELECT $1, $2, trainee_id, $3, $4, 'trainee' FROM enrolments WHERE cohort_id = $3`,
    [materialId, editionId, cohortId, organisationId],
  );
  const trainees = (
    await sql.query(
      `SELECT u.email, u.name FROM users u JOIN enrolments e ON e.trainee_id = u.id
        WHERE e.cohort_id = $1 ORDER BY u.email`,
      [cohortId],
    )
  ).rows as Array<{ email: string; name: string }>;
  const cookies: string[] = [];
  for (const trainee of trainees) cookies.push(await signIn(web.baseUrl, trainee.email));
  const url = `${web.baseUrl}/api/v1/materials/${materialId}/download`;
  lines.push(
    `sample PDF: ${pageCount} pages, ${mb(pdf.length)} MB, generated in ${(generatedMs / 1000).toFixed(1)} s`,
  );
  const loadAtStart = loadavg()[0];

  // The same line the endpoint stamps for the first trainee, copy numbers counting up as theirs do.
  const issuedOn = londonToday();
  const stampFor = (copyNumber: number): CopyStamp => ({
    holderName: trainees[0].name,
    cohortName: COHORT,
    issuedOn,
    copyNumber,
  });
  let bareBytes = 0;
  const bare = await measured(RUNS, async (run) => {
    bareBytes = (await bareStamp(pdf, stampLine(stampFor(run + 1)))).length;
  });

  const path = new EditionFiles(storage).pathOf(editionId);
  const alone = await measured(RUNS, async (run) => {
    const copy = await personalisedCopy(await readFile(path), stampFor(run + 1));
    copy.stream.resume();
    await copy.written;
  });

  const sequential: Download[] = [];
  const endpoint = await measured(RUNS, async (run) => {
    const result = await download(url, cookies[0]);
    if (run > 0) sequential.push(result);
  });

  // The event loop's delay too: every copy is made on this one thread, and any other request waits on it.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const together = await watchMemory(async () => {
    delay.enable();
    const started = process.hrtime.bigint();
    const downloads = await Promise.all(cookies.map((cookie) => download(url, cookie, true)));
    const wallMs = since(started);
    delay.disable();
    return { downloads, wallMs };
  });
  const { downloads, wallMs } = together.result;
  const lastBytes = downloads.map((d) => d.lastByteMs);
  const expected = 1 + RUNS + CONCURRENT;
  const check = ledgerCheck(await ledger(sql, editionId, expected), expected, downloads);

  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
  const median = (samples: number[]) => percentile(samples, 0.5);
  const timeRatio = median(endpoint.samples) / median(bare.samples);
  const memoryRatio = endpoint.peak.heapAndExternal / bare.peak.heapAndExternal;
  lines.push(
    summary('bare pdf-lib: load, stamp every page, save', bare.samples),
    `  ${memory(bare.peak)}; ${mb(bareBytes)} MB out`,
    summary('personalisedCopy alone: read, stamp, stream', alone.samples),
    `  ${memory(alone.peak)}`,
    summary('endpoint: GET .../download, to the last byte', endpoint.samples),
    `  ${memory(endpoint.peak)}; ${mb(sequential[0].bytes)} MB in; first byte (headers) at median ${median(sequential.map((d) => d.firstByteMs)).toFixed(0)} ms`,
    `  (the endpoint's figures include HTTP, client and server both in this process, the session check and the ledger: numbering the copy before, recording its SHA-256 after)`,
    `endpoint / bare: time ${timeRatio.toFixed(2)}, peak heapUsed + external ${memoryRatio.toFixed(2)} (target <= ${TARGET_RATIO}: ${timeRatio <= TARGET_RATIO && memoryRatio <= TARGET_RATIO ? 'met' : 'MISSED'}); RSS growth ${ratio(endpoint.peak.rss, bare.peak.rss)}, but RSS does not compare between phases: pages one takes are kept for the next`,
    `personalisedCopy alone / bare: time ${ratio(median(alone.samples), median(bare.samples))}; endpoint / personalisedCopy alone: time ${ratio(median(endpoint.samples), median(alone.samples))}`,
    `${CONCURRENT} trainees at once: to the last byte p50 ${percentile(lastBytes, 0.5).toFixed(0)} ms, p95 ${percentile(lastBytes, 0.95).toFixed(0)} ms, max ${Math.max(...lastBytes).toFixed(0)} ms; all done in ${wallMs.toFixed(0)} ms; first byte p50 ${percentile(
      downloads.map((d) => d.firstByteMs),
      0.5,
    ).toFixed(0)} ms`,
    `  ${memory(together.peak)}`,
    `  event loop delay meanwhile (what any other request waited for a turn): p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms, max ${(delay.max / 1e6).toFixed(0)} ms`,
    ...check.lines,
    `load average (1 min) on ${availableParallelism()} cores: ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (other work on the machine slows every side)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  // A ledger that does not hold one distinct, hashed copy per download fails the run.
  if (!check.ok) process.exitCode = 1;
}

runBenchmark(main);
