import { cohortSetup, CohortSetup, createCohort } from './support/cohort-factory';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';

describe('Finding a course', () => {
  let t: TestApp;
  let here: CohortSetup;
  let elsewhere: CohortSetup;
  let trainee: TestUser;
  const ids: Record<string, string> = {};

  const open = async (setup: CohortSetup, options: Parameters<typeof createCohort>[1]) => {
    const cohort = await createCohort(setup, options);
    await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'open' }).expect(200);
    return cohort.id;
  };

  beforeAll(async () => {
    t = await TestApp.start();
    here = await cohortSetup(t);
    elsewhere = await cohortSetup(t);
    const deliverers = (setup: CohortSetup) => setup.facilitators.map((f) => f.id);
    ids.soon = await open(here, { daysFromNow: 10, capacity: 3, facilitatorIds: deliverers(here) });
    ids.later = await open(here, { daysFromNow: 40, capacity: 3, facilitatorIds: deliverers(here) });
    ids.full = await open(here, { daysFromNow: 12, capacity: 1, facilitatorIds: deliverers(here) });
    ids.draft = (await createCohort(here, { daysFromNow: 14 })).id;
    ids.away = await open(elsewhere, { daysFromNow: 15, capacity: 3, facilitatorIds: deliverers(elsewhere) });
    const filler = await t.newUser(['trainee']);
    await here.leadAgent
      .post(`/api/v1/cohorts/${ids.full}/enrolments`)
      .send({ traineeId: filler.id })
      .expect(201);
    trainee = await t.newUser(['trainee'], { organisationId: here.organisationId });
  });

  afterAll(async () => {
    await t.close();
  });

  it('lists open cohorts with places left, soonest first, by area and course', async () => {
    const agent = await t.signedIn(trainee);
    const all = await agent.get('/api/v1/cohorts/open').expect(200);
    const listed = all.body.map((c: { id: string }) => c.id);
    expect(listed).toEqual(expect.arrayContaining([ids.soon, ids.later, ids.away]));
    expect(listed).not.toContain(ids.full);
    expect(listed).not.toContain(ids.draft);
    expect(listed.indexOf(ids.soon)).toBeLessThan(listed.indexOf(ids.later));
    const local = await agent.get(`/api/v1/cohorts/open?area=${here.areaId}&course=foundation`).expect(200);
    expect(local.body.map((c: { id: string }) => c.id)).toEqual([ids.soon, ids.later]);
    expect(local.body[0]).toMatchObject({
      courseCode: 'foundation',
      placesLeft: 3,
      area: { id: here.areaId },
    });
    expect((await agent.get('/api/v1/cohorts/open?course=supervision').expect(200)).body).toEqual([]);
    await agent.get('/api/v1/cohorts/open?area=nowhere').expect(400);
    await here.leadAgent.get('/api/v1/cohorts/open').expect(403);
  });

  it('shows the trainee’s own area first on the page, and asks for a place from it', async () => {
    const browser = await t.signedInThroughPage(trainee);
    const page = await browser.get('/find-a-course').expect(200);
    expect(page.text).toContain('2 cohorts with places in');
    expect(page.text).toContain(`/cohorts/${ids.soon}`);
    expect(page.text).not.toContain(`/cohorts/${ids.away}`);
    const everywhere = await browser.get('/find-a-course?area=').expect(200);
    expect(everywhere.text).toContain(`/cohorts/${ids.away}`);
    const token = await csrfTokenFrom(browser, '/find-a-course');
    await browser
      .post(`/my/cohorts/${ids.soon}/request`)
      .type('form')
      .send({ _csrf: token, from: 'find' })
      .expect(303)
      .expect('location', '/my/courses');
    const after = await browser.get('/find-a-course').expect(200);
    expect(after.text).toContain('Place requested');
    // Asking twice goes back to the page, with the reason beside the cohort.
    await browser
      .post(`/my/cohorts/${ids.soon}/request`)
      .type('form')
      .send({ _csrf: token, from: 'find' })
      .expect(303)
      .expect('location', `/find-a-course#cohort-${ids.soon}`);
    const refused = await browser.get('/find-a-course').expect(200);
    expect(refused.text).toContain(`id="cohort-${ids.soon}-error"`);
  });
});
