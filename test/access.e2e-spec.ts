import TestAgent from 'supertest/lib/agent';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';

const SOME_ID = '7b0c8a8e-2f7c-4d7e-9d1a-1d2b3c4d5e6f';

// Every route that only administrators (or training leads) may use.
// Each row has all three items: jest passes `done` in place of a missing one.
const ADMIN_API_ROUTES: Array<
  [method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string, body: object | null]
> = [
  ['get', '/api/v1/users', null],
  ['post', '/api/v1/users', { email: 'x@example.org', name: 'X', roles: ['admin'] }],
  ['get', `/api/v1/users/${SOME_ID}`, null],
  ['patch', `/api/v1/users/${SOME_ID}`, { roles: ['admin'] }],
  ['post', `/api/v1/users/${SOME_ID}/invitation`, {}],
  ['get', '/api/v1/audit-events', null],
  ['post', '/api/v1/areas', { code: 'E09000024', name: 'Merton', region: 'London' }],
  ['get', '/api/v1/areas', null],
  ['get', `/api/v1/areas/${SOME_ID}`, null],
  ['patch', `/api/v1/areas/${SOME_ID}`, { name: 'Renamed' }],
  ['get', `/api/v1/areas/${SOME_ID}/workforce-baselines`, null],
  ['put', `/api/v1/areas/${SOME_ID}/workforce-baselines`, []],
  ['post', '/api/v1/organisations', { name: 'Org', kind: 'other', areaId: SOME_ID }],
  ['get', '/api/v1/organisations', null],
  ['get', `/api/v1/organisations/${SOME_ID}`, null],
  ['patch', `/api/v1/organisations/${SOME_ID}`, { name: 'Renamed' }],
  ['get', '/api/v1/auth/sign-in-locks', null],
  ['delete', '/api/v1/auth/sign-in-locks/account/someone%40example.org', null],
];

const ADMIN_PAGES = [
  '/admin/users',
  '/admin/users/new',
  `/admin/users/${SOME_ID}`,
  '/admin/areas',
  `/admin/areas/${SOME_ID}`,
  '/admin/organisations',
  `/admin/organisations/${SOME_ID}`,
  '/admin/audit',
  '/admin/mail',
  '/admin/sign-in-locks',
];

const ADMIN_FORM_POSTS = [
  '/admin/users',
  `/admin/users/${SOME_ID}`,
  `/admin/users/${SOME_ID}/resend-invitation`,
  '/admin/areas',
  `/admin/areas/${SOME_ID}`,
  `/admin/areas/${SOME_ID}/workforce-baselines`,
  '/admin/organisations',
  `/admin/organisations/${SOME_ID}`,
  `/admin/mail/${SOME_ID}/retry`,
  '/admin/sign-in-locks/lift',
];

describe('Access by role and scope', () => {
  let t: TestApp;
  let trainee: TestUser;
  let traineeAgent: TestAgent;

  beforeAll(async () => {
    t = await TestApp.start();
    trainee = await t.newUser(['trainee']);
    traineeAgent = await t.signedIn(trainee);
  });

  afterAll(async () => {
    await t.close();
  });

  it.each(ADMIN_API_ROUTES)('refuses a trainee with 403 on %s %s', async (method, path, body) => {
    const call = traineeAgent[method](path);
    const response = await (body === null ? call : call.send(body)).expect(403);
    expect(response.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
  });

  it.each(ADMIN_PAGES)('refuses a trainee with a 403 page on GET %s', async (path) => {
    const response = await traineeAgent.get(path).expect(403);
    expect(response.text).toContain('You cannot do this');
  });

  it.each(ADMIN_FORM_POSTS)('refuses a trainee with 403 on the form post to %s', async (path) => {
    const csrf = await csrfTokenFrom(traineeAgent, '/');
    await traineeAgent.post(path).type('form').send({ _csrf: csrf, name: 'x' }).expect(403);
  });

  it('does not show a trainee the admin navigation', async () => {
    const page = await traineeAgent.get('/').expect(200);
    expect(page.text).not.toContain('href="/admin/users"');
  });

  describe('training lead scope', () => {
    it('sees and manages only people of their own organisation', async () => {
      const own = await t.newOrganisation();
      const other = await t.newOrganisation();
      const lead = await t.newUser(['training_lead'], { organisationId: own.id });
      const colleague = await t.newUser(['trainee'], { organisationId: own.id });
      const stranger = await t.newUser(['trainee'], { organisationId: other.id });
      const agent = await t.signedIn(lead);

      const list = await agent.get('/api/v1/users').expect(200);
      const ids = list.body.map((user: { id: string }) => user.id);
      expect(ids).toContain(colleague.id);
      expect(ids).not.toContain(stranger.id);
      await agent.get(`/api/v1/users/${stranger.id}`).expect(404);
      await agent.patch(`/api/v1/users/${stranger.id}`).send({ name: 'Changed' }).expect(404);
      await agent
        .patch(`/api/v1/users/${colleague.id}`)
        .send({ roles: ['trainee', 'facilitator'] })
        .expect(200);
    });

    it('cannot give administrator or training lead roles, nor invite into another organisation', async () => {
      const own = await t.newOrganisation();
      const other = await t.newOrganisation();
      const lead = await t.newUser(['training_lead'], { organisationId: own.id });
      const colleague = await t.newUser(['trainee'], { organisationId: own.id });
      const agent = await t.signedIn(lead);
      const refused = await agent
        .patch(`/api/v1/users/${colleague.id}`)
        .send({ roles: ['admin'] })
        .expect(422);
      expect(refused.body).toMatchObject({
        code: 'ROLE_NOT_GRANTABLE',
        field: 'roles',
        message: 'A training lead can give or remove only these roles: trainee, facilitator',
      });
      await agent
        .post('/api/v1/users')
        .send({
          email: 'someone@example.org',
          name: 'Some One',
          roles: ['trainee'],
          organisationId: other.id,
        })
        .expect(422)
        .expect(({ body }) => expect(body.code).toBe('ORGANISATION_NOT_YOURS'));
      const created = await agent
        .post('/api/v1/users')
        .send({ email: 'joiner@example.org', name: 'Joiner', roles: ['trainee'] })
        .expect(201);
      expect(created.body.organisationId).toBe(own.id);
    });
  });

  describe('commissioner scope', () => {
    it('lists only the areas the commissioner covers', async () => {
      const covered = await t.newOrganisation();
      const notCovered = await t.newOrganisation();
      const admin = await t.newUser(['admin']);
      const commissioner = await t.newUser(['commissioner']);
      const adminAgent = await t.signedIn(admin);
      await adminAgent
        .patch(`/api/v1/users/${commissioner.id}`)
        .send({ areaIds: [covered.areaId] })
        .expect(200);
      const agent = await t.signedIn(commissioner);
      const areas = await agent.get('/api/v1/areas').expect(200);
      expect(areas.body.map((area: { id: string }) => area.id)).toEqual([covered.areaId]);
      expect(areas.body.map((area: { id: string }) => area.id)).not.toContain(notCovered.areaId);
      const me = await agent.get('/api/v1/me').expect(200);
      expect(me.body.areaIds).toEqual([covered.areaId]);
      await agent.get(`/api/v1/areas/${covered.areaId}/workforce-baselines`).expect(403);
    });
  });
});
