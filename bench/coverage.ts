import 'reflect-metadata';
import { Agent, request } from 'node:http';
import { Client } from 'pg';
import { generateWorkforce } from 'src/cli/workforce-data';
import { londonToday } from 'src/common/london-date';
import {
  CoverageRefreshService,
  TREND_QUARTERS,
  UPCOMING_QUARTERS,
} from 'src/reports/coverage-refresh.service';
import { quarterEnds, quarterStarts } from 'src/reports/quarters';
import { benchApp, benchDatabase, runBenchmark, signIn } from './harness';
import { percentile, summary, timed } from './measure';

// The coverage report at national scale (issue 11): on the national data set (153 areas in 9 regions, 200,000
// practitioners, 15,000 cohorts, 2,400,000 attendance marks, 4,000,000 logbook entries, 120,000 certificates),
// the report served from its summary (its rows made ready by the refresh) for one commissioner's two areas, for a
// region and for all of England (JSON and CSV), timed to the last byte over HTTP, beside the straightforward GROUP BY over the base tables that gives the same numbers; that the two
// agree; and how long the summary takes to catch up after 1,000 new certificates.
// Usage: npm run bench:coverage   (database fpm_bench_coverage_report, dropped afterwards; BENCH_SCALE=0.1 for a
// tenth of the people, BENCH_RUNS for the requests per case)

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const REDIS_PREFIX = 'fpmbenchcoverage';

interface Count {
  /** People (certified on a day, or in training), the baseline's headcount, or places coming. */
  kind: 'people' | 'headcount' | 'places';
  area_id: string;
  profession: string | null;
  course_code: string | null;
  day: string | null;
  value: number;
}

/**
 * The report's numbers straight from the base tables, for some areas: what a report without a summary would run on
 * every request (before any suppression, which would need the whole country's numbers as well).
 */
async function groupBy(sql: Client, areaIds: string[], days: string[], starts: string[]): Promise<Count[]> {
  const certified = await sql.query<Count>(
    `SELECT 'people' AS kind, o.area_id, coalesce(u.profession, 'other') AS profession, c.course_code,
            to_char(d.day, 'YYYY-MM-DD') AS day, count(DISTINCT e.trainee_id)::int AS value
       FROM unnest($2::date[]) AS d(day)
       JOIN certificates c ON (c.issued_at AT TIME ZONE 'Europe/London')::date <= d.day
                          AND (c.revoked_at IS NULL OR (c.revoked_at AT TIME ZONE 'Europe/London')::date > d.day)
       JOIN enrolments e ON e.id = c.enrolment_id
       JOIN users u ON u.id = e.trainee_id
       JOIN organisations o ON o.id = u.organisation_id
      WHERE o.area_id = ANY($1)
      GROUP BY 2, 3, 4, 5`,
    [areaIds, days],
  );
  const inTraining = await sql.query<Count>(
    `SELECT 'people' AS kind, o.area_id, coalesce(u.profession, 'other') AS profession, v.course_code, NULL AS day,
            count(DISTINCT e.trainee_id)::int AS value
       FROM enrolments e
       JOIN cohorts c ON c.id = e.cohort_id AND c.status IN ('draft', 'open', 'in_progress')
       JOIN course_versions v ON v.id = c.course_version_id
       JOIN users u ON u.id = e.trainee_id
       JOIN organisations o ON o.id = u.organisation_id
      WHERE e.status = 'enrolled' AND o.area_id = ANY($1)
      GROUP BY 2, 3, 4`,
    [areaIds],
  );
  const headcounts = await sql.query<Count>(
    `SELECT 'headcount' AS kind, area_id, profession, NULL AS course_code, NULL AS day, headcount AS value
       FROM workforce_baselines WHERE area_id = ANY($1)`,
    [areaIds],
  );
  const places = await sql.query<Count>(
    `SELECT 'places' AS kind, c.area_id, NULL AS profession, v.course_code,
            to_char(date_trunc('quarter', first.starts_at AT TIME ZONE 'Europe/London'), 'YYYY-MM-DD') AS day,
            sum(c.capacity)::int AS value
       FROM cohorts c
       JOIN course_versions v ON v.id = c.course_version_id
       JOIN LATERAL (SELECT min(s.starts_at) AS starts_at FROM cohort_sessions s
                      WHERE s.cohort_id = c.id AND s.status <> 'cancelled') first ON true
      WHERE c.status IN ('draft', 'open') AND c.area_id = ANY($1)
        AND first.starts_at >= now()
        AND (first.starts_at AT TIME ZONE 'Europe/London')::date >= $2::date
        AND (first.starts_at AT TIME ZONE 'Europe/London')::date < ($3::date + interval '3 months')
      GROUP BY 2, 4, 5`,
    [areaIds, starts[0], starts.at(-1)],
  );
  return [...certified.rows, ...inTraining.rows, ...headcounts.rows, ...places.rows].filter(
    (count) => count.value > 0,
  );
}

/** The same counts as the summary holds them (raw, before suppression), for the check that both agree. */
async function summarised(sql: Client, areaIds: string[]): Promise<Map<string, number>> {
  const { rows } = await sql.query<Count & { measure: string }>(
    `SELECT measure, CASE WHEN measure IN ('headcount', 'places') THEN measure ELSE 'people' END AS kind,
            area_id, profession, course_code, to_char(on_date, 'YYYY-MM-DD') AS day, value
       FROM coverage_cells
      WHERE level = 'area' AND area_id = ANY($1) AND value > 0
        AND (profession IS NOT NULL OR measure = 'places')`,
    [areaIds],
  );
  return new Map(
    rows.map((row) => [key(row, row.measure === 'certified' ? londonToday() : row.day), row.value]),
  );
}

const key = (row: Count, day: string | null) =>
  `${row.kind}|${row.area_id}|${row.profession}|${row.course_code}|${day}`;

async function sample(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) samples.push(await timed(fn));
  return samples;
}

runBenchmark(async (cleanup) => {
  const database = await benchDatabase('fpm_bench_coverage_report');
  cleanup.push(() => database.close());
  const sql = database.sql;
  const generating = performance.now();
  await generateWorkforce((text, params) => sql.query(text, params).then((result) => result.rows), {
    areas: 153,
    practitioners: Math.round(200_000 * SCALE),
    cohorts: Math.round(15_000 * SCALE),
    attendanceMarks: Math.round(2_400_000 * SCALE),
    logbookEntries: Math.round(4_000_000 * SCALE),
    certificates: Math.round(120_000 * SCALE),
    seed: 11,
  });
  await sql.query('VACUUM (ANALYZE)');
  process.stdout.write(
    `national data set generated in ${((performance.now() - generating) / 1000).toFixed(1)} s\n`,
  );

  const web = await benchApp(database.databaseUrl, REDIS_PREFIX);
  cleanup.push(() => web.close());
  const refreshes = web.app.get(CoverageRefreshService);
  const first = await refreshes.refresh();
  process.stdout.write(`summary made from nothing: ${first.cells} cells in ${first.durationMs} ms\n\n`);

  // A commissioner of two London boroughs, and one of a whole region.
  const { rows: areas } = await sql.query<{ id: string; region: string }>(
    `SELECT id, region FROM areas ORDER BY region, code`,
  );
  const region = areas[0].region;
  const pair = areas.filter((area) => area.region === region).slice(0, 2);
  const inRegion = areas.filter((area) => area.region === region);
  const { rows: hash } = await sql.query<{ password_hash: string }>(
    `SELECT password_hash FROM users WHERE email = 'admin@bench.test'`,
  );
  const commissioner = async (email: string, areaIds: string[]) => {
    const {
      rows: [{ id }],
    } = await sql.query<{ id: string }>(
      `INSERT INTO users (email, name, roles, status, password_hash) VALUES ($1, 'Bench commissioner', '{commissioner}', 'active', $2) RETURNING id`,
      [email, hash[0].password_hash],
    );
    await sql.query(`INSERT INTO commissioner_areas (user_id, area_id) SELECT $1, unnest($2::uuid[])`, [
      id,
      areaIds,
    ]);
    return signIn(web.baseUrl, email);
  };
  const pairCookie = await commissioner(
    'pair@bench.test',
    pair.map((area) => area.id),
  );
  const regionCookie = await commissioner(
    'region@bench.test',
    inRegion.map((area) => area.id),
  );
  // Time to the last byte, read as bytes, over a kept-alive connection: what the server takes, not what decoding a
  // body of megabytes into a string costs a client.
  const agent = new Agent({ keepAlive: true });
  cleanup.push(async () => agent.destroy());
  const get = (cookie: string, query: string) =>
    new Promise<Buffer>((resolve, reject) => {
      request(
        `${web.baseUrl}/api/v1/reports/coverage${query}`,
        { agent, headers: { cookie } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            response.statusCode === 200
              ? resolve(Buffer.concat(chunks))
              : reject(new Error(`GET ${query} answered ${response.statusCode}`)),
          );
        },
      )
        .on('error', reject)
        .end();
    });
  const days = [...quarterEnds(londonToday(), TREND_QUARTERS), londonToday()];
  const starts = quarterStarts(londonToday(), UPCOMING_QUARTERS);
  const cases: Array<[string, string, string, string[]]> = [
    ['commissioner, two areas, JSON', pairCookie, '', pair.map((area) => area.id)],
    ['commissioner, two areas, CSV', pairCookie, '?format=csv', pair.map((area) => area.id)],
    [`region (${region}, ${inRegion.length} areas), JSON`, regionCookie, '', inRegion.map((area) => area.id)],
    ['all of England, JSON', web.cookie, '', areas.map((area) => area.id)],
    ['all of England, CSV', web.cookie, '?format=csv', areas.map((area) => area.id)],
  ];
  const ratios: string[] = [];
  for (const [label, cookie, query, areaIds] of cases) {
    const size = (await get(cookie, query)).length;
    const served = await sample(RUNS, () => get(cookie, query));
    const straight = await sample(Math.max(3, Math.round(RUNS / 8)), () =>
      groupBy(sql, areaIds, days, starts),
    );
    process.stdout.write(`${summary(`summary: ${label}`, served)}  (${(size / 1024).toFixed(0)} KB)\n`);
    process.stdout.write(`${summary(`GROUP BY: ${label}`, straight)}\n`);
    ratios.push(
      `${label}: ${(percentile(straight, 0.5) / percentile(served, 0.5)).toFixed(1)}x faster at the median`,
    );
  }
  process.stdout.write(`\n${ratios.join('\n')}\n`);
  process.stdout.write(
    'targets: p50 under 100 ms for a commissioner; at least 20x faster than the GROUP BY\n\n',
  );

  // Both ways give the same numbers, for every area of England.
  const everyArea = areas.map((area) => area.id);
  const straight = new Map(
    (await groupBy(sql, everyArea, days, starts)).map((row) => [key(row, row.day), row.value]),
  );
  const kept = await summarised(sql, everyArea);
  const differing = [...new Set([...straight.keys(), ...kept.keys()])].filter(
    (cell) => straight.get(cell) !== kept.get(cell),
  );
  process.stdout.write(
    `agreement: ${straight.size} non-zero numbers (people by area, profession, course and day; headcounts; places by area, course and quarter) from the GROUP BY, ${kept.size} in the summary, ${differing.length} differ\n`,
  );

  // 1,000 new certificates, to 1,000 people not certified in that course before, then the refresh that brings the summary up to date.
  const { rowCount } = await sql.query(
    `WITH chosen AS (
       SELECT DISTINCT ON (e.trainee_id, v.course_code) e.id AS enrolment_id, v.course_code
         FROM enrolments e
         JOIN cohorts c ON c.id = e.cohort_id
         JOIN course_versions v ON v.id = c.course_version_id
        WHERE NOT EXISTS (SELECT 1 FROM certificates x WHERE x.enrolment_id = e.id)
          AND NOT EXISTS (SELECT 1 FROM certificates x JOIN enrolments xe ON xe.id = x.enrolment_id
                           WHERE xe.trainee_id = e.trainee_id AND x.course_code = v.course_code)
          AND EXISTS (SELECT 1 FROM users u WHERE u.id = e.trainee_id AND u.organisation_id IS NOT NULL)
        ORDER BY e.trainee_id, v.course_code, e.id LIMIT 1000)
     INSERT INTO certificates (enrolment_id, course_code, serial, verification_code, holder_name, issued_by_id, status)
     SELECT enrolment_id, course_code, 'BEN-2026-' || lpad(row_number() OVER ()::text, 6, '0'),
            'bench-' || md5(enrolment_id::text), 'Bench holder', (SELECT id FROM users WHERE email = 'admin@bench.test'), 'issued'
       FROM chosen`,
  );
  const before = await sql.query<{ value: number }>(
    `SELECT coalesce(sum(value), 0)::int AS value FROM coverage_cells WHERE measure = 'certified' AND level = 'england' AND profession IS NULL`,
  );
  const caughtUp = await refreshes.refresh();
  const after = await sql.query<{ value: number }>(
    `SELECT coalesce(sum(value), 0)::int AS value FROM coverage_cells WHERE measure = 'certified' AND level = 'england' AND profession IS NULL`,
  );
  process.stdout.write(
    `after ${rowCount} new certificates: summary up to date in ${caughtUp.durationMs} ms (${caughtUp.cells} cells); certified in England, all courses added up: ${before.rows[0].value} -> ${after.rows[0].value}\n`,
  );
  if (differing.length > 0) {
    process.stdout.write(
      `the summary and the GROUP BY disagree, for example ${differing.slice(0, 5).join('; ')}\n`,
    );
    process.exitCode = 1;
  }
});
