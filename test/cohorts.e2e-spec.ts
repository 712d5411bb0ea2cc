import { cohortSetup, CohortSetup, createCohort } from './support/cohort-factory';
import { TestApp } from './support/test-app';

describe('Cohorts and sessions', () => {
  let t: TestApp;
  let setup: CohortSetup;

  beforeAll(async () => {
    t = await TestApp.start();
    setup = await cohortSetup(t);
  });

  afterAll(async () => {
    await t.close();
  });

  it('builds a weekly schedule that keeps its London time across the last Sunday of October', async () => {
    const response = await setup.leadAgent
      .post('/api/v1/cohorts')
      .send({
        courseCode: 'foundation',
        title: 'Foundation, autumn evenings',
        organisationId: setup.organisationId,
        areaId: setup.areaId,
        capacity: 16,
        deliveryMode: 'online',
        schedule: {
          firstStartsAt: '2027-10-19T18:00:00+01:00',
          durationMinutes: 120,
          count: 3,
          intervalWeeks: 1,
        },
      })
      .expect(201);
    expect(response.body).toMatchObject({ status: 'draft', courseCode: 'foundation', courseVersion: 1 });
    expect(response.body.sessions.map((s: { startsAt: string }) => s.startsAt)).toEqual([
      '2027-10-19T18:00:00+01:00',
      '2027-10-26T18:00:00+01:00',
      '2027-11-02T18:00:00+00:00',
    ]);
    expect(response.body.sessions.map((s: { title: string }) => s.title)).toEqual([
      'Session 1',
      'Session 2',
      'Session 3',
    ]);
  });

  it('keeps its London time across the last Sunday of March too', async () => {
    const response = await setup.leadAgent
      .post('/api/v1/cohorts')
      .send({
        courseCode: 'foundation',
        title: 'Foundation, spring mornings',
        organisationId: setup.organisationId,
        areaId: setup.areaId,
        capacity: 16,
        deliveryMode: 'online',
        schedule: { firstStartsAt: '2027-03-23T09:30:00Z', durationMinutes: 90, count: 2, intervalWeeks: 1 },
      })
      .expect(201);
    expect(response.body.sessions.map((s: { startsAt: string }) => s.startsAt)).toEqual([
      '2027-03-23T09:30:00+00:00',
      '2027-03-30T09:30:00+01:00',
    ]);
  });

  it('takes sessions one by one and refuses a session that ends before it starts', async () => {
    const base = {
      courseCode: 'foundation',
      title: 'One by one',
      organisationId: setup.organisationId,
      areaId: setup.areaId,
      capacity: 8,
      deliveryMode: 'online',
    };
    const created = await setup.leadAgent
      .post('/api/v1/cohorts')
      .send({
        ...base,
        sessions: [{ startsAt: '2028-01-10T10:00:00Z', endsAt: '2028-01-10T12:00:00Z', title: 'Welcome' }],
      })
      .expect(201);
    expect(created.body.sessions).toEqual([
      expect.objectContaining({ title: 'Welcome', startsAt: '2028-01-10T10:00:00+00:00' }),
    ]);
    const refused = await setup.leadAgent
      .post('/api/v1/cohorts')
      .send({ ...base, sessions: [{ startsAt: '2028-01-10T12:00:00Z', endsAt: '2028-01-10T10:00:00Z' }] })
      .expect(400);
    expect(refused.body.errors['sessions.0.endsAt']).toEqual(['A session must end after it starts']);
    await setup.leadAgent
      .post('/api/v1/cohorts')
      .send({
        ...base,
        schedule: { firstStartsAt: 'next tuesday', durationMinutes: 60, count: 1, intervalWeeks: 1 },
      })
      .expect(400);
  });

  it('refuses a facilitator booked into overlapping sessions with 409 naming the clash', async () => {
    const [facilitator] = setup.facilitators;
    await createCohort(setup, { daysFromNow: 100, facilitatorIds: [facilitator.id] });
    const clash = await setup.leadAgent
      .post('/api/v1/cohorts')
      .send({
        courseCode: 'foundation',
        title: 'Double booked',
        organisationId: setup.organisationId,
        areaId: setup.areaId,
        capacity: 10,
        deliveryMode: 'online',
        sessions: [await firstSessionTimes(t, facilitator.id)],
        facilitatorIds: [facilitator.id],
      })
      .expect(409);
    expect(clash.body.message).toMatch(
      new RegExp(`^${facilitator.name} is already booked for Cohort \\d+ at that time \\(`),
    );
    expect(clash.body).toMatchObject({ code: 'FACILITATOR_CLASH', field: 'facilitatorIds' });
  });

  it('refuses a venue booked twice, and re-checks when a session is moved', async () => {
    const first = await createCohort(setup, { daysFromNow: 200, venue: 'Civic Centre, Room 4' });
    const second = await createCohort(setup, { daysFromNow: 207, count: 1, venue: 'Civic Centre, Room 5' });
    await setup.leadAgent
      .post('/api/v1/cohorts')
      .send({
        courseCode: 'foundation',
        title: 'Same room',
        organisationId: setup.organisationId,
        areaId: setup.areaId,
        capacity: 10,
        deliveryMode: 'in_person',
        venue: ' civic centre, room 4 ',
        sessions: [{ startsAt: first.sessions[0].startsAt, endsAt: first.sessions[0].endsAt }],
      })
      .expect(409);
    const moved = await setup.leadAgent
      .patch(`/api/v1/sessions/${second.sessions[0].id}`)
      .send({
        startsAt: first.sessions[1].startsAt,
        endsAt: first.sessions[1].endsAt,
        venue: 'Civic Centre, Room 4',
      })
      .expect(409);
    expect(moved.body.message).toMatch(/^Civic Centre, Room 4 is already booked for Cohort \d+/);
    const ok = await setup.leadAgent
      .patch(`/api/v1/sessions/${second.sessions[0].id}`)
      .send({ startsAt: '2029-05-01T09:00:00+01:00', endsAt: '2029-05-01T11:00:00+01:00' })
      .expect(200);
    expect(ok.body).toMatchObject({ startsAt: '2029-05-01T09:00:00+01:00', sequence: 1 });
  });

  it('opens a Foundation cohort only with two currently accredited facilitators', async () => {
    const unaccredited = await t.newUser(['facilitator'], { organisationId: setup.organisationId });
    const cohort = await createCohort(setup, {
      daysFromNow: 300,
      facilitatorIds: [setup.facilitators[0].id, unaccredited.id],
    });
    const refused = await setup.leadAgent
      .patch(`/api/v1/cohorts/${cohort.id}`)
      .send({ status: 'open' })
      .expect(422);
    expect(refused.body.message).toBe(
      'A Foundation cohort opens only with at least 2 facilitators holding a current accreditation; it has 1',
    );
    await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/facilitators`)
      .send({ userId: setup.facilitators[1].id, role: 'co' })
      .expect(201);
    const opened = await setup.leadAgent
      .patch(`/api/v1/cohorts/${cohort.id}`)
      .send({ status: 'open' })
      .expect(200);
    expect(opened.body.status).toBe('open');
    const skip = await setup.leadAgent
      .patch(`/api/v1/cohorts/${cohort.id}`)
      .send({ status: 'completed' })
      .expect(422);
    expect(skip.body.message).toBe('An open cohort can become in progress or cancelled, not completed');
    const statuses = await t.dataSource.query(
      `SELECT details FROM audit_events WHERE action = 'cohort.status_changed' AND subject_id = $1`,
      [cohort.id],
    );
    expect(statuses).toEqual([{ details: { from: 'draft', to: 'open' } }]);
  });

  it('lets the lead of another organisation neither see nor change the cohort', async () => {
    const cohort = await createCohort(setup, { daysFromNow: 400 });
    const other = await t.newOrganisation();
    const otherLead = await t.signedIn(await t.newUser(['training_lead'], { organisationId: other.id }));
    await otherLead.get(`/api/v1/cohorts/${cohort.id}`).expect(403);
    await otherLead.patch(`/api/v1/cohorts/${cohort.id}`).send({ title: 'Mine now' }).expect(403);
    const list = await otherLead.get('/api/v1/cohorts').expect(200);
    expect(list.body.map((c: { id: string }) => c.id)).not.toContain(cohort.id);
    await otherLead
      .post('/api/v1/cohorts')
      .send({
        courseCode: 'foundation',
        title: 'x',
        organisationId: setup.organisationId,
        areaId: setup.areaId,
        capacity: 5,
        deliveryMode: 'online',
      })
      .expect(422)
      .expect(({ body }) =>
        expect(body).toMatchObject({ code: 'ORGANISATION_NOT_YOURS', field: 'organisationId' }),
      );
  });

  it('cancels a cohort, its sessions and tells everyone enrolled by e-mail', async () => {
    const cohort = await createCohort(setup, { daysFromNow: 500 });
    const trainee = await t.newUser(['trainee'], { email: 'cancel.me@example.org' });
    const leaver = await t.newUser(['trainee'], { email: 'gone.away@example.org' });
    for (const person of [trainee, leaver]) {
      await setup.leadAgent
        .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
        .send({ traineeId: person.id })
        .expect(201);
      await t.smtp.waitFor(person.email);
    }
    // A leaver's account disabled since is no longer written to.
    const admin = await t.signedIn(await t.newUser(['admin']));
    await admin.patch(`/api/v1/users/${leaver.id}`).send({ status: 'disabled' }).expect(200);
    const cancelled = await setup.leadAgent
      .patch(`/api/v1/cohorts/${cohort.id}`)
      .send({ status: 'cancelled' })
      .expect(200);
    expect(
      cancelled.body.sessions.map((s: { status: string; sequence: number }) => [s.status, s.sequence]),
    ).toEqual([
      ['cancelled', 1],
      ['cancelled', 1],
      ['cancelled', 1],
    ]);
    const deadline = Date.now() + 10_000;
    while (
      !t.smtp.messages.some((m) => m.to.includes('cancel.me@example.org') && /cancelled/.test(m.subject)) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(
      t.smtp.messages.find((m) => m.to.includes('cancel.me@example.org') && /cancelled/.test(m.subject))
        ?.subject,
    ).toBe(`${cancelled.body.title} has been cancelled`);
    // Both would have been written by the one handler, in one transaction: a short wait covers the sending.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.smtp.messages.filter((m) => m.to.includes('gone.away@example.org'))).toHaveLength(1);
  });
});

async function firstSessionTimes(t: TestApp, facilitatorId: string) {
  const [row] = await t.dataSource.query(
    `SELECT s.starts_at, s.ends_at FROM cohort_sessions s JOIN cohort_facilitators f ON f.cohort_id = s.cohort_id
      WHERE f.user_id = $1 ORDER BY s.starts_at LIMIT 1`,
    [facilitatorId],
  );
  const startsAt = new Date(row.starts_at.getTime() + 30 * 60_000);
  return { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString() };
}
