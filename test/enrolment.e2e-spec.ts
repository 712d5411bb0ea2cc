import { cohortSetup, CohortSetup, createCohort } from './support/cohort-factory';
import { linkIn } from './support/smtp-capture';
import { TestApp, TestUser } from './support/test-app';

describe('Enrolment and the waiting list', () => {
  let t: TestApp;
  let setup: CohortSetup;

  beforeAll(async () => {
    t = await TestApp.start();
    setup = await cohortSetup(t);
  });

  afterAll(async () => {
    await t.close();
  });

  const trainees = (count: number, options: { invited?: boolean } = {}) =>
    Promise.all(Array.from({ length: count }, () => t.newUser(['trainee'], options)));

  it('enrols up to capacity, then waitlists with positions, and e-mails each outcome', async () => {
    const cohort = await createCohort(setup, { capacity: 2, daysFromNow: 10 });
    const [a, b, c] = await trainees(3);
    const first = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: a.id })
      .expect(201);
    expect(first.body).toMatchObject({ status: 'enrolled', waitlistPosition: null });
    await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: b.id })
      .expect(201);
    const third = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: c.id })
      .expect(201);
    expect(third.body).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect((await t.smtp.waitFor(a.email)).subject).toMatch(/^Your place on .+ is confirmed$/);
    expect((await t.smtp.waitFor(c.email)).text).toContain('number 1 on its waiting list');
    await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: a.id })
      .expect(409);
  });

  it('promotes the first waiting person in the same transaction as a withdrawal, and e-mails them', async () => {
    const cohort = await createCohort(setup, { capacity: 1, daysFromNow: 11 });
    const [a, b, c] = await trainees(3);
    const enrolled = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: a.id })
      .expect(201);
    await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: b.id })
      .expect(201);
    await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: c.id })
      .expect(201);
    await setup.leadAgent.delete(`/api/v1/cohorts/${cohort.id}/enrolments/${enrolled.body.id}`).expect(200);
    const list = await setup.leadAgent.get(`/api/v1/cohorts/${cohort.id}/enrolments`).expect(200);
    expect(
      list.body.map((e: { traineeId: string; status: string; waitlistPosition: number | null }) => [
        e.traineeId,
        e.status,
        e.waitlistPosition,
      ]),
    ).toEqual([
      [b.id, 'enrolled', null],
      [c.id, 'waitlisted', 1],
      [a.id, 'withdrawn', null],
    ]);
    const deadline = Date.now() + 10_000;
    while (
      !t.smtp.messages.some((m) => m.to.includes(b.email) && /is now yours/.test(m.subject)) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(t.smtp.messages.some((m) => m.to.includes(b.email) && /is now yours/.test(m.subject))).toBe(true);
    const audit = await t.dataSource.query(
      `SELECT action FROM audit_events WHERE details->>'cohortId' = $1 AND action LIKE 'enrolment.%' ORDER BY id`,
      [cohort.id],
    );
    expect(audit.map((row: { action: string }) => row.action)).toEqual([
      'enrolment.enrolled',
      'enrolment.waitlisted',
      'enrolment.waitlisted',
      'enrolment.withdrawn',
      'enrolment.promoted',
    ]);
  });

  it('tells a trainee withdrawn by a lead, and not one who withdrew themselves', async () => {
    const cohort = await createCohort(setup, { capacity: 5, daysFromNow: 12 });
    const [byLead, bySelf] = await trainees(2);
    const placed = [];
    for (const trainee of [byLead, bySelf]) {
      const enrolment = await setup.leadAgent
        .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
        .send({ traineeId: trainee.id })
        .expect(201);
      placed.push(enrolment.body.id as string);
      await t.smtp.waitFor(trainee.email);
    }
    await setup.leadAgent.delete(`/api/v1/cohorts/${cohort.id}/enrolments/${placed[0]}`).expect(200);
    const self = await t.signedIn(bySelf);
    await self.delete(`/api/v1/cohorts/${cohort.id}/enrolments/${placed[1]}`).expect(200);
    const withdrawn = async (email: string) => {
      const deadline = Date.now() + 3_000;
      while (Date.now() < deadline) {
        const found = t.smtp.messages.find((m) => m.to.includes(email) && /withdrawn/.test(m.subject));
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return undefined;
    };
    const told = await withdrawn(byLead.email);
    expect(told?.text).toContain(`${setup.lead.name} has withdrawn your place on`);
    expect(await withdrawn(bySelf.email)).toBeUndefined();
  });

  it('enrols someone invited but not signed in yet, with one e-mail: the place and the link to set up', async () => {
    const cohort = await createCohort(setup, { capacity: 1, daysFromNow: 14 });
    const [invited, waiting] = await trainees(2, { invited: true });
    for (const person of [invited, waiting]) {
      await t.smtp.waitFor(person.email);
      await setup.leadAgent
        .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
        .send({ traineeId: person.id })
        .expect(201);
    }
    const mailsTo = async (email: string, count: number) => {
      while (t.smtp.messages.filter((m) => m.to.includes(email)).length < count)
        await new Promise((resolve) => setTimeout(resolve, 50));
      return t.smtp.messages.filter((m) => m.to.includes(email));
    };
    const [, placed] = await mailsTo(invited.email, 2);
    expect(placed.text).toContain('You have a place on');
    const [, listed] = await mailsTo(waiting.email, 2);
    expect(listed.text).toContain('number 1 on its waiting list');
    const link = linkIn(placed, 'http://localhost:3000/accept-invitation?token=');
    expect(linkIn(listed, 'http://localhost:3000/accept-invitation?token=')).not.toBe(link);
    await t
      .agent()
      .post('/api/v1/auth/accept-invitation')
      .send({ token: new URL(link).searchParams.get('token'), password: 'a long enough password' })
      .expect(200);
  });

  it('does not enrol a disabled account', async () => {
    const cohort = await createCohort(setup, { daysFromNow: 16 });
    const [person] = await trainees(1, { invited: true });
    const admin = await t.signedIn(await t.newUser(['admin']));
    await admin.patch(`/api/v1/users/${person.id}`).send({ status: 'disabled' }).expect(200);
    const refused = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: person.id })
      .expect(422);
    expect(refused.body.message).toMatch(/not disabled/);
  });

  it('finds exactly 16 enrolled and 24 waiting, positions 1..24, after 40 parallel enrolments of people just invited', async () => {
    const cohort = await createCohort(setup, { capacity: 16, daysFromNow: 12 });
    const people = await trainees(40, { invited: true });
    const responses = await Promise.all(
      people.map((person) =>
        setup.leadAgent.post(`/api/v1/cohorts/${cohort.id}/enrolments`).send({ traineeId: person.id }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(40).fill(201));
    const rows: Array<{ status: string; waitlist_position: number | null }> = await t.dataSource.query(
      'SELECT status, waitlist_position FROM enrolments WHERE cohort_id = $1',
      [cohort.id],
    );
    expect(rows.filter((row) => row.status === 'enrolled')).toHaveLength(16);
    const positions = rows
      .filter((row) => row.status === 'waitlisted')
      .map((row) => row.waitlist_position)
      .sort((x, y) => x! - y!);
    expect(positions).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it('promotes each waiting person once when enrolled people withdraw in parallel', async () => {
    const cohort = await createCohort(setup, { capacity: 5, daysFromNow: 13 });
    const people = await trainees(10);
    const ids: string[] = [];
    for (const person of people) {
      ids.push(
        (
          await setup.leadAgent
            .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
            .send({ traineeId: person.id })
            .expect(201)
        ).body.id,
      );
    }
    await Promise.all(
      ids
        .slice(0, 4)
        .map((id) => setup.leadAgent.delete(`/api/v1/cohorts/${cohort.id}/enrolments/${id}`).expect(200)),
    );
    const rows: Array<{ trainee_id: string; status: string; waitlist_position: number | null }> =
      await t.dataSource.query(
        'SELECT trainee_id, status, waitlist_position FROM enrolments WHERE cohort_id = $1',
        [cohort.id],
      );
    const status = (person: TestUser) => rows.find((row) => row.trainee_id === person.id)!;
    expect(rows.filter((row) => row.status === 'enrolled')).toHaveLength(5);
    expect(people.slice(5, 9).map((person) => status(person).status)).toEqual([
      'enrolled',
      'enrolled',
      'enrolled',
      'enrolled',
    ]);
    expect(status(people[9])).toMatchObject({ status: 'waitlisted', waitlist_position: 1 });
    const promotions = await t.dataSource.query(
      `SELECT subject_id FROM audit_events WHERE action = 'enrolment.promoted' AND details->>'cohortId' = $1`,
      [cohort.id],
    );
    expect(new Set(promotions.map((row: { subject_id: string }) => row.subject_id)).size).toBe(4);
    expect(promotions).toHaveLength(4);
  });

  it('refuses Supervision without a valid Foundation certificate with 422 naming what is missing, and accepts a recorded completion', async () => {
    const cohort = await createCohort(setup, { courseCode: 'supervision', daysFromNow: 14 });
    const [trainee] = await trainees(1);
    const refused = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: trainee.id })
      .expect(422);
    expect(refused.body.message).toBe('Prerequisite not met: needs a valid Foundation certificate');
    expect(refused.body.details.unmet).toEqual([
      { key: 'prerequisite:foundation', met: false, detail: 'needs a valid Foundation certificate' },
    ]);
    await setup.leadAgent
      .post(`/api/v1/users/${trainee.id}/completions`)
      .send({ courseCode: 'foundation', completedOn: '2025-06-30' })
      .expect(404);
    const admin = await t.signedIn(await t.newUser(['admin']));
    await admin
      .post(`/api/v1/users/${trainee.id}/completions`)
      .send({ courseCode: 'foundation', completedOn: '2025-06-30' })
      .expect(201);
    await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: trainee.id })
      .expect(201);
  });

  it('lets a trainee ask for a place on an open cohort, which a lead approves', async () => {
    const cohort = await createCohort(setup, {
      daysFromNow: 15,
      facilitatorIds: setup.facilitators.map((f) => f.id),
    });
    const [trainee] = await trainees(1);
    const agent = await t.signedIn(trainee);
    await agent.post(`/api/v1/cohorts/${cohort.id}/enrolments`).send({ traineeId: trainee.id }).expect(422);
    await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'open' }).expect(200);
    const [other] = await trainees(1);
    await agent.post(`/api/v1/cohorts/${cohort.id}/enrolments`).send({ traineeId: other.id }).expect(403);
    const request = await agent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: trainee.id })
      .expect(201);
    expect(request.body.status).toBe('requested');
    const mine = await agent.get(`/api/v1/cohorts/${cohort.id}/enrolments`).expect(200);
    expect(mine.body.map((e: { id: string }) => e.id)).toEqual([request.body.id]);
    await agent.post(`/api/v1/enrolments/${request.body.id}/approve`).send({}).expect(403);
    const approved = await setup.leadAgent
      .post(`/api/v1/enrolments/${request.body.id}/approve`)
      .send({})
      .expect(200);
    expect(approved.body.status).toBe('enrolled');
    await setup.leadAgent.post(`/api/v1/enrolments/${request.body.id}/approve`).send({}).expect(409);
  });

  it('refuses to enrol someone who is not a trainee', async () => {
    const cohort = await createCohort(setup, { daysFromNow: 16 });
    const response = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: setup.facilitators[0].id })
      .expect(422);
    expect(response.body.message).toBe(
      'Every trainee must hold the trainee role, with an account that is not disabled',
    );
  });
});
