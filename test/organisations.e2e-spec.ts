import TestAgent from 'supertest/lib/agent';
import { csrfTokenFrom, TestApp } from './support/test-app';

describe('Areas, organisations and workforce baselines', () => {
  let t: TestApp;
  let admin: TestAgent;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.signedIn(await t.newUser(['admin']));
  });

  afterAll(async () => {
    await t.close();
  });

  it('creates an area with its ONS code, normalised, and refuses the same code twice with 409', async () => {
    const created = await admin
      .post('/api/v1/areas')
      .send({ code: ' e09000029 ', name: 'Sutton', region: 'London' })
      .expect(201);
    expect(created.body).toMatchObject({ code: 'E09000029', name: 'Sutton', region: 'London' });
    const duplicate = await admin
      .post('/api/v1/areas')
      .send({ code: 'E09000029', name: 'Sutton again', region: 'London' })
      .expect(409);
    expect(duplicate.body.message).toBe('An area with ONS code E09000029 already exists');
    const list = await admin.get('/api/v1/areas').expect(200);
    expect(list.body.map((area: { code: string }) => area.code)).toContain('E09000029');
  });

  it('creates organisations in an area, refusing an unknown area and a duplicate name', async () => {
    const area = await admin
      .post('/api/v1/areas')
      .send({ code: 'E09000030', name: 'Tower Hamlets', region: 'London' })
      .expect(201);
    const organisation = await admin
      .post('/api/v1/organisations')
      .send({ name: 'Tower Hamlets Borough Council', kind: 'local_authority', areaId: area.body.id })
      .expect(201);
    expect(organisation.body).toMatchObject({
      name: 'Tower Hamlets Borough Council',
      area: { code: 'E09000030' },
    });
    await admin
      .post('/api/v1/organisations')
      .send({ name: 'Tower Hamlets Borough Council', kind: 'local_authority', areaId: area.body.id })
      .expect(409);
    await admin
      .post('/api/v1/organisations')
      .send({ name: 'Nowhere Trust', kind: 'nhs_trust', areaId: '7b0c8a8e-2f7c-4d7e-9d1a-1d2b3c4d5e6f' })
      .expect(404);
    const bad = await admin
      .post('/api/v1/organisations')
      .send({ name: 'X', kind: 'pub', areaId: area.body.id })
      .expect(400);
    expect(Object.keys(bad.body.errors)).toEqual(['kind']);
    const renamed = await admin
      .patch(`/api/v1/organisations/${organisation.body.id}`)
      .send({ name: 'LB Tower Hamlets' })
      .expect(200);
    expect(renamed.body.name).toBe('LB Tower Hamlets');
  });

  it('replaces the workforce baseline as a whole and records it in the audit log', async () => {
    const area = await admin
      .post('/api/v1/areas')
      .send({ code: 'E09000024', name: 'Merton', region: 'London' })
      .expect(201);
    const first = await admin
      .put(`/api/v1/areas/${area.body.id}/workforce-baselines`)
      .send([
        { profession: 'health_visitor', headcount: 40 },
        { profession: 'social_worker', headcount: 120 },
      ])
      .expect(200);
    expect(
      first.body.map((row: { profession: string; headcount: number }) => [row.profession, row.headcount]),
    ).toEqual([
      ['health_visitor', 40],
      ['social_worker', 120],
    ]);
    const second = await admin
      .put(`/api/v1/areas/${area.body.id}/workforce-baselines`)
      .send([{ profession: 'social_worker', headcount: 130 }])
      .expect(200);
    expect(second.body).toEqual([expect.objectContaining({ profession: 'social_worker', headcount: 130 })]);
    const audit = await admin
      .get(`/api/v1/audit-events?action=area.workforce_baselines_replaced&subjectId=${area.body.id}`)
      .expect(200);
    expect(audit.body.total).toBe(2);
  });

  it('refuses bad baseline rows with a message per row and keeps what was saved', async () => {
    const area = await admin
      .post('/api/v1/areas')
      .send({ code: 'E09000014', name: 'Haringey', region: 'London' })
      .expect(201);
    await admin
      .put(`/api/v1/areas/${area.body.id}/workforce-baselines`)
      .send([{ profession: 'midwife', headcount: 12 }])
      .expect(200);
    const bad = await admin
      .put(`/api/v1/areas/${area.body.id}/workforce-baselines`)
      .send([
        { profession: 'wizard', headcount: 3 },
        { profession: 'teacher', headcount: -1 },
      ])
      .expect(400);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['[0].profession', '[1].headcount']);
    await admin
      .put(`/api/v1/areas/${area.body.id}/workforce-baselines`)
      .send({ profession: 'teacher' })
      .expect(400);
    const twice = await admin
      .put(`/api/v1/areas/${area.body.id}/workforce-baselines`)
      .send([
        { profession: 'teacher', headcount: 3 },
        { profession: 'teacher', headcount: 4 },
      ])
      .expect(422);
    expect(twice.body.message).toBe('teacher is listed more than once');
    const kept = await admin.get(`/api/v1/areas/${area.body.id}/workforce-baselines`).expect(200);
    expect(kept.body).toEqual([expect.objectContaining({ profession: 'midwife', headcount: 12 })]);
  });

  describe('admin pages', () => {
    it('adds an area through the form and shows a refused code beside the field with the typed values kept', async () => {
      const csrf = await csrfTokenFrom(admin, '/admin/areas');
      await admin
        .post('/admin/areas')
        .type('form')
        .send({ _csrf: csrf, code: 'Merton', name: 'Merton', region: 'London' })
        .expect(303)
        .expect('location', '/admin/areas');
      const page = await admin.get('/admin/areas').expect(200);
      expect(page.text).toContain('There is a problem');
      expect(page.text).toContain('id="code-error"');
      expect(page.text).toContain('value="Merton"');

      const created = await admin
        .post('/admin/areas')
        .type('form')
        .send({ _csrf: csrf, code: 'E09000021', name: 'Kingston upon Thames', region: 'London' })
        .expect(303);
      const areaPage = await admin.get(created.headers.location).expect(200);
      expect(areaPage.text).toContain('Kingston upon Thames');
      expect(areaPage.text).toContain('Workforce baseline');
    });

    it('saves a baseline from the form and refuses a non-number next to its field', async () => {
      const area = await admin
        .post('/api/v1/areas')
        .send({ code: 'E09000002', name: 'Barking and Dagenham', region: 'London' })
        .expect(201);
      const path = `/admin/areas/${area.body.id}`;
      const csrf = await csrfTokenFrom(admin, path);
      await admin
        .post(`${path}/workforce-baselines`)
        .type('form')
        .send({ _csrf: csrf, headcount_health_visitor: '30', headcount_teacher: 'lots' })
        .expect(303);
      const refused = await admin.get(path).expect(200);
      expect(refused.text).toContain('Teacher: enter a whole number of people, 0 or more');
      expect(refused.text).toContain('value="lots"');
      const nothingSaved = await admin.get(`/api/v1/areas/${area.body.id}/workforce-baselines`).expect(200);
      expect(nothingSaved.body).toEqual([]);

      await admin
        .post(`${path}/workforce-baselines`)
        .type('form')
        .send({ _csrf: csrf, headcount_health_visitor: '30', headcount_teacher: '' })
        .expect(303);
      const saved = await admin.get(`/api/v1/areas/${area.body.id}/workforce-baselines`).expect(200);
      expect(saved.body).toEqual([expect.objectContaining({ profession: 'health_visitor', headcount: 30 })]);
    });

    it('adds an organisation through the form', async () => {
      const area = await admin
        .post('/api/v1/areas')
        .send({ code: 'E09000018', name: 'Hounslow', region: 'London' })
        .expect(201);
      const csrf = await csrfTokenFrom(admin, '/admin/organisations');
      await admin
        .post('/admin/organisations')
        .type('form')
        .send({
          _csrf: csrf,
          name: 'Hounslow Borough Council',
          kind: 'local_authority',
          areaId: area.body.id,
        })
        .expect(303)
        .expect('location', '/admin/organisations');
      const page = await admin.get('/admin/organisations').expect(200);
      expect(page.text).toContain('Hounslow Borough Council');
      expect(page.text).toContain('has been added');
    });
  });
});
