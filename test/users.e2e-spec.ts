import TestAgent from 'supertest/lib/agent';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';

describe('Users', () => {
  let t: TestApp;
  let admin: TestUser;
  let adminAgent: TestAgent;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.newUser(['admin']);
    adminAgent = await t.signedIn(admin);
  });

  afterAll(async () => {
    await t.close();
  });

  it('creates an invited user with several roles, an organisation and a profession, audited', async () => {
    const organisation = await t.newOrganisation();
    const created = await adminAgent
      .post('/api/v1/users')
      .send({
        email: 'Dual.Role@Example.org',
        name: 'Dual Role',
        roles: ['facilitator', 'trainee'],
        organisationId: organisation.id,
        profession: 'health_visitor',
      })
      .expect(201);
    expect(created.body).toMatchObject({
      email: 'dual.role@example.org',
      roles: ['facilitator', 'trainee'],
      organisationId: organisation.id,
      profession: 'health_visitor',
      status: 'invited',
    });
    const audit = await adminAgent
      .get(`/api/v1/audit-events?action=user.created&subjectId=${created.body.id}`)
      .expect(200);
    expect(audit.body.events).toEqual([
      expect.objectContaining({
        actorId: admin.id,
        details: expect.objectContaining({ roles: ['facilitator', 'trainee'] }),
      }),
    ]);
    await adminAgent
      .post('/api/v1/users')
      .send({ email: 'dual.role@example.org', name: 'Again', roles: ['trainee'] })
      .expect(409);
  });

  it('refuses a user without roles, with an unknown role or an unknown organisation', async () => {
    const none = await adminAgent
      .post('/api/v1/users')
      .send({ email: 'a@example.org', name: 'A', roles: [] })
      .expect(400);
    expect(none.body.errors.roles).toEqual(['Choose at least one role']);
    await adminAgent
      .post('/api/v1/users')
      .send({ email: 'a@example.org', name: 'A', roles: ['superuser'] })
      .expect(400);
    await adminAgent
      .post('/api/v1/users')
      .send({
        email: 'a@example.org',
        name: 'A',
        roles: ['trainee'],
        organisationId: '7b0c8a8e-2f7c-4d7e-9d1a-1d2b3c4d5e6f',
      })
      .expect(404);
  });

  it('records every profession the FPM material names as trained in the model', async () => {
    const named = [
      'psychiatrist',
      'clinical_psychologist',
      'educational_psychologist',
      'mental_health_nurse',
      'health_visitor',
      'early_years_practitioner',
      'childrens_centre_worker',
      'speech_and_language_therapist',
      'physiotherapist',
      'youth_offending_practitioner',
      'social_worker',
      'occupational_therapist',
    ];
    for (const [index, profession] of named.entries()) {
      const created = await adminAgent
        .post('/api/v1/users')
        .send({
          email: `profession${index}@example.org`,
          name: `Profession ${index}`,
          roles: ['trainee'],
          profession,
        })
        .expect(201);
      expect(created.body.profession).toBe(profession);
    }
    const page = await adminAgent.get('/admin/users/new').expect(200);
    expect(page.text).toContain('Speech and language therapist');
  });

  it('filters the list by role', async () => {
    const commissioner = await t.newUser(['commissioner']);
    const list = await adminAgent.get('/api/v1/users?role=commissioner').expect(200);
    expect(list.body.map((user: { id: string }) => user.id)).toEqual([commissioner.id]);
    await adminAgent.get('/api/v1/users?role=wizard').expect(400);
  });

  it('records a role change with before and after', async () => {
    const user = await t.newUser(['trainee']);
    await adminAgent
      .patch(`/api/v1/users/${user.id}`)
      .send({ roles: ['trainee', 'facilitator'] })
      .expect(200);
    const audit = await adminAgent
      .get(`/api/v1/audit-events?action=user.roles_changed&subjectId=${user.id}`)
      .expect(200);
    expect(audit.body.events[0].details).toEqual({ from: ['trainee'], to: ['trainee', 'facilitator'] });
  });

  it('takes effect at once: a disabled person is signed out and cannot sign in', async () => {
    const user = await t.newUser(['trainee']);
    const agent = await t.signedIn(user);
    await adminAgent.patch(`/api/v1/users/${user.id}`).send({ status: 'disabled' }).expect(200);
    await agent.get('/api/v1/me').expect(401);
    await t
      .agent()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(401);
  });

  it('does not let an admin remove their own admin role', async () => {
    const response = await adminAgent
      .patch(`/api/v1/users/${admin.id}`)
      .send({ roles: ['trainee'] })
      .expect(422);
    expect(response.body.message).toBe('You cannot remove your own administrator role');
  });

  it('sends a new invitation that replaces the old link', async () => {
    const created = await adminAgent
      .post('/api/v1/users')
      .send({ email: 'resend@example.org', name: 'Re Send', roles: ['trainee'] })
      .expect(201);
    await t.smtp.waitFor('resend@example.org');
    await adminAgent.post(`/api/v1/users/${created.body.id}/invitation`).send({}).expect(202);
    // The new link is made with the e-mail that carries it, once the resend has committed.
    while (t.smtp.messages.filter((message) => message.to.includes('resend@example.org')).length < 2)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const tokens: Array<{ used: boolean }> = await t.dataSource.query(
      `SELECT used_at IS NOT NULL AS used FROM user_tokens WHERE user_id = $1 ORDER BY created_at`,
      [created.body.id],
    );
    expect(tokens.map((token) => token.used)).toEqual([true, false]);
  });

  describe('pages', () => {
    it('invites a user through the form and shows them in the list', async () => {
      const csrf = await csrfTokenFrom(adminAgent, '/admin/users/new');
      const response = await adminAgent
        .post('/admin/users')
        .type('form')
        .send({
          _csrf: csrf,
          email: 'form.user@example.org',
          name: 'Form User',
          roles: ['', 'trainee'],
          organisationId: '',
          profession: 'midwife',
        })
        .expect(303);
      expect(response.headers.location).toMatch(/^\/admin\/users\/[0-9a-f-]{36}$/);
      const page = await adminAgent.get(response.headers.location).expect(200);
      expect(page.text).toContain('Form User has been invited by e-mail to form.user@example.org');
      const list = await adminAgent.get('/admin/users?q=form.user').expect(200);
      expect(list.text).toContain('Form User');
      await t.smtp.waitFor('form.user@example.org');
    });

    it('shows each refused field beside it and keeps what was typed', async () => {
      const csrf = await csrfTokenFrom(adminAgent, '/admin/users/new');
      await adminAgent
        .post('/admin/users')
        .type('form')
        .send({ _csrf: csrf, email: 'not-an-email', name: 'Kept Name', roles: '' })
        .expect(303)
        .expect('location', '/admin/users/new');
      const page = await adminAgent.get('/admin/users/new').expect(200);
      expect(page.text).toContain('id="email-error"');
      expect(page.text).toContain('Choose at least one role');
      expect(page.text).toContain('value="Kept Name"');
      expect(page.text).toContain('value="not-an-email"');
    });
  });
});
