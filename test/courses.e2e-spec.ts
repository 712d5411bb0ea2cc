import TestAgent from 'supertest/lib/agent';
import { TestApp } from './support/test-app';

describe('Courses', () => {
  let t: TestApp;
  let admin: TestAgent;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.signedIn(await t.newUser(['admin']));
  });

  afterAll(async () => {
    await t.close();
  });

  it('lists the three courses with their seeded rules', async () => {
    const trainee = await t.signedIn(await t.newUser(['trainee']));
    const response = await trainee.get('/api/v1/courses').expect(200);
    expect(response.body.map((course: { courseCode: string }) => course.courseCode)).toEqual([
      'foundation',
      'supervision',
      'facilitator',
    ]);
    const [foundation, supervision, facilitator] = response.body;
    expect(foundation.rules).toMatchObject({
      sessions: 10,
      attendance: { minimumPercent: 90 },
      minAccreditedFacilitators: 2,
      prerequisites: [],
    });
    expect(supervision.rules).toMatchObject({
      sessions: 4,
      attendance: { minimumPercent: 100 },
      prerequisites: ['foundation'],
    });
    expect(facilitator.rules).toMatchObject({
      sessions: 5,
      accreditationYears: 3,
      prerequisites: ['foundation'],
    });
  });

  it('makes a new version when an admin changes the rules, keeping the old one', async () => {
    const [foundation] = (await admin.get('/api/v1/courses').expect(200)).body;
    const rules = { ...foundation.rules, attendance: { ...foundation.rules.attendance, minimumPercent: 80 } };
    const created = await admin
      .post('/api/v1/courses/foundation/versions')
      .send({ title: 'Foundation (revised)', rules })
      .expect(201);
    expect(created.body).toMatchObject({ courseCode: 'foundation', version: 2, isCurrent: true });
    const versions = await admin.get('/api/v1/courses/foundation/versions').expect(200);
    expect(
      versions.body.map((v: { version: number; isCurrent: boolean }) => [v.version, v.isCurrent]),
    ).toEqual([
      [2, true],
      [1, false],
    ]);
    const bad = await admin
      .post('/api/v1/courses/foundation/versions')
      .send({
        title: 'Broken',
        rules: { ...rules, attendance: { ...rules.attendance, minimumPercent: 120 } },
      })
      .expect(400);
    expect(bad.body.errors).toEqual({
      'rules.attendance.minimumPercent': ['Enter a percentage from 0 to 100'],
    });
    await admin.post('/api/v1/courses/juggling/versions').send({ title: 'x', rules }).expect(404);
  });

  it('records an accreditation held before, refusing with 400 an expiry not after the grant', async () => {
    const facilitator = await t.newUser(['facilitator']);
    const recorded = await admin
      .post(`/api/v1/users/${facilitator.id}/accreditations`)
      .send({ courseCode: 'foundation', grantedOn: '2025-01-10', expiresOn: '2028-01-10' })
      .expect(201);
    expect(recorded.body).toMatchObject({
      userId: facilitator.id,
      courseCode: 'foundation',
      expiresOn: '2028-01-10',
    });
    for (const expiresOn of ['2025-01-10', '2024-01-10']) {
      const refused = await admin
        .post(`/api/v1/users/${facilitator.id}/accreditations`)
        .send({ courseCode: 'foundation', grantedOn: '2025-01-10', expiresOn })
        .expect(400);
      expect(refused.body.errors).toEqual({ expiresOn: ['The expiry date must be after the date granted'] });
    }
    await admin
      .post(`/api/v1/users/${facilitator.id}/accreditations`)
      .send({ courseCode: 'foundation', grantedOn: '10/01/2025', expiresOn: '2028-01-10' })
      .expect(400);
    const list = await admin.get(`/api/v1/users/${facilitator.id}/accreditations`).expect(200);
    expect(list.body).toHaveLength(1);
  });
});
