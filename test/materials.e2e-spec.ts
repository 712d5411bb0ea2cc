import { TestApp } from './support/test-app';

describe('Materials catalogue', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t.close();
  });

  const handbook = {
    code: 'rph',
    title: 'Reflective Practice Handbook',
    kind: 'handbook',
    courseCodes: ['foundation'],
    audience: ['trainee'],
  };

  it('lets an admin add a material, audited, and refuses the same code twice, also at once', async () => {
    const admin = await t.signedIn(await t.newUser(['admin']));
    const answers = await Promise.all([
      admin.post('/api/v1/materials').send(handbook),
      admin.post('/api/v1/materials').send(handbook),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const created = answers.find((answer) => answer.status === 201)!.body;
    expect(created).toMatchObject({ ...handbook, code: 'RPH' });
    const refused = answers.find((answer) => answer.status === 409)!.body;
    expect(refused).toMatchObject({ code: 'MATERIAL_CODE_TAKEN', field: 'code' });
    const audit = await admin.get(`/api/v1/audit-events?action=material.created&subjectId=${created.id}`);
    expect(audit.body.events).toHaveLength(1);

    const lead = await t.signedIn(
      await t.newUser(['training_lead'], { organisationId: (await t.newOrganisation()).id }),
    );
    const list = await lead.get('/api/v1/materials').expect(200);
    expect(list.body.map((material: { code: string }) => material.code)).toContain('RPH');
  });

  it('says what is wrong with each field, and lets nobody but an admin add one', async () => {
    const admin = await t.signedIn(await t.newUser(['admin']));
    const refused = await admin
      .post('/api/v1/materials')
      .send({ code: 'x', title: '', kind: 'poster', courseCodes: [], audience: ['parent', 'parent'] })
      .expect(400);
    expect(Object.keys(refused.body.errors).sort()).toEqual(
      ['audience', 'code', 'courseCodes', 'kind', 'title'].sort(),
    );
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM materials WHERE title = ''`,
    );
    expect(count).toBe(0);
    const lead = await t.signedIn(await t.newUser(['training_lead']));
    await lead
      .post('/api/v1/materials')
      .send({ ...handbook, code: 'FTM' })
      .expect(403);
    const trainee = await t.signedIn(await t.newUser(['trainee']));
    await trainee.get('/api/v1/materials').expect(403);
  });
});
