import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { AppModule } from 'src/app.module';
import { createLogger } from 'src/common/logger';
import { RedisClient } from 'src/common/redis.module';
import { loadConfig } from 'src/config/app-config';
import { ensureDatabase, runMigrations } from 'src/database/migrate';
import { UsersService } from 'src/users/users.service';
import { createWebApp } from 'src/web-app';

const PASSWORD = 'bench password 123';

/** A benchmark's own database (`name`, on the DATABASE_URL server), migrated and empty; dropped by `close` unless kept. */
export async function benchDatabase(name: string) {
  const base = loadConfig();
  const url = new URL(base.DATABASE_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const admin = new Client({ connectionString: base.DATABASE_URL.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await ensureDatabase(databaseUrl);
  await runMigrations(databaseUrl);
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  return {
    databaseUrl,
    sql,
    async close({ keep = false } = {}) {
      await sql.end();
      if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** The web app over that database, listening on loopback, with an admin signed in: its base URL and cookie. */
export async function benchApp(databaseUrl: string, redisPrefix: string) {
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: 'silent' as const,
  };
  Object.assign(process.env, env);
  const app: NestFastifyApplication = await createWebApp(
    AppModule,
    loadConfig(env),
    createLogger('silent', 'bench'),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  await app
    .get(UsersService)
    .create(null, { email: 'admin@bench.test', name: 'Bench admin', roles: ['admin'] }, PASSWORD);
  const cookie = await signIn(baseUrl, 'admin@bench.test');
  return {
    app,
    baseUrl,
    cookie,
    async close() {
      const redis = app.get(RedisClient);
      for await (const keys of redis.scanKeys('*')) await redis.del(...keys);
      await app.close();
    },
  };
}

/** Signs in through the API (as anyone whose password is the bench's) and gives the session cookie. */
export async function signIn(baseUrl: string, email: string, password = PASSWORD): Promise<string> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`Signing in ${email} answered ${login.status}`);
  return (login.headers.get('set-cookie') ?? '').split(';')[0];
}

/** What undoes one step of a benchmark's set-up. */
export type Cleanup = Array<() => unknown>;

/**
 * Runs a benchmark whose steps push their undoing onto `cleanup`: undone in reverse, whatever step failed (a step
 * that cannot be undone is reported and the rest still run); then a failure's stack is printed and the process
 * exits 1.
 */
export function runBenchmark(main: (cleanup: Cleanup) => Promise<void>): void {
  const cleanup: Cleanup = [];
  main(cleanup)
    .finally(async () => {
      for (const step of cleanup.reverse())
        await Promise.resolve()
          .then(step)
          .catch((error: unknown) => process.stderr.write(`Cleaning up: ${String(error)}\n`));
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}

/**
 * A Foundation cohort in progress, online, at an organisation (by default the one in the bench's database): its id.
 */
export async function insertCohort(
  sql: Client,
  title: string,
  capacity: number,
  organisationId: string | null = null,
): Promise<string> {
  const [{ id }] = (
    await sql.query(
      `INSERT INTO cohorts (course_version_id, title, organisation_id, area_id, capacity, delivery_mode, status)
       SELECT (SELECT id FROM course_versions WHERE course_code = 'foundation' AND is_current), $1, o.id, o.area_id,
              $2, 'online', 'in_progress'
         FROM organisations o WHERE $3::uuid IS NULL OR o.id = $3 RETURNING id`,
      [title, capacity, organisationId],
    )
  ).rows;
  return id;
}

/**
 * A cohort of `size` trainees (`batch-N@bench.test`, named after `names` in turn) who are each eligible for a
 * certificate, in plain SQL as the e2e test makes them: one session attended, one reflection and six practice
 * contacts accepted, every competency met. At the bench's one organisation unless another is named.
 */
export async function seedEligibleCohort(
  sql: Client,
  batch: string,
  size: number,
  facilitatorId: string,
  names: string[],
  organisationId: string | null = null,
): Promise<string> {
  const cohortId = await insertCohort(sql, `Merton ${batch} cohort`, size, organisationId);
  const [{ id: sessionId }] = (
    await sql.query(
      `INSERT INTO cohort_sessions (cohort_id, title, starts_at, ends_at, sequence)
       VALUES ($1, 'Session 1', now() - interval '10 days', now() - interval '10 days' + interval '2 hours', 1)
       RETURNING id`,
      [cohortId],
    )
  ).rows;
  await sql.query(`INSERT INTO cohort_facilitators (cohort_id, user_id, role) VALUES ($1, $2, 'lead')`, [
    cohortId,
    facilitatorId,
  ]);
  await sql.query(
    `INSERT INTO users (email, name, roles, status, organisation_id, profession)
     SELECT $1 || '-' || n || '@bench.test', ($3::text[])[1 + n % cardinality($3::text[])] || ' ' || n,
            '{trainee}', 'active', (SELECT organisation_id FROM cohorts WHERE id = $4), 'health_visitor'
       FROM generate_series(1, $2::int) AS n`,
    [batch, size, names, cohortId],
  );
  await sql.query(
    `INSERT INTO enrolments (cohort_id, trainee_id, status, enrolled_at)
     SELECT $1, id, 'enrolled', now() FROM users WHERE email LIKE $2 || '-%'`,
    [cohortId, batch],
  );
  await sql.query(
    `INSERT INTO attendance (session_id, enrolment_id, status, recorded_by)
     SELECT $1, id, 'present', $3 FROM enrolments WHERE cohort_id = $2`,
    [sessionId, cohortId, facilitatorId],
  );
  await sql.query(
    `INSERT INTO logbook_entries (enrolment_id, kind, status, session_id, occurred_on, what_happened, reflection,
                                  learning, next_steps, revision, submitted_at)
     SELECT id, 'session_reflection', 'accepted', $1, current_date - 10, 'Session.', 'Felt.', 'Learned.', 'Next.', 1, now()
       FROM enrolments WHERE cohort_id = $2`,
    [sessionId, cohortId],
  );
  await sql.query(
    `INSERT INTO logbook_entries (enrolment_id, kind, status, occurred_on, minutes, stage, skills, what_happened,
                                  reflection, learning, next_steps, revision, submitted_at)
     SELECT e.id, 'practice_contact', 'accepted', current_date - k, 45, 'review', '{summarising}',
            'A visit.', 'Felt.', 'Learned.', 'Next.', 1, now()
       FROM enrolments e CROSS JOIN generate_series(1, 6) AS k WHERE e.cohort_id = $1`,
    [cohortId],
  );
  await sql.query(
    `INSERT INTO competency_sign_offs (enrolment_id, competency_id, outcome, comment, signed_by_id)
     SELECT e.id, c.id, 'met', 'Seen in practice.', $2
       FROM enrolments e JOIN cohorts co ON co.id = e.cohort_id
       JOIN competencies c ON c.course_version_id = co.course_version_id
      WHERE e.cohort_id = $1`,
    [cohortId, facilitatorId],
  );
  return cohortId;
}
