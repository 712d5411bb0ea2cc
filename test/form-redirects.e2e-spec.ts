import { csrfTokenFrom, TestApp, TEST_PASSWORD } from './support/test-app';

describe('Replies', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('sends each reply once: a successful form, a refused form and a sign-in log no warning', async () => {
    const user = await t.newUser(['admin']);
    const agent = t.agent();
    const signIn = await csrfTokenFrom(agent, '/sign-in');
    await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: signIn, email: user.email, password: TEST_PASSWORD, next: '/admin/areas' })
      .expect(303)
      .expect('location', '/admin/areas');
    const csrf = await csrfTokenFrom(agent, '/admin/areas');
    const created = await agent
      .post('/admin/areas')
      .type('form')
      .send({ _csrf: csrf, code: 'E09000099', name: 'Barnet', region: 'London' })
      .expect(303);
    await agent.get(created.headers.location).expect(200);
    await agent.post('/admin/areas').type('form').send({ _csrf: csrf, code: 'nonsense' }).expect(303);
    await t
      .agent()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t.warnings).toEqual([]);
  });
});
