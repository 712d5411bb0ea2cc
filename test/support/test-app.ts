import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from 'src/app.module';
import { createLogger } from 'src/common/logger';
import { RedisClient } from 'src/common/redis.module';
import type { Role } from 'src/common/role';
import { AppConfig, loadConfig } from 'src/config/app-config';
import { OrganisationsService } from 'src/organisations/organisations.service';
import type { UserView } from 'src/users/users.service';
import { UsersService } from 'src/users/users.service';
import { createWebApp } from 'src/web-app';
import { WorkerModule } from 'src/worker.module';
import { adminQuery, serverUrl, TEMPLATE_ENV } from './databases';
import { SmtpCapture } from './smtp-capture';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestUser extends UserView {
  password: string;
}

/**
 * One app per test file: web and worker in one process, on a database cloned from the migrated template,
 * with a Redis key prefix and an SMTP server of its own.
 */
export class TestApp {
  app!: NestFastifyApplication;
  config!: AppConfig;
  /** The environment the app was configured from, for a worker process of its own (worker-process.ts). */
  env!: NodeJS.ProcessEnv;
  readonly smtp = new SmtpCapture();
  /** Every line logged at warning level or above, so that a test can say it expects none. */
  readonly warnings: string[] = [];
  private readonly logger = createLogger('warn', 'test', {
    write: (line: string) => this.warnings.push(line),
  });
  private readonly id = randomBytes(4).toString('hex');
  private readonly database = `${process.env[TEMPLATE_ENV]}_${this.id}`.replace('_template', '');
  private sequence = 0;

  /** `worker: false` starts the web app alone, so that only worker processes the test starts take jobs. */
  static async start(
    overrides: Record<string, string> = {},
    { worker = true }: { worker?: boolean } = {},
  ): Promise<TestApp> {
    return new TestApp().start(overrides, worker);
  }

  private async start(overrides: Record<string, string>, worker: boolean): Promise<this> {
    const template = process.env[TEMPLATE_ENV];
    if (!template) throw new Error('The e2e global setup did not run');
    await adminQuery(`CREATE DATABASE ${this.database} TEMPLATE ${template}`);
    await this.smtp.start();
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: serverUrl(this.database),
      REDIS_PREFIX: `fpmtest:${this.id}`,
      SMTP_URL: this.smtp.url,
      APP_URL: 'http://localhost:3000',
      LOG_LEVEL: 'silent',
      LOGIN_SLOWDOWN_MS: '0',
      ...overrides,
    };
    Object.assign(process.env, env);
    this.env = env;
    this.config = loadConfig(env);
    this.app = await createWebApp(worker ? WorkerModule : AppModule, this.config, this.logger);
    await this.app.init();
    await this.app.getHttpAdapter().getInstance().ready();
    return this;
  }

  /** Another web process (no worker) over the same database and Redis, as behind a load balancer. */
  async secondWebProcess(): Promise<NestFastifyApplication> {
    const app = await createWebApp(AppModule, this.config, createLogger('silent', 'test-web-2'));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  }

  get dataSource(): DataSource {
    return this.app.get<DataSource>(getDataSourceToken());
  }

  get redis(): RedisClient {
    return this.app.get(RedisClient);
  }

  /** A client that keeps cookies between requests, like a browser. */
  agent(): TestAgent {
    return request.agent(this.app.getHttpServer());
  }

  async newOrganisation(): Promise<{ id: string; areaId: string }> {
    const organisations = this.app.get(OrganisationsService);
    const n = ++this.sequence;
    const system = {
      id: '00000000-0000-4000-8000-000000000000',
      email: '',
      name: 'test',
      roles: ['admin' as Role],
      organisationId: null,
    };
    const area = await organisations.createArea(system, {
      code: `E0${String(9_000_000 + n).padStart(7, '0')}`,
      name: `Area ${n}`,
      region: 'London',
    });
    const organisation = await organisations.createOrganisation(system, {
      name: `Organisation ${n}`,
      kind: 'local_authority',
      areaId: area.id,
    });
    return { id: organisation.id, areaId: area.id };
  }

  async newUser(
    roles: Role[],
    options: { organisationId?: string | null; email?: string; invited?: boolean; name?: string } = {},
  ): Promise<TestUser> {
    const n = ++this.sequence;
    const { user } = await this.app.get(UsersService).create(
      null,
      {
        email: options.email ?? `person${n}@example.org`,
        name: options.name ?? `Person ${n}`,
        roles,
        organisationId: options.organisationId ?? null,
        profession: 'social_worker',
      },
      options.invited ? undefined : TEST_PASSWORD,
    );
    return { ...user, password: TEST_PASSWORD };
  }

  /** An agent signed in through the JSON API. */
  async signedIn(user: { email: string; password: string }): Promise<TestAgent> {
    const agent = this.agent();
    await agent.post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(200);
    return agent;
  }

  /** An agent signed in through the sign-in page, as a browser is: it then posts forms with their CSRF tokens. */
  async signedInThroughPage(user: { email: string; password: string }): Promise<TestAgent> {
    const browser = this.agent();
    const csrf = await csrfTokenFrom(browser, '/sign-in');
    await browser
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrf, email: user.email, password: user.password })
      .expect(303);
    return browser;
  }

  /** Ends every sign-in lock and failure count, as an admin lifting them would. */
  async liftSignInLocks(): Promise<void> {
    for await (const keys of this.redis.scanKeys('signin:*')) await this.redis.del(...keys);
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.smtp.stop();
    await this.deleteRedisKeys();
    await adminQuery(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`);
  }

  private async deleteRedisKeys(): Promise<void> {
    const Redis = (await import('ioredis')).default;
    const redis = new Redis(this.config.REDIS_URL);
    try {
      const stream = redis.scanStream({ match: `fpmtest:${this.id}:*`, count: 500 });
      for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  }
}

/** The hidden CSRF token of the form on a page. */
export async function csrfTokenFrom(agent: TestAgent, path: string): Promise<string> {
  const page = await agent.get(path).expect(200);
  const match = page.text.match(/name="_csrf" value="([^"]+)"/);
  if (!match) throw new Error(`No CSRF token on ${path}`);
  return match[1];
}
