import TestAgent from 'supertest/lib/agent';
import { ANONYMOUS_SESSION_TTL_SECONDS } from 'src/auth/session.service';
import { eventually } from './support/eventually';
import { csrfTokenFrom, TestApp } from './support/test-app';

const sessionIdIn = (response: { headers: Record<string, unknown> }) =>
  /fpm_session=([^;]*)/.exec(String(response.headers['set-cookie']))?.[1];

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

  describe('ending sessions', () => {
    const signedOut = async (agents: TestAgent[]) => {
      for (const agent of agents) if ((await agent.get('/api/v1/me')).status !== 401) return false;
      return true;
    };

    it('gives a new session id at sign-in, through the page and the API, and drops the one before', async () => {
      const user = await t.newUser(['trainee']);
      const browser = t.agent();
      const before = sessionIdIn(await browser.get('/sign-in').expect(200))!;
      expect(await t.redis.exists(`session:${before}`)).toBe(1);
      const csrf = await csrfTokenFrom(browser, '/sign-in');
      const signIn = await browser
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrf, email: user.email, password: user.password })
        .expect(303);
      const after = sessionIdIn(signIn)!;
      expect(after).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(after).not.toBe(before);
      expect(await t.redis.exists(`session:${before}`)).toBe(0);

      const api = t.agent();
      const first = sessionIdIn(
        await api.post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(200),
      );
      const second = sessionIdIn(
        await api.post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(200),
      );
      expect(second).not.toBe(first);
      expect(await t.redis.exists(`session:${first}`)).toBe(0);
    });

    it('signs the person out of every session when they sign out in one, through the API', async () => {
      const user = await t.newUser(['trainee']);
      const [laptop, phone] = [await t.signedIn(user), await t.signedIn(user)];
      await phone.get('/api/v1/me').expect(200);
      await laptop.post('/api/v1/auth/logout').send({}).expect(204);
      expect(await signedOut([laptop, phone])).toBe(true);
      expect(await t.redis.exists(`user-sessions:${user.id}`)).toBe(0);
    });

    it('signs the person out of every session when they sign out on the page, and says so', async () => {
      const user = await t.newUser(['facilitator']);
      const [laptop, phone] = [await t.signedInThroughPage(user), await t.signedIn(user)];
      const csrf = await csrfTokenFrom(laptop, '/');
      const response = await laptop.post('/sign-out').type('form').send({ _csrf: csrf }).expect(303);
      expect(response.headers.location).toBe('/sign-in');
      expect((await laptop.get('/sign-in').expect(200)).text).toContain('You have signed out.');
      expect(await signedOut([laptop, phone])).toBe(true);
    });

    it('ends every session of a person whose roles an admin changes through the API', async () => {
      const user = await t.newUser(['trainee']);
      const sessions = [await t.signedIn(user), await t.signedIn(user)];
      const admin = await t.signedIn(await t.newUser(['admin']));
      await admin
        .patch(`/api/v1/users/${user.id}`)
        .send({ roles: ['trainee', 'facilitator'] })
        .expect(200);
      await eventually('both sessions to end', () => signedOut(sessions).then((done) => done || undefined));
      const again = await t.signedIn(user);
      expect((await again.get('/api/v1/me').expect(200)).body.roles).toEqual(['trainee', 'facilitator']);
      // A change that grants nothing leaves the new session alone.
      await admin.patch(`/api/v1/users/${user.id}`).send({ name: 'Renamed Person' }).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await again.get('/api/v1/me').expect(200);
    });

    it('ends every session of a person an admin moves to another organisation on the users page', async () => {
      const [from, to] = [await t.newOrganisation(), await t.newOrganisation()];
      const user = await t.newUser(['trainee'], { organisationId: from.id });
      const sessions = [await t.signedIn(user), await t.signedInThroughPage(user)];
      const admin = await t.signedInThroughPage(await t.newUser(['admin']));
      const csrf = await csrfTokenFrom(admin, `/admin/users/${user.id}`);
      await admin
        .post(`/admin/users/${user.id}`)
        .type('form')
        .send({
          _csrf: csrf,
          name: user.name,
          roles: 'trainee',
          organisationId: to.id,
          profession: 'social_worker',
        })
        .expect(303);
      expect((await admin.get(`/api/v1/users/${user.id}`).expect(200)).body.organisationId).toBe(to.id);
      await eventually('both sessions to end', () => signedOut(sessions).then((done) => done || undefined));
    });
  });
});
