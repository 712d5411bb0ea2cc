import { generateWorkforce, type WorkforceScale } from 'src/cli/workforce-data';
import { benchDatabase, runBenchmark } from './harness';

// Issue 11's national data set, generated into its own database: 153 local-authority areas in 9 regions, 200,000
// practitioners in 12 professions, 15,000 cohorts, 2,400,000 attendance marks, 4,000,000 logbook entries and
// 120,000 certificates. Prints each step's time and each table's rows.
// Usage: npm run bench:national-data   (database fpm_bench_coverage; BENCH_KEEP=1 keeps it for the report
// benchmarks, BENCH_SCALE=0.01 makes a hundredth of everything but the areas)

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const NATIONAL = {
  practitioners: 200_000,
  cohorts: 15_000,
  attendanceMarks: 2_400_000,
  logbookEntries: 4_000_000,
  certificates: 120_000,
};
const TABLES = [
  'areas',
  'organisations',
  'users',
  'workforce_baselines',
  'facilitator_accreditations',
  'accreditation_renewals',
  'cohorts',
  'cohort_sessions',
  'cohort_facilitators',
  'enrolments',
  'attendance',
  'logbook_entries',
  'certificates',
  'certificate_serials',
  'course_completions',
];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

runBenchmark(async (cleanup) => {
  if (!(SCALE > 0)) throw new Error('BENCH_SCALE must be a number above 0');
  const keep = process.env.BENCH_KEEP === '1';
  const started = performance.now();
  const database = await benchDatabase('fpm_bench_coverage');
  cleanup.push(() => database.close({ keep }));
  const migrated = performance.now();
  const scale: WorkforceScale = {
    areas: 153,
    ...(Object.fromEntries(
      Object.entries(NATIONAL).map(([key, count]) => [key, Math.round(count * SCALE)]),
    ) as typeof NATIONAL),
    seed: 11,
  };
  const summary = await generateWorkforce(
    (text, params) => database.sql.query(text, params).then((result) => result.rows),
    scale,
  );
  const generated = performance.now();
  // What a report benchmark on the kept database needs: statistics, and visibility maps for index-only scans.
  await database.sql.query('VACUUM (ANALYZE)');
  const vacuumed = performance.now();

  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`National data set${SCALE === 1 ? '' : ` at scale ${SCALE}`} (seed ${scale.seed})`);
  for (const { step, ms } of summary.steps) out(`  ${step.padEnd(26)} ${seconds(ms).padStart(9)}`);
  out(`  ${'database and migrations'.padEnd(26)} ${seconds(migrated - started).padStart(9)}`);
  out(`  ${'generation in all'.padEnd(26)} ${seconds(generated - migrated).padStart(9)}`);
  out(`  ${'vacuum and analyze'.padEnd(26)} ${seconds(vacuumed - generated).padStart(9)}`);
  out(`  capacities raised x${summary.capacityScale} so the marks asked for fit the places`);
  out('');
  out(`${'table'.padEnd(28)} ${'rows'.padStart(10)} ${'size'.padStart(10)}`);
  for (const table of TABLES) {
    const [{ rows, size }] = (
      await database.sql.query<{ rows: string; size: string }>(
        `SELECT (SELECT count(*) FROM ${table}) AS rows, pg_size_pretty(pg_total_relation_size($1)) AS size`,
        [table],
      )
    ).rows;
    out(`${table.padEnd(28)} ${Number(rows).toLocaleString('en-GB').padStart(10)} ${size.padStart(10)}`);
  }
  out('');
  out(
    `Asked for: ${Object.entries(scale)
      .map(([key, value]) => `${key} ${value.toLocaleString('en-GB')}`)
      .join(', ')}`,
  );
  out(
    `Made: ${summary.practitioners.toLocaleString('en-GB')} practitioners, ${summary.cohorts.toLocaleString('en-GB')} cohorts, ` +
      `${summary.attendanceMarks.toLocaleString('en-GB')} marks, ${summary.logbookEntries.toLocaleString('en-GB')} entries, ` +
      `${summary.certificates.toLocaleString('en-GB')} certificates`,
  );
  if (keep) out(`Kept: ${database.databaseUrl}`);
});
