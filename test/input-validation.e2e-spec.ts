import TestAgent from 'supertest/lib/agent';
import { CohortSetup, cohortSetup, createCohort } from './support/cohort-factory';
import { TestApp } from './support/test-app';

describe('Input validation', () => {
  let t: TestApp;
  let setup: CohortSetup;
  let admin: TestAgent;
  let cohortId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    setup = await cohortSetup(t);
    admin = await t.signedIn(await t.newUser(['admin']));
    cohortId = (await createCohort(setup)).id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('refuses deeply nested JSON with 400 before validating it, even when not signed in', async () => {
    const deep = '{"email":' + '['.repeat(20_000) + ']'.repeat(20_000) + '}';
    const response = await t
      .agent()
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send(deep)
      .expect(400);
    expect(response.body.message).toMatch(/nests more than 32 levels/);
  });

  it('refuses a NUL byte in a field, a query and a route parameter with 400 naming each', async () => {
    const field = await setup.leadAgent
      .patch(`/api/v1/cohorts/${cohortId}`)
      .send({ title: 'a\u0000b' })
      .expect(400);
    expect(field.body.errors.title[0]).toMatch(/U\+0000/);
    const query = await admin.get('/api/v1/users?q=%00').expect(400);
    expect(query.body.errors.q[0]).toMatch(/U\+0000/);
    await admin.get('/api/v1/audit-events?action=a%00b').expect(400);
  });

  it('refuses a lone surrogate in an e-mail address with 400', async () => {
    const response = await admin
      .post('/api/v1/users')
      .send({ email: 'sam\ud800@example.org', name: 'Sam', roles: ['trainee'] })
      .expect(400);
    expect(response.body.errors.email[0]).toMatch(/surrogate/);
  });

  it('treats null as a value: refused where the record needs one, accepted where it clears', async () => {
    const refused = await setup.leadAgent
      .patch(`/api/v1/cohorts/${cohortId}`)
      .send({ title: null, capacity: null, deliveryMode: null })
      .expect(400);
    expect(Object.keys(refused.body.errors).sort()).toEqual(['capacity', 'deliveryMode', 'title']);
    await setup.leadAgent
      .patch(`/api/v1/cohorts/${cohortId}`)
      .send({ venue: null, deliveryMode: 'online' })
      .expect(200);
    const user = await t.newUser(['trainee'], { organisationId: setup.organisationId });
    const name = await admin.patch(`/api/v1/users/${user.id}`).send({ name: null }).expect(400);
    expect(name.body.errors.name).toEqual(['Enter a name']);
    await admin.patch(`/api/v1/users/${user.id}`).send({ profession: null }).expect(200);
  });

  it('refuses a null body and a body that is not an object on PATCH', async () => {
    for (const body of ['null', '[]', '"text"', '7']) {
      const response = await setup.leadAgent
        .patch(`/api/v1/cohorts/${cohortId}`)
        .set('content-type', 'application/json')
        .send(body)
        .expect(400);
      expect(response.body.errors.body).toBeDefined();
    }
  });

  it('accepts only RFC 3339 date-times with an offset', async () => {
    const sessionId = (await createCohort(setup)).sessions[0].id;
    for (const startsAt of ['2031-W43-2T18:00:00Z', '2031-296T18:00:00Z', '2031-10-21T18:00:00']) {
      const response = await setup.leadAgent
        .patch(`/api/v1/sessions/${sessionId}`)
        .send({ startsAt, endsAt: '2031-10-21T20:00:00Z' })
        .expect(400);
      expect(Object.keys(response.body.errors)).toEqual(['startsAt']);
    }
    const audit = await admin.get('/api/v1/audit-events?from=2031-W43-2').expect(400);
    expect(audit.body.errors.from).toBeDefined();
  });

  it('refuses loose types: a capacity of true or "7", a headcount of "" or false', async () => {
    for (const capacity of [true, '7', 7.5, '']) {
      const response = await setup.leadAgent
        .patch(`/api/v1/cohorts/${cohortId}`)
        .send({ capacity })
        .expect(400);
      expect(response.body.errors.capacity).toEqual(['Capacity is from 1 to 500 places']);
    }
    for (const headcount of ['', false, '12']) {
      const response = await admin
        .put(`/api/v1/areas/${setup.areaId}/workforce-baselines`)
        .send([{ profession: 'social_worker', headcount }])
        .expect(400);
      expect(response.body.errors['[0].headcount']).toBeDefined();
    }
  });

  it('refuses empty or blank titles and venues, and text on several lines where one is expected', async () => {
    const cohort = `/api/v1/cohorts/${cohortId}`;
    expect(
      (await setup.leadAgent.patch(cohort).send({ title: '   ' }).expect(400)).body.errors.title,
    ).toEqual(['Enter a title']);
    expect((await setup.leadAgent.patch(cohort).send({ venue: '' }).expect(400)).body.errors.venue).toEqual([
      'Enter a venue, or leave it out',
    ]);
    await setup.leadAgent.patch(cohort).send({ title: 'Two\r\nlines' }).expect(400);
    const session = await setup.leadAgent
      .post(`${cohort}/sessions`)
      .send({ sessions: [{ startsAt: '2031-10-21T18:00:00Z', endsAt: '2031-10-21T20:00:00Z', title: ' ' }] })
      .expect(400);
    expect(session.body.errors['sessions.0.title']).toEqual(['Enter a title']);
  });

  it('refuses right-to-left override characters in names', async () => {
    const response = await admin
      .post('/api/v1/users')
      .send({ email: 'spoof@example.org', name: 'Sam \u202eetaP', roles: ['trainee'] })
      .expect(400);
    expect(response.body.errors.name[0]).toMatch(/U\+202E/);
  });

  it('shows a control character in a form beside its field, keeping what was typed', async () => {
    const page = await admin.get('/admin/users/new').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await admin
      .post('/admin/users')
      .type('form')
      .send({ _csrf: csrf, email: 'form@example.org', name: 'Sam\u0007 Patel', roles: 'trainee' })
      .expect(303);
    const again = await admin.get('/admin/users/new').expect(200);
    expect(again.text).toContain('must not contain the control character U+0007');
    expect(again.text).toContain('form@example.org');
  });
});
