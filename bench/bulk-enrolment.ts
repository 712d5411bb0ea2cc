import 'reflect-metadata';
import { benchApp, benchDatabase } from './harness';
import { percentile, summary, timed } from './measure';

// POST /api/v1/cohorts/:id/enrolments/bulk with the largest list a lead may send (200 people, half of them new to
// the platform): the preview (dryRun) and the list carried out, each per list and per person.
// Usage: npm run bench:bulk   (database fpm_bench_bulk on the DATABASE_URL server; dropped afterwards)

const PEOPLE = 200;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function main(): Promise<void> {
  const database = await benchDatabase('fpm_bench_bulk');
  const { sql } = database;
  await sql.query(`INSERT INTO areas (code, name, region) VALUES ('E09000024', 'Merton', 'London')`);
  await sql.query(
    `INSERT INTO organisations (name, kind, area_id) SELECT 'Merton Borough Council', 'local_authority', id FROM areas`,
  );
  const [{ organisation, area }] = (
    await sql.query(`SELECT o.id AS organisation, o.area_id AS area FROM organisations o`)
  ).rows;
  // Half of every list already has an account.
  await sql.query(
    `INSERT INTO users (email, name, roles, status, organisation_id, profession)
     SELECT 'known' || n || '@bench.test', 'Known ' || n, '{trainee}', 'active', $1, 'health_visitor'
       FROM generate_series(1, $2::int) AS n`,
    [organisation, (PEOPLE / 2) * ROUNDS],
  );

  const { baseUrl, cookie, close } = await benchApp(database.databaseUrl, 'fpmbenchbulk');
  try {
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status >= 300)
        throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      return response.json() as Promise<{ id: string; summary: Record<string, number> }>;
    };

    const preview: number[] = [];
    const carriedOut: number[] = [];
    let last: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const cohort = await post('/api/v1/cohorts', {
        courseCode: 'foundation',
        title: `Bench cohort ${round}`,
        organisationId: organisation,
        areaId: area,
        capacity: 150,
        deliveryMode: 'online',
        schedule: {
          firstStartsAt: new Date(Date.now() + (30 + round) * 86_400_000).toISOString(),
          durationMinutes: 120,
          count: 8,
          intervalWeeks: 1,
        },
        facilitatorIds: [],
      });
      const people = Array.from({ length: PEOPLE }, (_, i) =>
        i % 2 === 0
          ? {
              email: `known${round * (PEOPLE / 2) + i / 2 + 1}@bench.test`,
              name: 'Known',
              profession: 'Health visitor',
            }
          : { email: `new${round}-${i}@bench.test`, name: `Newcomer ${i}`, profession: 'Social worker' },
      );
      const path = `/api/v1/cohorts/${cohort.id}/enrolments/bulk`;
      preview.push(await timed(() => post(path, { people, dryRun: true })));
      carriedOut.push(await timed(async () => (last = (await post(path, { people })).summary)));
    }
    process.stdout.write(
      [
        `list: ${PEOPLE} people, half new; last result ${JSON.stringify(last)}`,
        summary(`preview of ${PEOPLE} (dryRun)`, preview),
        summary(`carried out, ${PEOPLE} people`, carriedOut),
        `per person carried out, median: ${(percentile(carriedOut, 0.5) / PEOPLE).toFixed(2)} ms`,
      ].join('\n') + '\n',
    );
  } finally {
    await close();
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
