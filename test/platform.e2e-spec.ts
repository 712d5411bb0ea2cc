import { csrfTokenFrom, TestApp } from './support/test-app';

describe('Platform behaviour', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t.close();
  });

  it('reports PostgreSQL and Redis as up on /health', async () => {
    const response = await t.agent().get('/health').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      checks: { postgres: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('answers an unknown API route with a 404 JSON body', async () => {
    const admin = await t.newUser(['admin']);
    const agent = await t.signedIn(admin);
    const response = await agent.get('/api/v1/nothing-here').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    const missing = await agent.get('/api/v1/areas/7b0c8a8e-2f7c-4d7e-9d1a-1d2b3c4d5e6f').expect(404);
    expect(missing.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      message: 'The area was not found',
    });
  });

  it('answers an unknown page with a 404 page', async () => {
    const response = await t.agent().get('/no-such-page').expect(404);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('Page not found');
  });

  it('refuses invalid input with 400 and a message per field', async () => {
    const admin = await t.newUser(['admin']);
    const agent = await t.signedIn(admin);
    const response = await agent
      .post('/api/v1/areas')
      .send({ code: 'X123', name: '', region: 'London' })
      .expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: 'Validation failed',
      errors: {
        code: ['Enter an ONS code: a letter E, W, S or N and 8 digits, like E09000024'],
        name: ['Enter a name'],
      },
    });
  });

  it('refuses a property the API does not know', async () => {
    const admin = await t.newUser(['admin']);
    const agent = await t.signedIn(admin);
    const response = await agent
      .post('/api/v1/areas')
      .send({ code: 'E09000024', name: 'Merton', region: 'London', isAdmin: true })
      .expect(400);
    expect(response.body.errors).toEqual({ isAdmin: ['isAdmin is not a known property'] });
    const count = await t.dataSource.query(`SELECT count(*)::int AS n FROM areas WHERE code = 'E09000024'`);
    expect(count[0].n).toBe(0);
  });

  it('refuses malformed JSON with 400, not 500', async () => {
    const response = await t
      .agent()
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send('{"email":')
      .expect(400);
    expect(response.body.statusCode).toBe(400);
  });

  it('refuses an id that is not a UUID with 400', async () => {
    const admin = await t.newUser(['admin']);
    const agent = await t.signedIn(admin);
    const response = await agent.get('/api/v1/areas/not-a-uuid').expect(400);
    expect(response.body.message).toMatch(/uuid is expected/);
  });

  it('refuses a form-encoded body on the API, which a cross-site form could send', async () => {
    const user = await t.newUser(['trainee']);
    await t
      .agent()
      .post('/api/v1/auth/login')
      .type('form')
      .send({ email: user.email, password: user.password })
      .expect(415);
  });

  it('refuses a form post without the CSRF token, and accepts it with the token', async () => {
    const user = await t.newUser(['trainee']);
    const agent = t.agent();
    await csrfTokenFrom(agent, '/sign-in');
    const refused = await agent
      .post('/sign-in')
      .type('form')
      .send({ email: user.email, password: user.password })
      .expect(403);
    expect(refused.text).toContain('This form has expired or did not come from this site');
    await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: 'forged-token', email: user.email, password: user.password })
      .expect(403);
    const csrf = await csrfTokenFrom(agent, '/sign-in');
    await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrf, email: user.email, password: user.password })
      .expect(303)
      .expect('location', '/');
  });

  it('refuses a form post from a visitor who never loaded a form', async () => {
    await t.agent().post('/forgot-password').type('form').send({ email: 'x@example.org' }).expect(403);
  });

  it('sends security headers with a CSP under which GOV.UK Frontend works', async () => {
    const response = await t.agent().get('/sign-in').expect(200);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.text).not.toMatch(/<script>(?!<\/script>)/);
    expect(response.text).toContain('/public/govuk/govuk-frontend.min.css');
    await t
      .agent()
      .get('/public/govuk/govuk-frontend.min.css')
      .expect(200)
      .expect('content-type', /text\/css/);
    await t.agent().get('/assets/fonts/bold-b542beb274-v2.woff2').expect(200);
    await t.agent().get('/public/govuk/package.json').expect(404);
  });

  it('echoes a request id, or makes one', async () => {
    const given = await t.agent().get('/health').set('x-request-id', 'trace-123').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-123');
    const made = await t.agent().get('/health').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI description with the binding routes', async () => {
    const response = await t.agent().get('/api/docs-json').expect(200);
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/me',
      '/api/v1/users',
      '/api/v1/areas',
      '/api/v1/organisations',
      '/api/v1/audit-events',
    ]) {
      expect(response.body.paths).toHaveProperty([path]);
    }
    expect(response.body.paths).toHaveProperty(['/api/v1/areas/{id}/workforce-baselines', 'put']);
    await t.agent().get('/api/docs').expect(200);
  });

  it('answers 401 on the API without a session', async () => {
    const response = await t.agent().get('/api/v1/me').expect(401);
    expect(response.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'SIGN_IN_REQUIRED',
      message: 'Sign in to continue',
    });
  });
});

describe('Platform behaviour behind https', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ APP_URL: 'https://fpm.example.org' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('marks the session cookie Secure with the __Host- prefix and sends HSTS', async () => {
    const user = await t.newUser(['trainee']);
    const response = await t
      .agent()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(200);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-fpm_session=[\w-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(response.headers['strict-transport-security']).toContain('max-age=31536000');
  });
});
