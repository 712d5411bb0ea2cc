import 'reflect-metadata';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { AppModule } from 'src/app.module';
import { createLogger } from 'src/common/logger';
import { RedisClient } from 'src/common/redis.module';
import { loadConfig } from 'src/config/app-config';
import { runMigrations } from 'src/database/migrate';
import { hashPassword, verifyPassword } from 'src/users/password-hasher';
import { UsersService } from 'src/users/users.service';
import { createWebApp } from 'src/web-app';
import { summary, timed } from './measure';

// Prints latency figures for the foundation's hot paths: password hashing (every sign-in) and an
// authenticated request (session from Redis + user from PostgreSQL on every request).
// Usage: npm run bench   (uses database fpm_bench on the DATABASE_URL server and Redis prefix fpmbench)

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 500);

async function main(): Promise<void> {
  const base = loadConfig();
  const url = new URL(base.DATABASE_URL);
  url.pathname = '/fpm_bench';
  const env = {
    ...process.env,
    DATABASE_URL: url.toString(),
    REDIS_PREFIX: 'fpmbench',
    LOG_LEVEL: 'silent' as const,
  };
  Object.assign(process.env, env);
  await runMigrations(env.DATABASE_URL);

  const hashSamples: number[] = [];
  const verifySamples: number[] = [];
  let hash = '';
  for (let i = 0; i < 20; i++)
    hashSamples.push(await timed(async () => (hash = await hashPassword('bench password 123'))));
  for (let i = 0; i < 20; i++)
    verifySamples.push(await timed(() => verifyPassword(hash, 'bench password 123')));

  const config = loadConfig(env);
  const app: NestFastifyApplication = await createWebApp(AppModule, config, createLogger('silent', 'bench'));
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  try {
    const email = `bench-${Date.now()}@example.org`;
    await app
      .get(UsersService)
      .create(null, { email, name: 'Bench', roles: ['admin'] }, 'bench password 123');
    const login = await fastify.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'bench password 123' },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0];

    const me: number[] = [];
    const health: number[] = [];
    const signInPage: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      me.push(await timed(() => fastify.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })));
      health.push(await timed(() => fastify.inject({ method: 'GET', url: '/health' })));
      signInPage.push(await timed(() => fastify.inject({ method: 'GET', url: '/sign-in' })));
    }
    const lines = [
      summary('argon2id hash (19 MiB, t=2)', hashSamples),
      summary('argon2id verify', verifySamples),
      summary('GET /api/v1/me (signed in, in-process)', me),
      summary('GET /health (in-process)', health),
      summary('GET /sign-in page render (in-process)', signInPage),
      `heap used after run: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(1)} MiB`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    const redis = app.get(RedisClient);
    for await (const keys of redis.scanKeys('*')) await redis.del(...keys);
    await app.close();
    const client = new Client({ connectionString: base.DATABASE_URL.replace(/\/[^/]*$/, '/postgres') });
    await client.connect();
    await client.query('DROP DATABASE IF EXISTS fpm_bench WITH (FORCE)');
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
