import ICAL from 'ical.js';
import { Queue } from 'bullmq';
import { getQueueToken } from '@nestjs/bullmq';
import { QUEUES } from 'src/common/queues';
import { RemindersService } from 'src/cohorts/reminders.service';
import { cohortSetup, CohortSetup, createCohort } from './support/cohort-factory';
import { TestApp } from './support/test-app';

describe('Attendance, progress, calendars and reminders', () => {
  let t: TestApp;
  let setup: CohortSetup;

  beforeAll(async () => {
    t = await TestApp.start({ REMINDER_LEAD_HOURS: '48' });
    setup = await cohortSetup(t);
  });

  afterAll(async () => {
    await t.close();
  });

  async function pastCohortWithTrainees(daysAgo: number, facilitatorIndex = 0) {
    const cohort = await createCohort(setup, {
      daysFromNow: -daysAgo,
      count: 3,
      facilitatorIds: [setup.facilitators[facilitatorIndex].id],
    });
    const trainees = [await t.newUser(['trainee']), await t.newUser(['trainee'])];
    const enrolments = [];
    for (const trainee of trainees) {
      enrolments.push(
        (
          await setup.leadAgent
            .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
            .send({ traineeId: trainee.id })
            .expect(201)
        ).body,
      );
    }
    return { cohort, trainees, enrolments };
  }

  it('lets the cohort’s facilitator record a register and reports attendance in progress', async () => {
    const { cohort, trainees, enrolments } = await pastCohortWithTrainees(40);
    const facilitator = await t.signedIn(setup.facilitators[0]);
    const [first, second] = cohort.sessions;
    await facilitator
      .put(`/api/v1/sessions/${first.id}/attendance`)
      .send([
        { enrolmentId: enrolments[0].id, status: 'present' },
        { enrolmentId: enrolments[1].id, status: 'absent' },
      ])
      .expect(200);
    const register = await facilitator
      .put(`/api/v1/sessions/${second.id}/attendance`)
      .send([
        { enrolmentId: enrolments[0].id, status: 'late' },
        { enrolmentId: enrolments[1].id, status: 'excused', madeUp: true },
      ])
      .expect(200);
    expect(register.body.map((row: { status: string }) => row.status).sort()).toEqual(['excused', 'late']);

    const progress = await facilitator.get(`/api/v1/cohorts/${cohort.id}/progress`).expect(200);
    const byTrainee = new Map(progress.body.map((row: { traineeId: string }) => [row.traineeId, row]));
    expect(byTrainee.get(trainees[0].id)).toMatchObject({
      eligible: false,
      requirements: [
        { key: 'attendance', met: false, detail: 'attendance: 2 of 3 sessions, 67% < 90%' },
        {
          key: 'logbook:session_reflections',
          met: false,
          detail: 'session reflections: 0 of 2 attended sessions accepted',
        },
        { key: 'logbook:practice_contacts', met: false, detail: 'practice contacts: 0 of 6 accepted' },
        { key: 'competencies', met: false, detail: 'competencies: 0 of 22 signed off as met' },
      ],
    });
    const own = await (
      await t.signedIn(trainees[1])
    )
      .get(`/api/v1/enrolments/${enrolments[1].id}/progress`)
      .expect(200);
    expect(own.body.requirements[0].detail).toBe('attendance: 0 of 3 sessions, 0% < 90%');

    const audit = await t.dataSource.query(
      `SELECT details FROM audit_events WHERE action = 'attendance.recorded' AND subject_id = $1`,
      [first.id],
    );
    expect(audit[0].details.changes).toEqual([
      { enrolmentId: enrolments[0].id, from: null, to: 'present', madeUp: false },
      { enrolmentId: enrolments[1].id, from: null, to: 'absent', madeUp: false },
    ]);
  });

  it('refuses a facilitator of cohort A on cohort B’s register and progress', async () => {
    const a = await pastCohortWithTrainees(60, 0);
    const b = await pastCohortWithTrainees(80, 1);
    const facilitatorOfA = await t.signedIn(setup.facilitators[0]);
    await facilitatorOfA.get(`/api/v1/cohorts/${a.cohort.id}/progress`).expect(200);
    await facilitatorOfA
      .put(`/api/v1/sessions/${b.cohort.sessions[0].id}/attendance`)
      .send([{ enrolmentId: b.enrolments[0].id, status: 'present' }])
      .expect(403);
    await facilitatorOfA.get(`/api/v1/sessions/${b.cohort.sessions[0].id}/attendance`).expect(403);
    await facilitatorOfA.get(`/api/v1/cohorts/${b.cohort.id}/progress`).expect(403);
    await facilitatorOfA.get(`/api/v1/enrolments/${b.enrolments[0].id}/progress`).expect(403);
  });

  it('refuses trainees on registers and on each other’s progress', async () => {
    const { cohort, trainees, enrolments } = await pastCohortWithTrainees(100);
    const trainee = await t.signedIn(trainees[0]);
    await trainee
      .put(`/api/v1/sessions/${cohort.sessions[0].id}/attendance`)
      .send([{ enrolmentId: enrolments[0].id, status: 'present' }])
      .expect(403);
    await trainee.get(`/api/v1/enrolments/${enrolments[1].id}/progress`).expect(403);
    await trainee.get(`/api/v1/cohorts/${cohort.id}/progress`).expect(403);
  });

  it('refuses a register with an unknown status or someone not on the cohort, and before the session', async () => {
    const { cohort, enrolments } = await pastCohortWithTrainees(120);
    const facilitator = await t.signedIn(setup.facilitators[0]);
    const bad = await facilitator
      .put(`/api/v1/sessions/${cohort.sessions[0].id}/attendance`)
      .send([{ enrolmentId: enrolments[0].id, status: 'asleep' }])
      .expect(400);
    expect(bad.body.errors).toEqual({ '[0].status': ['Choose present, late, absent or excused'] });
    await facilitator
      .put(`/api/v1/sessions/${cohort.sessions[0].id}/attendance`)
      .send([{ enrolmentId: '7b0c8a8e-2f7c-4d7e-9d1a-1d2b3c4d5e6f', status: 'present' }])
      .expect(422);
    const future = await createCohort(setup, {
      daysFromNow: 700,
      facilitatorIds: [setup.facilitators[0].id],
    });
    const early = await facilitator
      .put(`/api/v1/sessions/${future.sessions[0].id}/attendance`)
      .send([])
      .expect(422);
    expect(early.body.message).toBe('The register opens an hour before the session starts');
  });

  it('serves a cohort calendar that a real iCalendar parser reads, with stable UIDs, time zone and rising SEQUENCE', async () => {
    const cohort = await createCohort(setup, { daysFromNow: 800, count: 2 });
    const before = await setup.leadAgent
      .get(`/api/v1/cohorts/${cohort.id}/calendar.ics`)
      .expect(200)
      .expect('content-type', /text\/calendar/);
    const parsed = new ICAL.Component(ICAL.parse(before.text));
    expect(parsed.getFirstPropertyValue('version')).toBe('2.0');
    expect(parsed.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe('Europe/London');
    const events = parsed.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
    expect(events).toHaveLength(2);
    expect(events[0].uid).toBe(`session-${cohort.sessions[0].id}@localhost`);
    expect(parsed.getFirstSubcomponent('vevent')?.getFirstProperty('dtstart')?.getParameter('tzid')).toBe(
      'Europe/London',
    );
    ICAL.TimezoneService.register(parsed.getFirstSubcomponent('vtimezone')!);
    expect(events[0].startDate.toJSDate().toISOString()).toBe(
      new Date(cohort.sessions[0].startsAt).toISOString(),
    );
    expect(events[0].sequence).toBe(0);

    await setup.leadAgent
      .patch(`/api/v1/sessions/${cohort.sessions[0].id}`)
      .send({ startsAt: '2029-09-04T19:00:00+01:00', endsAt: '2029-09-04T21:00:00+01:00' })
      .expect(200);
    await setup.leadAgent
      .patch(`/api/v1/sessions/${cohort.sessions[1].id}`)
      .send({ status: 'cancelled' })
      .expect(200);
    const after = new ICAL.Component(
      ICAL.parse((await setup.leadAgent.get(`/api/v1/cohorts/${cohort.id}/calendar.ics`).expect(200)).text),
    );
    const byUid = (id: string) =>
      after
        .getAllSubcomponents('vevent')
        .find((vevent) => vevent.getFirstPropertyValue('uid') === `session-${id}@localhost`)!;
    const [moved, cancelled] = [byUid(cohort.sessions[0].id), byUid(cohort.sessions[1].id)];
    expect(moved.getFirstPropertyValue('uid')).toBe(`session-${cohort.sessions[0].id}@localhost`);
    expect(moved.getFirstPropertyValue('sequence')).toBe(1);
    expect(new ICAL.Event(moved).startDate.toString()).toBe('2029-09-04T19:00:00');
    expect(cancelled.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancelled.getFirstPropertyValue('sequence')).toBe(1);
  });

  it('serves a personal feed by secret address that needs no sign-in, and a reset address replaces it', async () => {
    const { cohort, trainees } = await pastCohortWithTrainees(5);
    const trainee = await t.signedIn(trainees[0]);
    const { url } = (await trainee.get('/api/v1/me/calendar').expect(200)).body;
    const path = new URL(url).pathname;
    const feed = await t
      .agent()
      .get(path)
      .expect(200)
      .expect('content-type', /text\/calendar/);
    const uids = new ICAL.Component(ICAL.parse(feed.text))
      .getAllSubcomponents('vevent')
      .map((e) => e.getFirstPropertyValue('uid'));
    expect(uids).toEqual(cohort.sessions.map((s) => `session-${s.id}@localhost`));
    const reset = (await trainee.post('/api/v1/me/calendar/reset').send({}).expect(201)).body.url;
    expect(reset).not.toBe(url);
    await t.agent().get(path).expect(404);
    await t.agent().get('/calendar/not-a-token.ics').expect(404);
  });

  describe('reminders', () => {
    const queue = () => t.app.get<Queue>(getQueueToken(QUEUES.reminders));

    it('sends one reminder for a session within the lead time, never twice', async () => {
      const cohort = await createCohort(setup, { daysFromNow: 1, count: 1, facilitatorIds: [] });
      const trainee = await t.newUser(['trainee'], { email: 'remind.me@example.org' });
      await setup.leadAgent
        .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
        .send({ traineeId: trainee.id })
        .expect(201);
      await t.app.get(RemindersService).sweep();
      const deadline = Date.now() + 10_000;
      const reminders = () =>
        t.smtp.messages.filter(
          (m) => m.to.includes('remind.me@example.org') && m.subject.startsWith('Reminder:'),
        );
      while (reminders().length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(reminders()).toHaveLength(1);
      expect(reminders()[0].text).toContain('(UK time)');
      await t.app.get(RemindersService).send({ sessionId: cohort.sessions[0].id, sequence: 0 });
      await t.app.get(RemindersService).sweep();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(reminders()).toHaveLength(1);
    });

    it('moves the reminder with the session and drops it when the session is cancelled', async () => {
      const cohort = await createCohort(setup, { daysFromNow: 900, count: 1 });
      const [session] = cohort.sessions;
      const first = await queue().getJob(RemindersService.jobId({ id: session.id, sequence: 0 }));
      expect(first?.delay).toBeGreaterThan(800 * 24 * 3_600_000);
      await setup.leadAgent
        .patch(`/api/v1/sessions/${session.id}`)
        .send({ startsAt: '2030-01-08T10:00:00Z', endsAt: '2030-01-08T12:00:00Z' })
        .expect(200);
      expect(await queue().getJob(RemindersService.jobId({ id: session.id, sequence: 0 }))).toBeUndefined();
      const moved = await queue().getJob(RemindersService.jobId({ id: session.id, sequence: 1 }));
      expect(moved).toBeDefined();
      // BullMQ stamps the job a millisecond or so after the delay was computed from the clock.
      const due = moved!.timestamp + moved!.opts.delay!;
      expect(Math.abs(due - new Date('2030-01-06T10:00:00Z').getTime())).toBeLessThan(1_000);
      await setup.leadAgent.patch(`/api/v1/sessions/${session.id}`).send({ status: 'cancelled' }).expect(200);
      expect(await queue().getJob(RemindersService.jobId({ id: session.id, sequence: 1 }))).toBeUndefined();
    });
  });
});
