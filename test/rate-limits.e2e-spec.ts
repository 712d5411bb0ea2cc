import { PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { PUBLIC_KEY } from 'src/common/access.decorators';
import { RATE_LIMIT_NAMES } from 'src/common/rate-limits';
import { loadConfig } from 'src/config/app-config';
import { csrfTokenFrom, TestApp } from './support/test-app';

const LIMITS = {
  RATE_LIMIT_SIGN_IN: 3,
  RATE_LIMIT_ACCOUNT_LINKS: 2,
  RATE_LIMIT_ACCOUNT_PAGES: 5,
  RATE_LIMIT_PUBLIC: 4,
};

describe('Rate limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start(
      Object.fromEntries(Object.entries(LIMITS).map(([name, value]) => [name, String(value)])),
    );
  });

  afterAll(async () => {
    await t.close();
  });

  const expectTooMany = (response: { status: number; headers: Record<string, string> }) => {
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    return retryAfter;
  };

  it('puts every route anyone can reach under a named limit', () => {
    const unlimited: string[] = [];
    let publicRoutes = 0;
    for (const module of t.app.get(ModulesContainer).values())
      for (const controller of module.controllers.values()) {
        if (!controller.metatype || !controller.instance) continue;
        const prototype = Object.getPrototypeOf(controller.instance) as Record<string, unknown>;
        for (const name of Object.getOwnPropertyNames(prototype)) {
          const handler = prototype[name];
          if (typeof handler !== 'function' || name === 'constructor') continue;
          if (!Reflect.hasMetadata(PATH_METADATA, handler)) continue;
          const isPublic =
            Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, controller.metatype);
          if (!isPublic) continue;
          publicRoutes += 1;
          const limit = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler)?.rateLimitName;
          if (!RATE_LIMIT_NAMES.includes(limit)) unlimited.push(`${controller.metatype.name}.${name}`);
        }
      }
    expect(publicRoutes).toBeGreaterThan(15);
    expect(unlimited).toEqual([]);
  });

  it('has limits by default that a person signing in never meets', () => {
    expect(loadConfig({})).toMatchObject({
      RATE_LIMIT_SIGN_IN: 10,
      RATE_LIMIT_ACCOUNT_LINKS: 20,
      RATE_LIMIT_ACCOUNT_PAGES: 300,
      RATE_LIMIT_PUBLIC: 60,
    });
    expect(() => loadConfig({ RATE_LIMIT_SIGN_IN: '0' })).toThrow(
      /RATE_LIMIT_SIGN_IN must be a whole number/,
    );
  });

  it('counts certificate verification, each calendar feed, the health check and the sign-in pages apart', async () => {
    for (let n = 0; n < LIMITS.RATE_LIMIT_PUBLIC; n++)
      await t.agent().get('/api/v1/verify/unknown').expect(404);
    expectTooMany(await t.agent().get('/api/v1/verify/unknown'));
    expectTooMany(await t.agent().get('/verify/unknown'));
    await t.agent().get('/health').expect(200);
    await t.agent().get('/sign-in').expect(200);

    const feed = (token: string) => t.agent().get(`/calendar/${token}.ics`);
    const [first, second] = ['a'.repeat(43), 'b'.repeat(43)];
    for (let n = 0; n < LIMITS.RATE_LIMIT_PUBLIC; n++) await feed(first).expect(404);
    expectTooMany(await feed(first));
    await feed(second).expect(404);
  });

  it('answers the sign-in after the allowed number for one address and e-mail with a 429 that says when to try again', async () => {
    const user = await t.newUser(['trainee']);
    const signIn = (email: string, password = user.password) =>
      t.agent().post('/api/v1/auth/login').send({ email, password });
    for (let n = 0; n < LIMITS.RATE_LIMIT_SIGN_IN; n++) await signIn(user.email).expect(200);
    const refused = await signIn(user.email);
    const retryAfter = expectTooMany(refused);
    expect(refused.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/^Too many requests\. Try again in \d+ seconds?\.$/),
    });
    expect(refused.body.message).toContain(String(retryAfter));
    // The count is the e-mail's: the same address case or spacing apart is the same account.
    expectTooMany(await signIn(` ${user.email.toUpperCase()} `));
    // Another account from the same address (a training room) is not held up, nor is the account locked.
    const other = await t.newUser(['trainee']);
    await signIn(other.email, other.password).expect(200);
    expect(await t.redis.exists(`signin:lock:account:${user.email}`)).toBe(0);
  });

  it('shows a page, not JSON, when the sign-in form is posted too often', async () => {
    const user = await t.newUser(['trainee']);
    const browser = t.agent();
    const csrf = await csrfTokenFrom(browser, '/sign-in');
    const post = () =>
      browser
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrf, email: user.email, password: 'not the password' });
    for (let n = 0; n < LIMITS.RATE_LIMIT_SIGN_IN; n++) expect((await post()).status).toBe(303);
    const refused = await post();
    expectTooMany(refused);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.text).toContain('<h1 class="govuk-heading-l">Too Many Requests</h1>');
    expect(refused.text).toMatch(/Too many requests\. Try again in \d+ seconds?\./);
  });

  it('limits password-reset requests and invitation acceptances from one address, on the API and the pages', async () => {
    const address = { 'x-forwarded-for': '203.0.113.9' };
    for (let n = 0; n < LIMITS.RATE_LIMIT_ACCOUNT_LINKS; n++)
      await t.agent().post('/api/v1/auth/password-reset').send({ email: 'someone@example.org' }).expect(202);
    const refused = await t.agent().post('/api/v1/auth/password-reset').send({ email: 'else@example.org' });
    expectTooMany(refused);
    expect(refused.body.statusCode).toBe(429);
    expectTooMany(
      await t
        .agent()
        .post('/api/v1/auth/accept-invitation')
        .send({ token: 'x', password: 'long enough pass' }),
    );
    expectTooMany(
      await t
        .agent()
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token: 'x', password: 'long enough pass' }),
    );
    const browser = t.agent();
    const csrf = await csrfTokenFrom(browser, '/forgot-password');
    const page = await browser
      .post('/forgot-password')
      .type('form')
      .send({ _csrf: csrf, email: 'a@example.org' });
    expectTooMany(page);
    expect(page.text).toContain('Too many requests');
    // The address is the client's own, not a header it sends, unless TRUST_PROXY says a proxy sets it.
    expectTooMany(
      await t.agent().post('/api/v1/auth/password-reset').set(address).send({ email: 'a@example.org' }),
    );
  });
});
