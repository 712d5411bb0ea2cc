import { Client } from 'pg';
import { generateDemoWorkforce, generateWorkforce, type WorkforceSql } from 'src/cli/workforce-data';
import { adminQuery, serverUrl, TEMPLATE_ENV } from './support/databases';

const COUNTS = {
  areas: 4,
  practitioners: 400,
  cohorts: 30,
  attendanceMarks: 3_000,
  logbookEntries: 5_000,
  certificates: 150,
};
const SMALL = { ...COUNTS, seed: 7 };

describe('generateWorkforce', () => {
  const databases: string[] = [];
  const clients: Client[] = [];

  /** A migrated database of its own, and a runner over one session of it. */
  async function freshDatabase(): Promise<{ client: Client; sql: WorkforceSql }> {
    const name = `fpm_test_workforce_${process.pid}_${databases.length}`;
    databases.push(name);
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${process.env[TEMPLATE_ENV]}`);
    const client = new Client({ connectionString: serverUrl(name) });
    await client.connect();
    clients.push(client);
    return { client, sql: (text, params) => client.query(text, params).then((result) => result.rows) };
  }

  const count = async (client: Client, query: string) =>
    Number((await client.query<{ n: string }>(`SELECT (${query}) AS n`)).rows[0].n);

  afterAll(async () => {
    for (const client of clients) await client.end();
    for (const name of databases) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('writes the counts asked for, in areas it makes across the regions', async () => {
    const { client, sql } = await freshDatabase();
    const summary = await generateWorkforce(sql, SMALL);
    expect(summary).toMatchObject(COUNTS);
    expect(await count(client, `SELECT count(*) FROM areas`)).toBe(4);
    expect(await count(client, `SELECT count(*) FROM users WHERE roles = '{trainee}'`)).toBe(400);
    expect(
      await count(client, `SELECT count(DISTINCT profession) FROM users WHERE roles = '{trainee}'`),
    ).toBe(12);
    expect(await count(client, `SELECT count(*) FROM cohorts`)).toBe(30);
    expect(await count(client, `SELECT count(*) FROM attendance`)).toBe(3_000);
    expect(await count(client, `SELECT count(*) FROM logbook_entries`)).toBe(5_000);
    expect(await count(client, `SELECT count(*) FROM certificates`)).toBe(150);
    // Every practitioner is counted against a baseline larger than the practitioners there.
    expect(
      await count(
        client,
        `SELECT count(*) FROM (SELECT o.area_id, u.profession, count(*) AS n FROM users u
           JOIN organisations o ON o.id = u.organisation_id WHERE u.roles = '{trainee}' GROUP BY 1, 2) p
           LEFT JOIN workforce_baselines b ON b.area_id = p.area_id AND b.profession = p.profession
          WHERE b.headcount IS NULL OR b.headcount <= p.n`,
      ),
    ).toBe(0);
  });

  it('issues certificates only for completed enrolments, with revocations and re-issues that hold together', async () => {
    const { client, sql } = await freshDatabase();
    await generateWorkforce(sql, SMALL);
    expect(
      await count(
        client,
        `SELECT count(*) FROM certificates c JOIN enrolments e ON e.id = c.enrolment_id WHERE e.status <> 'completed'`,
      ),
    ).toBe(0);
    expect(
      await count(
        client,
        `SELECT count(*) FROM certificates WHERE status = 'revoked' AND revoked_at > issued_at`,
      ),
    ).toBeGreaterThan(0);
    expect(
      await count(
        client,
        `SELECT count(*) FROM certificates old JOIN certificates new ON new.supersedes_id = old.id
          WHERE old.status = 'superseded' AND new.enrolment_id = old.enrolment_id AND new.issued_at > old.issued_at`,
      ),
    ).toBe(await count(client, `SELECT count(*) FROM certificates WHERE status = 'superseded'`));
    // Each standing certificate proves a completion, withdrawn with it when revoked.
    expect(
      await count(
        client,
        `SELECT count(*) FROM certificates c LEFT JOIN course_completions cc ON cc.certificate_id = c.id
          WHERE c.status <> 'superseded' AND (cc.id IS NULL OR (c.status = 'revoked') <> (cc.withdrawn_on IS NOT NULL))`,
      ),
    ).toBe(0);
    // The next serial the app gives follows the last one generated.
    expect(
      await count(
        client,
        `SELECT count(*) FROM certificates c JOIN certificate_serials s ON s.course_code = c.course_code
          AND s.year = split_part(c.serial, '-', 2)::int WHERE split_part(c.serial, '-', 3)::int > s.last`,
      ),
    ).toBe(0);
  });

  it('fills existing areas beside what is there: their council, larger baselines and serials already given', async () => {
    const { client, sql } = await freshDatabase();
    const { rows: areas } = await client.query<{ id: string }>(
      `INSERT INTO areas (code, name, region)
       SELECT 'E090000' || lpad(n::text, 2, '0'), 'Borough ' || n, 'London' FROM generate_series(1, 10) AS n
       RETURNING id`,
    );
    await client.query(
      `INSERT INTO organisations (name, kind, area_id) SELECT 'Council of ' || name, 'local_authority', id FROM areas`,
    );
    await client.query(
      `INSERT INTO workforce_baselines (area_id, profession, headcount) SELECT id, 'social_worker', 5000 FROM areas`,
    );
    await client.query(`INSERT INTO certificate_serials (course_code, year, last)
                        SELECT 'foundation', y, 41 FROM generate_series(2020, 2040) AS y`);
    await generateDemoWorkforce(sql, areas);

    expect(await count(client, `SELECT count(*) FROM organisations WHERE kind = 'local_authority'`)).toBe(10);
    expect(
      await count(
        client,
        `SELECT count(*) FROM workforce_baselines WHERE profession = 'social_worker' AND headcount = 5000`,
      ),
    ).toBe(10);
    expect(
      await count(
        client,
        `SELECT count(*) FROM cohorts c JOIN organisations o ON o.id = c.organisation_id WHERE o.name LIKE 'Council of %'`,
      ),
    ).toBe(0);
    expect(
      await count(
        client,
        `SELECT min(split_part(serial, '-', 3)::int) FROM certificates WHERE course_code = 'foundation'`,
      ),
    ).toBe(42);
    // What the demo's coverage report needs: cells it suppresses and cells it shows, and a rising trend.
    const cells = `SELECT o.area_id, u.profession, count(DISTINCT u.id) AS n FROM certificates c
                     JOIN enrolments e ON e.id = c.enrolment_id JOIN users u ON u.id = e.trainee_id
                     JOIN organisations o ON o.id = u.organisation_id
                    WHERE c.status = 'issued' AND c.course_code = 'foundation' GROUP BY 1, 2`;
    expect(await count(client, `SELECT count(*) FROM (${cells}) x WHERE n < 5`)).toBeGreaterThan(10);
    expect(await count(client, `SELECT count(*) FROM (${cells}) x WHERE n >= 5`)).toBeGreaterThan(10);
    const { rows: quarters } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM certificates WHERE status = 'issued'
        GROUP BY date_trunc('quarter', issued_at) ORDER BY date_trunc('quarter', issued_at)`,
    );
    expect(quarters.length).toBeGreaterThanOrEqual(8);
    const half = Math.floor(quarters.length / 2);
    const sum = (rows: typeof quarters) => rows.reduce((total, row) => total + Number(row.n), 0);
    expect(sum(quarters.slice(-half))).toBeGreaterThan(sum(quarters.slice(0, half)));
    // In training now, and places to come in the next two quarters.
    expect(
      await count(
        client,
        `SELECT count(*) FROM enrolments e JOIN cohorts c ON c.id = e.cohort_id
          WHERE e.status = 'enrolled' AND c.status IN ('in_progress', 'open')`,
      ),
    ).toBeGreaterThan(0);
    expect(
      await count(
        client,
        `SELECT count(*) FROM cohorts c WHERE c.status IN ('open', 'draft')
            AND (SELECT min(starts_at) FROM cohort_sessions s WHERE s.cohort_id = c.id)
                BETWEEN now() AND now() + interval '6 months'`,
      ),
    ).toBeGreaterThan(0);
  });

  it('makes the same people from the same seed', async () => {
    const people = async () => {
      const { client, sql } = await freshDatabase();
      await generateWorkforce(sql, { ...SMALL, attendanceMarks: 0, logbookEntries: 0, certificates: 0 });
      return (
        await client.query(`SELECT id, email, name, profession, organisation_id FROM users ORDER BY id`)
      ).rows;
    };
    expect(await people()).toEqual(await people());
  });
});
