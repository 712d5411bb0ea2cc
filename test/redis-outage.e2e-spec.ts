import Redis from 'ioredis';
import { isRedisUnavailable, REQUEST_REDIS_OPTIONS } from 'src/common/redis.module';
import { UsersService } from 'src/users/users.service';
import { eventually } from './support/eventually';
import { PrivateRedis } from './support/private-redis';
import { hideRefusedConnections } from './support/refused-connections';
import { TestApp, TestUser } from './support/test-app';

/** Longer than any answer here should take: a request that waits for Redis to come back fails the test. */
const PROMPT_MS = 1_500;

/**
 * While Redis is away the web process answers what needs no Redis, a clear 503 for what does (every signed-in
 * route, as sessions live there), and nothing hangs; once it is back, people sign in again and carry on.
 */
describe('The web process while Redis is down', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let trainee: TestUser;

  beforeAll(async () => {
    hideRefusedConnections();
    redis = await PrivateRedis.onFreePort();
    await redis.start();
    // A public limit this low would refuse the requests below if anything were counted while Redis is away.
    t = await TestApp.start({ REDIS_URL: redis.url, RATE_LIMIT_PUBLIC: '2' }, { worker: false });
    trainee = await t.newUser(['trainee']);
  });

  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  /** The answer and how long it took. */
  async function timed<T>(request: PromiseLike<T>): Promise<[T, number]> {
    const started = Date.now();
    const response = await request;
    return [response, Date.now() - started];
  }

  it('recognises each way ioredis says Redis cannot be reached, and not a wrong command', async () => {
    const nowhere = new Redis(`redis://127.0.0.1:${(await PrivateRedis.onFreePort()).port}`, {
      ...REQUEST_REDIS_OPTIONS,
      retryStrategy: () => null,
    });
    nowhere.on('error', () => undefined);
    const refused = await nowhere.get('key').catch((error: unknown) => error);
    nowhere.disconnect();
    const closed = await nowhere.get('key').catch((error: unknown) => error);
    expect([refused, closed].map(isRedisUnavailable)).toEqual([true, true]);
    const wrong = await t.redis
      .eval('return redis.call("NOT_A_COMMAND")', 0)
      .catch((error: unknown) => error);
    expect(isRedisUnavailable(wrong)).toBe(false);
  });

  it('answers 503 with Retry-After at once for what needs Redis, and keeps answering what does not', async () => {
    const api = await t.signedIn(trainee);
    const browser = await t.signedInThroughPage(trainee);
    await api.get('/api/v1/me').expect(200);

    await redis.stop();

    const [me, meMs] = await timed(api.get('/api/v1/me'));
    expect(me.status).toBe(503);
    expect(me.headers['retry-after']).toBe('30');
    expect(me.body).toMatchObject({ statusCode: 503, code: 'SESSION_STORE_UNAVAILABLE' });
    expect(me.body.message).toMatch(/try again in 30 seconds/i);
    expect(meMs).toBeLessThan(PROMPT_MS);

    const [page, pageMs] = await timed(browser.get('/my/courses'));
    expect(page.status).toBe(503);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['retry-after']).toBe('30');
    expect(page.text).toContain('Sorry, the service is unavailable');
    expect(page.text).toContain('govuk-template');
    expect(pageMs).toBeLessThan(PROMPT_MS);

    // Signing in needs Redis twice over: the throttle counts there, and the session is kept there.
    const [login, loginMs] = await timed(
      t.agent().post('/api/v1/auth/login').send({ email: trainee.email, password: trainee.password }),
    );
    expect(login.status).toBe(503);
    expect(loginMs).toBeLessThan(PROMPT_MS);
    // The sign-in form itself is still shown: a visitor not signed in has nothing in Redis worth refusing a page for.
    const [signInPage, signInPageMs] = await timed(t.agent().get('/sign-in'));
    expect(signInPage.status).toBe(200);
    expect(signInPage.text).toContain('name="_csrf"');
    expect(signInPageMs).toBeLessThan(PROMPT_MS);

    // Public routes need no session; their rate limit fails open rather than refusing or hanging.
    for (let i = 0; i < 4; i++) {
      const [keys, keysMs] = await timed(t.agent().get('/.well-known/jwks.json'));
      expect(keys.status).toBe(200);
      expect(keysMs).toBeLessThan(PROMPT_MS);
    }
    await t.agent().get('/api/v1/verify/NO-SUCH-CODE').expect(404);
    const verifyPage = await t.agent().get('/verify/NO-SUCH-CODE').expect(404);
    expect(verifyPage.text).toContain('Page not found');
    await t.agent().get('/public/govuk/govuk-frontend.min.css').expect(200);
    // Signed out, a page sends the visitor to sign in without needing Redis to say so.
    await t.agent().get('/my/courses').expect(303);

    // Still worth sending traffic to, as above; the check says what is missing.
    const [health, healthMs] = await timed(t.agent().get('/health'));
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'degraded',
      checks: { postgres: { status: 'up' }, redis: { status: 'down' } },
    });
    expect(healthMs).toBeLessThan(PROMPT_MS + 2_000);

    // Nothing that needs no Redis stops working meanwhile: a change in PostgreSQL alone still commits.
    const { user } = await t.app.get(UsersService).create(null, {
      email: 'during-outage@example.org',
      name: 'Invited while Redis was down',
      roles: ['trainee'],
    });
    expect(user.id).toBeTruthy();
  });

  it('serves signed-in people again once Redis is back, after they sign in again', async () => {
    await redis.start();
    await eventually('the health check to see Redis again', async () => {
      const health = await t.agent().get('/health');
      return health.body.status === 'ok';
    });
    // Redis came back empty, as one without persistence does: the old sessions are gone, so people sign in again.
    const api = await t.signedIn(trainee);
    await api.get('/api/v1/me').expect(200);
    const browser = await t.signedInThroughPage(trainee);
    await browser.get('/my/courses').expect(200);
    // The public limit counts again.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.agent().get('/.well-known/jwks.json')).status);
    expect(statuses).toContain(429);
  });
});
