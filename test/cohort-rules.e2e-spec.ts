import TestAgent from 'supertest/lib/agent';
import { cohortSetup, CohortSetup, createCohort } from './support/cohort-factory';
import { TestApp } from './support/test-app';

const DAY = 24 * 60 * 60 * 1000;

describe('Cohort rules that hold whatever the request', () => {
  let t: TestApp;
  let setup: CohortSetup;
  let admin: TestAgent;
  let daysAhead = 100;

  beforeAll(async () => {
    t = await TestApp.start();
    setup = await cohortSetup(t);
    admin = await t.signedIn(await t.newUser(['admin']));
  });

  afterAll(async () => {
    await t?.close();
  });

  /** A cohort on days of its own, so that only the clashes a test makes can happen. */
  const ownDays = (options: Parameters<typeof createCohort>[1] = {}) =>
    createCohort(setup, { daysFromNow: (daysAhead += 10), count: 1, ...options });

  async function enrolTrainees(cohortId: string, count: number) {
    const enrolments: Array<{ id: string; status: string }> = [];
    for (let i = 0; i < count; i++) {
      const trainee = await t.newUser(['trainee']);
      const response = await setup.leadAgent
        .post(`/api/v1/cohorts/${cohortId}/enrolments`)
        .send({ traineeId: trainee.id })
        .expect(201);
      enrolments.push(response.body);
    }
    return enrolments;
  }

  /** A trainee asks for a place on an open cohort; the request is what a lead approves or declines. */
  async function askForPlace(cohortId: string): Promise<{ id: string }> {
    const asker = await t.newUser(['trainee']);
    const request = await (
      await t.signedIn(asker)
    )
      .post(`/api/v1/cohorts/${cohortId}/enrolments`)
      .send({ traineeId: asker.id })
      .expect(201);
    return request.body;
  }

  describe('clashes', () => {
    it('refuses moving a cohort into a venue already booked at the same time, naming it', async () => {
      const booked = await ownDays({ venue: 'Merton Civic Centre, Room 4' });
      const other = await createCohort(setup, { daysFromNow: daysAhead, count: 1, venue: 'Somewhere else' });
      expect(other.sessions[0].startsAt).toBe(booked.sessions[0].startsAt);
      const response = await setup.leadAgent
        .patch(`/api/v1/cohorts/${other.id}`)
        .send({ venue: 'merton civic centre, room 4 ' })
        .expect(409);
      expect(response.body.message).toMatch(/^Merton Civic Centre, Room 4 is already booked for /);
    });

    it('refuses turning an online cohort in person when its venue is booked then', async () => {
      await ownDays({ venue: 'Sutton Library' });
      const online = await createCohort(setup, { daysFromNow: daysAhead, count: 1, venue: 'Elsewhere' });
      await setup.leadAgent
        .patch(`/api/v1/cohorts/${online.id}`)
        .send({ deliveryMode: 'online', venue: 'Sutton Library' })
        .expect(200);
      const refused = await setup.leadAgent
        .patch(`/api/v1/cohorts/${online.id}`)
        .send({ deliveryMode: 'in_person' })
        .expect(409);
      expect(refused.body.message).toMatch(/^Sutton Library is already booked/);
    });

    it('lets only one of two parallel changes into the same venue and time through', async () => {
      const first = await ownDays({ venue: 'Room A' });
      const second = await createCohort(setup, { daysFromNow: daysAhead, count: 1, venue: 'Room B' });
      const results = await Promise.all([
        setup.leadAgent.patch(`/api/v1/cohorts/${first.id}`).send({ venue: 'Room C' }),
        setup.leadAgent.patch(`/api/v1/cohorts/${second.id}`).send({ venue: 'Room C' }),
      ]);
      expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
    });

    it('lets only one of two parallel changes to one cohort through when together they would clash', async () => {
      for (let round = 0; round < 3; round++) {
        await ownDays({ venue: `Booked hall ${round}` });
        const cohort = await createCohort(setup, { daysFromNow: daysAhead, count: 1, venue: 'Elsewhere' });
        await setup.leadAgent
          .patch(`/api/v1/cohorts/${cohort.id}`)
          .send({ deliveryMode: 'online' })
          .expect(200);
        const results = await Promise.all([
          setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ venue: `Booked hall ${round}` }),
          setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ deliveryMode: 'in_person' }),
        ]);
        expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
      }
    });

    it('treats venues that differ only in spaces and capitals as the same room', async () => {
      await ownDays({ venue: 'Civic Centre Room 4' });
      const other = await createCohort(setup, { daysFromNow: daysAhead, count: 1, venue: 'Library' });
      await setup.leadAgent
        .patch(`/api/v1/cohorts/${other.id}`)
        .send({ venue: 'civic  centre   ROOM 4' })
        .expect(409);
    });

    it('refuses a cohort whose own sessions overlap at its venue or with its facilitators', async () => {
      const startsAt = new Date(Date.now() + (daysAhead += 10) * DAY).toISOString();
      const endsAt = new Date(Date.now() + daysAhead * DAY + 2 * 60 * 60 * 1000).toISOString();
      const cohort = {
        courseCode: 'foundation',
        title: 'Twice at once',
        organisationId: setup.organisationId,
        areaId: setup.areaId,
        capacity: 10,
        sessions: [
          { startsAt, endsAt },
          { startsAt, endsAt },
        ],
      };
      const venue = await setup.leadAgent
        .post('/api/v1/cohorts')
        .send({ ...cohort, deliveryMode: 'in_person', venue: 'Hall 7' })
        .expect(409);
      expect(venue.body.message).toMatch(/^Hall 7 is already booked for Twice at once at that time/);
      const facilitator = await setup.leadAgent
        .post('/api/v1/cohorts')
        .send({ ...cohort, deliveryMode: 'online', facilitatorIds: [setup.facilitators[0].id] })
        .expect(409);
      expect(facilitator.body).toMatchObject({ code: 'FACILITATOR_CLASH', field: 'facilitatorIds' });
      expect(facilitator.body.details.clash).toMatchObject({ cohortTitle: 'Twice at once' });
    });
  });

  describe('session times', () => {
    const base = () => ({
      courseCode: 'foundation',
      title: 'Out of range',
      organisationId: setup.organisationId,
      areaId: setup.areaId,
      capacity: 10,
      deliveryMode: 'online',
    });

    it.each([
      ['a schedule reaching year 10007', { firstStartsAt: '9999-01-05T18:00:00Z' }, 'schedule.firstStartsAt'],
      ['52 sessions 8 weeks apart', { count: 52, intervalWeeks: 8 }, 'schedule.count'],
    ])('refuses %s with 400 naming the field', async (_name, change, field) => {
      const schedule = {
        firstStartsAt: new Date(Date.now() + 30 * DAY).toISOString(),
        durationMinutes: 120,
        count: 10,
        intervalWeeks: 1,
        ...change,
      };
      const response = await setup.leadAgent
        .post('/api/v1/cohorts')
        .send({ ...base(), schedule })
        .expect(400);
      expect(Object.keys(response.body.errors)).toContain(field);
    });

    it.each([
      ['in 1900', '1900-01-02T18:00:00Z', '1900-01-02T20:00:00Z', 'sessions.0.startsAt'],
      ['lasting 67 years', '2027-01-02T18:00:00Z', '2094-01-02T18:00:00Z', 'sessions.0.endsAt'],
      ['lasting 13 hours', '2027-01-02T08:00:00Z', '2027-01-02T21:00:00Z', 'sessions.0.endsAt'],
    ])('refuses a session %s with 400 naming the field', async (_name, startsAt, endsAt, field) => {
      const response = await setup.leadAgent
        .post('/api/v1/cohorts')
        .send({ ...base(), sessions: [{ startsAt, endsAt }] })
        .expect(400);
      expect(Object.keys(response.body.errors)).toEqual([field]);
    });

    it('refuses moving a session to 1900, or stretching it past 12 hours', async () => {
      const cohort = await ownDays();
      const session = `/api/v1/sessions/${cohort.sessions[0].id}`;
      await setup.leadAgent
        .patch(session)
        .send({ startsAt: '1900-01-02T18:00:00Z', endsAt: '1900-01-02T20:00:00Z' })
        .expect(400);
      const stretched = new Date(new Date(cohort.sessions[0].startsAt).getTime() + 13 * 60 * 60 * 1000);
      const response = await setup.leadAgent
        .patch(session)
        .send({ endsAt: stretched.toISOString() })
        .expect(400);
      expect(response.body.errors).toEqual({ endsAt: ['A session lasts at most 12 hours'] });
    });
  });

  it('checks capacity against the people enrolled when the status changes in the same request', async () => {
    const cohort = await ownDays({ facilitatorIds: setup.facilitators.map((f) => f.id) });
    await enrolTrainees(cohort.id, 5);
    await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'open' }).expect(200);
    const response = await setup.leadAgent
      .patch(`/api/v1/cohorts/${cohort.id}`)
      .send({ capacity: 2, status: 'in_progress' })
      .expect(422);
    expect(response.body.message).toMatch(/Capacity cannot be below the 5 people already enrolled/);
    const stored = await setup.leadAgent.get(`/api/v1/cohorts/${cohort.id}`).expect(200);
    expect(stored.body).toMatchObject({ status: 'open', capacity: 16 });
    await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'in_progress' }).expect(200);
    const audit = await admin.get(`/api/v1/audit-events?subjectId=${cohort.id}`).expect(200);
    const actions = (audit.body.events as Array<{ action: string }>).map((event) => event.action);
    expect(actions.filter((action) => action === 'cohort.updated')).toEqual([]);
  });

  it('promotes nobody once a cohort is cancelled, even by a larger capacity sent at the same moment', async () => {
    for (let round = 0; round < 3; round++) {
      const cohort = await ownDays({ capacity: 1 });
      await enrolTrainees(cohort.id, 3);
      const [cancel, enlarge] = await Promise.all([
        setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'cancelled' }),
        setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ capacity: 3 }),
      ]);
      expect(cancel.status).toBe(200);
      expect([200, 422]).toContain(enlarge.status);
      // Events in the order they were written: the cancellation must be the last thing that happened to the cohort.
      const events: Array<{ action: string }> = await t.dataSource.query(
        `SELECT action FROM audit_events WHERE subject_id = $1 OR details->>'cohortId' = $1 ORDER BY id`,
        [cohort.id],
      );
      expect(events.map((event) => event.action).at(-1)).toBe('cohort.status_changed');
    }
  });

  describe('a cancelled cohort', () => {
    it('promotes nobody when someone withdraws, and approves no request', async () => {
      const cohort = await ownDays({ capacity: 1, facilitatorIds: setup.facilitators.map((f) => f.id) });
      await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'open' }).expect(200);
      const [placed, waiting] = await enrolTrainees(cohort.id, 2);
      expect(waiting.status).toBe('waitlisted');
      const request = await askForPlace(cohort.id);
      await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'cancelled' }).expect(200);

      await setup.leadAgent.delete(`/api/v1/cohorts/${cohort.id}/enrolments/${placed.id}`).expect(200);
      const list = await setup.leadAgent.get(`/api/v1/cohorts/${cohort.id}/enrolments`).expect(200);
      const statuses = Object.fromEntries(
        (list.body as Array<{ id: string; status: string }>).map((e) => [e.id, e.status]),
      );
      expect(statuses[waiting.id]).toBe('waitlisted');
      const refused = await setup.leadAgent
        .post(`/api/v1/enrolments/${request.id}/approve`)
        .send({})
        .expect(422);
      expect(refused.body.message).toMatch(/cancelled and takes no enrolments/);
    });
  });

  it.each([
    ['an approval', (id: string) => setup.leadAgent.post(`/api/v1/enrolments/${id}/approve`).send({})],
    [
      'a withdrawal',
      (id: string, cohortId: string) =>
        setup.leadAgent.delete(`/api/v1/cohorts/${cohortId}/enrolments/${id}`),
    ],
  ])('lets exactly one of a decline and %s of one request, sent together, succeed', async (_name, race) => {
    const cohort = await ownDays({ facilitatorIds: setup.facilitators.map((f) => f.id) });
    await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'open' }).expect(200);
    for (let round = 0; round < 6; round++) {
      const request = await askForPlace(cohort.id);
      const results = await Promise.all([
        setup.leadAgent.post(`/api/v1/enrolments/${request.id}/decline`).send({}),
        race(request.id, cohort.id),
      ]);
      expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
    }
  });

  describe('calendar address', () => {
    it('is made once when ten first calls race, and stops serving when the account is disabled', async () => {
      const trainee = await t.newUser(['trainee']);
      const agent = await t.signedIn(trainee);
      const addresses = await Promise.all(
        Array.from({ length: 10 }, () => agent.get('/api/v1/me/calendar').expect(200)),
      );
      const urls = new Set(addresses.map((response) => response.body.url as string));
      expect(urls.size).toBe(1);
      const path = new URL([...urls][0]).pathname;
      await t.agent().get(path).expect(200);
      await admin.patch(`/api/v1/users/${trainee.id}`).send({ status: 'disabled' }).expect(200);
      await t.agent().get(path).expect(404);
    });
  });

  describe('a completed cohort', () => {
    it('keeps its registers from facilitators; a lead corrects them, audited as a correction', async () => {
      const cohort = await createCohort(setup, {
        daysFromNow: -60,
        count: 1,
        facilitatorIds: setup.facilitators.map((f) => f.id),
      });
      const [enrolment] = await enrolTrainees(cohort.id, 1);
      for (const status of ['open', 'in_progress', 'completed'])
        await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status }).expect(200);
      const facilitator = await t.signedIn(setup.facilitators[0]);
      const register = `/api/v1/sessions/${cohort.sessions[0].id}/attendance`;
      await facilitator
        .put(register)
        .send([{ enrolmentId: enrolment.id, status: 'present' }])
        .expect(403);
      const page = await facilitator.get(`/sessions/${cohort.sessions[0].id}/register`).expect(200);
      expect(page.text).toContain('This cohort is completed');
      expect(page.text).not.toContain('Save the register');
      await setup.leadAgent
        .put(register)
        .send([{ enrolmentId: enrolment.id, status: 'present' }])
        .expect(200);
      const audit = await admin
        .get(`/api/v1/audit-events?action=attendance.corrected&subjectId=${cohort.sessions[0].id}`)
        .expect(200);
      expect(audit.body.total).toBe(1);
    });
  });

  it('shows a trainee browsing an open cohort the facilitators’ names, never their e-mail addresses', async () => {
    const cohort = await ownDays({ facilitatorIds: setup.facilitators.map((f) => f.id) });
    await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'open' }).expect(200);
    const trainee = await t.signedIn(await t.newUser(['trainee']));
    const json = await trainee.get(`/api/v1/cohorts/${cohort.id}`).expect(200);
    const page = await trainee.get(`/cohorts/${cohort.id}`).expect(200);
    for (const facilitator of setup.facilitators) {
      expect(JSON.stringify(json.body)).toContain(facilitator.name);
      expect(JSON.stringify(json.body)).not.toContain(facilitator.email);
      expect(page.text).not.toContain(facilitator.email);
    }
    const lead = await setup.leadAgent.get(`/api/v1/cohorts/${cohort.id}`).expect(200);
    expect(JSON.stringify(lead.body)).toContain(setup.facilitators[0].email);
  });
});
