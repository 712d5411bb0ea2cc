import { ANONYMOUS_SESSION_TTL_SECONDS } from 'src/auth/session.service';
import { TestApp } from './support/test-app';

describe('Sessions and caching', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t?.close();
  });

  async function sessionKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const batch of t.redis.scanKeys('session:*')) keys.push(...batch);
    return keys;
  }

  it('keeps nothing for an anonymous visitor who reads pages without a form', async () => {
    const before = await sessionKeys();
    for (const path of ['/', '/health', '/no-such-page', '/admin/users']) {
      const response = await t.agent().get(path);
      expect(response.status).toBeLessThan(500);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    expect(await sessionKeys()).toEqual(before);
  });

  it('keeps a form’s session before sign-in for half an hour at most, and does not slide it', async () => {
    const agent = t.agent();
    const page = await agent.get('/sign-in').expect(200);
    const id = /fpm_session=([^;]+)/.exec(String(page.headers['set-cookie']))![1];
    const ttl = await t.redis.ttl(`session:${id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(ANONYMOUS_SESSION_TTL_SECONDS);
    await t.redis.expire(`session:${id}`, 60);
    await agent.get('/sign-in').expect(200);
    expect(await t.redis.ttl(`session:${id}`)).toBeLessThanOrEqual(60);
  });

  it('keeps a signed-in session for SESSION_TTL_MINUTES from its latest request', async () => {
    const user = await t.newUser(['trainee']);
    const agent = t.agent();
    const login = await agent
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(200);
    const id = /fpm_session=([^;]+)/.exec(String(login.headers['set-cookie']))![1];
    const ttl = t.config.SESSION_TTL_MINUTES * 60;
    expect(await t.redis.ttl(`session:${id}`)).toBeGreaterThan(ttl - 5);
    await t.redis.expire(`session:${id}`, 60);
    await agent.get('/api/v1/me').expect(200);
    expect(await t.redis.ttl(`session:${id}`)).toBeGreaterThan(ttl - 5);
  });

  it('marks signed-in pages and every API answer no-store, but not the design system’s assets', async () => {
    const agent = await t.signedIn(await t.newUser(['admin']));
    for (const path of ['/', '/admin/users', '/api/v1/me', '/api/v1/users'])
      expect((await agent.get(path).expect(200)).headers['cache-control']).toBe('no-store');
    expect((await t.agent().get('/api/v1/me').expect(401)).headers['cache-control']).toBe('no-store');
    const asset = await t.agent().get('/public/govuk/govuk-frontend.min.css').expect(200);
    expect(asset.headers['cache-control']).not.toBe('no-store');
  });
});
