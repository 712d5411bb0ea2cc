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

/** A Foundation cohort in progress, online, at the one organisation in the bench's database: its id. */
export async function insertCohort(sql: Client, title: string, capacity: number): Promise<string> {
  const [{ id }] = (
    await sql.query(
      `INSERT INTO cohorts (course_version_id, title, organisation_id, area_id, capacity, delivery_mode, status)
       SELECT (SELECT id FROM course_versions WHERE course_code = 'foundation' AND is_current), $1, o.id, o.area_id,
              $2, 'online', 'in_progress'
         FROM organisations o RETURNING id`,
      [title, capacity],
    )
  ).rows;
  return id;
}
