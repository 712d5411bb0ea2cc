import 'reflect-metadata';
import { Client } from 'pg';
import { benchApp, benchDatabase } from './harness';
import { percentile, summary, timed } from './measure';
import { countQueries } from './query-counter';

// GET /api/v1/cohorts/:id/progress on a generated data set (2,000 cohorts, 20,000 sessions, 30,000 enrolments),
// side by side with the one hand-written SQL query that returns the same numbers, and the queries per request.
// Usage: npm run bench:progress   (database fpm_bench_progress on the DATABASE_URL server; dropped afterwards)

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);

/** Bulk data in plain SQL: generating through the API would take hours and measure nothing useful. */
async function generate(client: Client): Promise<{ target: string; double: string }> {
  await client.query(`INSERT INTO areas (code, name, region) VALUES ('E09000024', 'Merton', 'London')`);
  await client.query(
    `INSERT INTO organisations (name, kind, area_id) SELECT 'Merton Borough Council', 'local_authority', id FROM areas`,
  );
  await client.query(`
    INSERT INTO users (email, name, roles, status, organisation_id)
    SELECT 'trainee' || n || '@bench.test', 'Trainee ' || n, '{trainee}', 'active', (SELECT id FROM organisations)
      FROM generate_series(1, 5000) AS n`);
  await client.query(`
    INSERT INTO cohorts (course_version_id, title, organisation_id, area_id, capacity, delivery_mode, status)
    SELECT (SELECT id FROM course_versions WHERE course_code = 'foundation' AND is_current), 'Cohort ' || n,
           (SELECT id FROM organisations), (SELECT id FROM areas), 16, 'online', 'in_progress'
      FROM generate_series(1, 2000) AS n`);
  await client.query(`
    INSERT INTO cohort_sessions (cohort_id, title, starts_at, ends_at)
    SELECT c.id, 'Session ' || s, now() - interval '20 weeks' + s * interval '1 week', now() - interval '20 weeks' + s * interval '1 week' + interval '2 hours'
      FROM cohorts c CROSS JOIN generate_series(1, 10) AS s`);
  await client.query(`
    WITH numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM cohorts),
         people AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users)
    INSERT INTO enrolments (cohort_id, trainee_id, status, enrolled_at)
    SELECT c.id, p.id, 'enrolled', now() FROM numbered c CROSS JOIN generate_series(0, 14) AS k
      JOIN people p ON p.n = ((c.n * 15 + k) % 5000) + 1`);
  await client.query(`
    INSERT INTO attendance (session_id, enrolment_id, status, recorded_by)
    SELECT s.id, e.id, (ARRAY['present', 'present', 'present', 'late', 'absent'])[1 + (abs(hashtext(e.id::text || s.id::text)) % 5)], e.trainee_id
      FROM enrolments e JOIN cohort_sessions s ON s.cohort_id = e.cohort_id`);
  // Every trainee has a few accepted logbook entries and competency sign-offs, so the tables are not small.
  await client.query(`
    INSERT INTO logbook_entries (enrolment_id, kind, status, occurred_on, minutes, stage, skills, what_happened,
                                 reflection, learning, next_steps, revision, submitted_at)
    SELECT e.id, 'practice_contact', 'accepted', current_date - k, 45, 'exploration', '{summarising}',
           'A home visit.', 'I listened.', 'Summarising helps.', 'Agree a goal.', 1, now()
      FROM enrolments e CROSS JOIN generate_series(1, 3) AS k`);
  await client.query(`
    INSERT INTO competency_sign_offs (enrolment_id, competency_id, outcome, comment, signed_by_id)
    SELECT e.id, c.id, 'met', 'Seen in practice.', e.trainee_id
      FROM enrolments e JOIN cohorts co ON co.id = e.cohort_id
      JOIN competencies c ON c.course_version_id = co.course_version_id AND c.position <= 5`);
  // The measured cohort: 16 trainees x 10 sessions; a second with 33 shows the query count does not grow.
  const [{ target }] = (await client.query(`SELECT id AS target FROM cohorts ORDER BY id LIMIT 1`)).rows;
  const [{ double }] = (await client.query(`SELECT id AS double FROM cohorts ORDER BY id OFFSET 1 LIMIT 1`))
    .rows;
  await client.query(
    `INSERT INTO enrolments (cohort_id, trainee_id, status, enrolled_at)
     SELECT $1, id, 'enrolled', now() FROM users WHERE id NOT IN (SELECT trainee_id FROM enrolments WHERE cohort_id = $1) LIMIT 1`,
    [target],
  );
  await client.query(`UPDATE cohorts SET capacity = 40 WHERE id = $1`, [double]);
  await client.query(
    `INSERT INTO enrolments (cohort_id, trainee_id, status, enrolled_at)
     SELECT $1, id, 'enrolled', now() FROM users WHERE id NOT IN (SELECT trainee_id FROM enrolments WHERE cohort_id = $1) LIMIT 17`,
    [double],
  );
  // The measured cohorts' trainees: 30 entries each (a reflection on every session, 20 practice contacts), and the
  // whole framework signed off.
  for (const cohortId of [target, double]) {
    await client.query(
      `INSERT INTO logbook_entries (enrolment_id, kind, status, session_id, occurred_on, what_happened, reflection,
                                    learning, next_steps, revision, submitted_at)
       SELECT e.id, 'session_reflection', 'accepted', s.id, s.starts_at::date, 'Session.', 'Felt.', 'Learned.', 'Next.', 1, now()
         FROM enrolments e JOIN cohort_sessions s ON s.cohort_id = e.cohort_id WHERE e.cohort_id = $1`,
      [cohortId],
    );
    await client.query(
      `INSERT INTO logbook_entries (enrolment_id, kind, status, occurred_on, minutes, stage, skills, what_happened,
                                    reflection, learning, next_steps, revision, submitted_at)
       SELECT e.id, 'practice_contact', 'accepted', current_date - k, 45, 'review', '{summarising}',
              'A visit.', 'Felt.', 'Learned.', 'Next.', 1, now()
         FROM enrolments e CROSS JOIN generate_series(4, 20) AS k WHERE e.cohort_id = $1`,
      [cohortId],
    );
    await client.query(
      `INSERT INTO competency_sign_offs (enrolment_id, competency_id, outcome, comment, signed_by_id)
       SELECT e.id, c.id, 'met', 'Seen in practice.', e.trainee_id
         FROM enrolments e JOIN cohorts co ON co.id = e.cohort_id
         JOIN competencies c ON c.course_version_id = co.course_version_id AND c.position > 5
        WHERE e.cohort_id = $1`,
      [cohortId],
    );
  }
  await client.query('ANALYZE');
  const counts = (
    await client.query(
      `SELECT (SELECT count(*) FROM cohorts) AS cohorts, (SELECT count(*) FROM cohort_sessions) AS sessions,
            (SELECT count(*) FROM enrolments) AS enrolments, (SELECT count(*) FROM attendance) AS attendance,
            (SELECT count(*) FROM logbook_entries) AS entries, (SELECT count(*) FROM competency_sign_offs) AS sign_offs`,
    )
  ).rows[0];
  process.stdout.write(
    `data set: ${counts.cohorts} cohorts, ${counts.sessions} sessions, ${counts.enrolments} enrolments, ${counts.attendance} attendance marks, ${counts.entries} logbook entries, ${counts.sign_offs} sign-offs\n`,
  );
  return { target, double };
}

const HAND_WRITTEN = `
  SELECT e.id,
         count(a.*) FILTER (WHERE a.status = 'present') AS present,
         count(a.*) FILTER (WHERE a.status = 'late') AS late,
         count(a.*) FILTER (WHERE a.status = 'absent') AS absent,
         count(a.*) FILTER (WHERE a.status = 'excused') AS excused,
         (SELECT count(*) FROM cohort_sessions s WHERE s.cohort_id = $1 AND s.status = 'scheduled') AS scheduled,
         (SELECT count(DISTINCT r.session_id) FROM logbook_entries r JOIN attendance ra
            ON ra.enrolment_id = e.id AND ra.session_id = r.session_id AND ra.status IN ('present', 'late')
           WHERE r.enrolment_id = e.id AND r.kind = 'session_reflection' AND r.status = 'accepted') AS reflected,
         (SELECT count(*) FROM logbook_entries p
           WHERE p.enrolment_id = e.id AND p.kind = 'practice_contact' AND p.status = 'accepted') AS contacts,
         (SELECT count(*) FROM competency_sign_offs c
           WHERE c.enrolment_id = e.id AND c.outcome = 'met'
             AND NOT EXISTS (SELECT 1 FROM competency_sign_offs n WHERE n.supersedes_id = c.id)) AS met
    FROM enrolments e LEFT JOIN attendance a ON a.enrolment_id = e.id
   WHERE e.cohort_id = $1 AND e.status IN ('enrolled', 'completed')
   GROUP BY e.id`;

async function main(): Promise<void> {
  const database = await benchDatabase('fpm_bench_progress');
  const { sql } = database;
  const started = Date.now();
  const { target, double } = await generate(sql);
  process.stdout.write(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  const { baseUrl, cookie, close } = await benchApp(database.databaseUrl, 'fpmbenchprogress');
  try {
    const progress = async (cohortId: string) => {
      const response = await fetch(`${baseUrl}/api/v1/cohorts/${cohortId}/progress`, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`progress answered ${response.status}`);
      return (await response.json()) as Array<{ requirements: Array<{ detail: string }> }>;
    };

    const viaApi = await progress(target);
    const viaSql = (await sql.query(HAND_WRITTEN, [target])).rows;
    // Attended, reflected sessions, practice contacts and competencies met, as each side counts them.
    const attendedApi = viaApi
      .map((row) => row.requirements.map((requirement) => requirement.detail.match(/(\d+) of/)![1]).join('/'))
      .sort();
    const attendedSql = viaSql
      .map(
        (row) =>
          `${Number(row.present) + Number(row.late)}/${row.reflected}/${Math.min(Number(row.contacts), 6)}/${row.met}`,
      )
      .sort();
    if (JSON.stringify(attendedApi) !== JSON.stringify(attendedSql))
      throw new Error('The endpoint and the SQL disagree');
    process.stdout.write(
      `target cohort: ${viaApi.length} trainees x 10 sessions; endpoint and SQL agree on every row\n`,
    );

    const httpFloor: number[] = [];
    const signedInFloor: number[] = [];
    const api: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < 20; i++) await progress(target);
    for (let i = 0; i < ITERATIONS; i++) {
      httpFloor.push(await timed(() => fetch(`${baseUrl}/health`).then((r) => r.text())));
      signedInFloor.push(
        await timed(() => fetch(`${baseUrl}/api/v1/courses`, { headers: { cookie } }).then((r) => r.text())),
      );
      api.push(await timed(() => progress(target)));
      raw.push(await timed(() => sql.query(HAND_WRITTEN, [target])));
    }

    // Count the queries one request makes, for 16 and for 33 trainees.
    const perRequest: number[] = [];
    for (const cohortId of [target, double]) {
      const queries = countQueries();
      await progress(cohortId);
      queries.stop();
      perRequest.push(queries.count);
    }

    process.stdout.write(
      [
        summary('GET /api/v1/cohorts/:id/progress (HTTP)', api),
        summary('hand-written SQL (one query, pg client)', raw),
        summary('HTTP floor, anonymous (GET /health)', httpFloor),
        summary('HTTP floor, signed in (GET /api/v1/courses)', signedInFloor),
        `endpoint / (SQL + anonymous floor), medians: ${(percentile(api, 0.5) / (percentile(raw, 0.5) + percentile(httpFloor, 0.5))).toFixed(2)}x`,
        `endpoint / (SQL + signed-in floor), medians: ${(percentile(api, 0.5) / (percentile(raw, 0.5) + percentile(signedInFloor, 0.5))).toFixed(2)}x`,
        `queries per request: ${perRequest[0]} for 16 trainees, ${perRequest[1]} for 33 trainees (includes session and user lookups)`,
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
