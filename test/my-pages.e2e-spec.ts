import TestAgent from 'supertest/lib/agent';
import { describeSessionTime } from 'src/cohorts/schedule';
import { cohortSetup, CohortSetup, createCohort } from './support/cohort-factory';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';

type Cohort = Awaited<ReturnType<typeof createCohort>>;

describe('Facilitator and trainee pages', () => {
  let t: TestApp;
  let hostA: CohortSetup;
  let hostB: CohortSetup;
  let facilitatorA: TestUser;
  let facilitatorAgentA: TestAgent;
  let facilitatorAgentB: TestAgent;
  let pastA: Cohort;
  let pastB: Cohort;
  let upcomingA: Cohort;
  let group: TestUser[];
  let groupEnrolments: string[];

  const enrol = async (setup: CohortSetup, cohortId: string, trainee: TestUser): Promise<string> => {
    const response = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohortId}/enrolments`)
      .send({ traineeId: trainee.id })
      .expect(201);
    return response.body.id as string;
  };

  beforeAll(async () => {
    t = await TestApp.start();
    hostA = await cohortSetup(t);
    hostB = await cohortSetup(t);
    facilitatorA = hostA.facilitators[0];
    // Three weekly sessions, all in the past, so their registers are open.
    pastA = await createCohort(hostA, { daysFromNow: -20, count: 3, facilitatorIds: [facilitatorA.id] });
    pastB = await createCohort(hostB, {
      daysFromNow: -20,
      count: 3,
      facilitatorIds: [hostB.facilitators[0].id],
    });
    upcomingA = await createCohort(hostA, { daysFromNow: 10, count: 3, facilitatorIds: [facilitatorA.id] });
    group = await Promise.all([1, 2, 3].map(() => t.newUser(['trainee'])));
    groupEnrolments = [];
    for (const trainee of group) groupEnrolments.push(await enrol(hostA, pastA.id, trainee));
    await enrol(hostB, pastB.id, await t.newUser(['trainee']));
    facilitatorAgentA = await t.signedIn(facilitatorA);
    facilitatorAgentB = await t.signedIn(hostB.facilitators[0]);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('a facilitator', () => {
    it('lists only the cohorts they facilitate, with links to the cohort, its register and its progress', async () => {
      const page = await facilitatorAgentA.get('/my/cohorts').expect(200);
      expect(page.text).toContain(`href="/cohorts/${pastA.id}"`);
      expect(page.text).toContain(`href="/cohorts/${pastA.id}/progress"`);
      // The most recent session whose register has opened.
      expect(page.text).toContain(`href="/sessions/${pastA.sessions[2].id}/register"`);
      // For a cohort still to start: the next session's register.
      expect(page.text).toContain(`href="/sessions/${upcomingA.sessions[0].id}/register"`);
      expect(page.text).not.toContain(pastB.id);
      const trainee = await t.signedIn(group[0]);
      await trainee.get('/my/cohorts').expect(403);
    });

    it('records the register for the whole group in one post, and the progress grid counts it', async () => {
      const session = pastA.sessions[0];
      const path = `/sessions/${session.id}/register`;
      const page = await facilitatorAgentA.get(path).expect(200);
      for (const trainee of group) expect(page.text).toContain(trainee.name);
      for (const id of groupEnrolments) {
        expect(page.text).toContain(`name="status[${id}]" type="radio" value="present"`);
        expect(page.text).toContain(`name="madeUp[${id}]"`);
      }
      const csrf = await csrfTokenFrom(facilitatorAgentA, path);
      const [present, late, excused] = groupEnrolments;
      await facilitatorAgentA
        .post(path)
        .type('form')
        .send({
          _csrf: csrf,
          [`status[${present}]`]: 'present',
          [`status[${late}]`]: 'late',
          [`status[${excused}]`]: 'excused',
          [`madeUp[${excused}]`]: 'yes',
        })
        .expect(303)
        .expect('location', path);

      const saved = await facilitatorAgentA.get(path).expect(200);
      expect(saved.text).toContain(
        'The register for Session 1 has been saved: 1 present, 1 late, 1 excused.',
      );
      expect(saved.text).toContain(`name="status[${late}]" type="radio" value="late" checked`);
      expect(saved.text).toMatch(
        new RegExp(`name="madeUp\\[${excused}\\]" type="checkbox" value="yes" checked`),
      );

      const marks = await facilitatorAgentA.get(`/api/v1/sessions/${session.id}/attendance`).expect(200);
      const byEnrolment = new Map(
        (marks.body as Array<{ enrolmentId: string; status: string; madeUp: boolean }>).map((row) => [
          row.enrolmentId,
          row,
        ]),
      );
      expect(byEnrolment.get(present)).toMatchObject({ status: 'present', madeUp: false });
      expect(byEnrolment.get(late)).toMatchObject({ status: 'late', madeUp: false });
      expect(byEnrolment.get(excused)).toMatchObject({ status: 'excused', madeUp: true });

      const grid = await facilitatorAgentA.get(`/cohorts/${pastA.id}/progress`).expect(200);
      expect(grid.text).toContain('Attendance');
      expect(grid.text).toContain('Eligible');
      // Present and late count for Foundation; an excused absence does not, even made up.
      expect(grid.text.match(/attendance: 1 of 3 sessions, 33% &lt; 90%/g)).toHaveLength(2);
      expect(grid.text).toContain('attendance: 0 of 3 sessions, 0% &lt; 90%');
      expect(grid.text).toContain('govuk-tag--grey">Not met');
    });

    it('keeps what was chosen and names the trainee when a mark is refused, storing nothing', async () => {
      const session = pastA.sessions[1];
      const path = `/sessions/${session.id}/register`;
      const csrf = await csrfTokenFrom(facilitatorAgentA, path);
      await facilitatorAgentA
        .post(path)
        .type('form')
        .send({
          _csrf: csrf,
          [`status[${groupEnrolments[0]}]`]: 'present',
          [`status[${groupEnrolments[1]}]`]: 'present',
          [`madeUp[${groupEnrolments[1]}]`]: 'yes',
        })
        .expect(303)
        .expect('location', path);
      const page = await facilitatorAgentA.get(path).expect(200);
      expect(page.text).toContain('There is a problem');
      expect(page.text).toContain(`href="#mark-${groupEnrolments[1]}"`);
      expect(page.text).toContain(`${group[1].name}: tick made up only for an excused absence`);
      expect(page.text).toContain(
        `name="status[${groupEnrolments[0]}]" type="radio" value="present" checked`,
      );
      const marks = await facilitatorAgentA.get(`/api/v1/sessions/${session.id}/attendance`).expect(200);
      expect((marks.body as Array<{ status: string | null }>).every((row) => row.status === null)).toBe(true);

      const empty = await csrfTokenFrom(facilitatorAgentA, path);
      await facilitatorAgentA.post(path).type('form').send({ _csrf: empty }).expect(303);
      expect((await facilitatorAgentA.get(path).expect(200)).text).toContain(
        'Choose present, late, absent or excused for at least one trainee',
      );
    });

    it('shows the refusal when the register is not open yet', async () => {
      const trainee = await t.newUser(['trainee']);
      const enrolmentId = await enrol(hostA, upcomingA.id, trainee);
      const path = `/sessions/${upcomingA.sessions[0].id}/register`;
      const page = await facilitatorAgentA.get(path).expect(200);
      expect(page.text).toContain('The register opens an hour before the session starts, at ');
      const csrf = await csrfTokenFrom(facilitatorAgentA, path);
      await facilitatorAgentA
        .post(path)
        .type('form')
        .send({ _csrf: csrf, [`status[${enrolmentId}]`]: 'present' })
        .expect(303)
        .expect('location', path);
      const refused = await facilitatorAgentA.get(path).expect(200);
      expect(refused.text).toContain('There is a problem');
      expect(refused.text).toContain(
        '<li><a href="#register">The register opens an hour before the session starts</a></li>',
      );
      expect(refused.text).toContain(`name="status[${enrolmentId}]" type="radio" value="present" checked`);
    });

    it("gets 403 on another cohort's register page, register post and progress page", async () => {
      const path = `/sessions/${pastB.sessions[0].id}/register`;
      const forbidden = await facilitatorAgentA.get(path).expect(403);
      expect(forbidden.text).toContain('You cannot do this');
      const csrf = await csrfTokenFrom(facilitatorAgentA, '/my/cohorts');
      const enrolments = await hostB.leadAgent.get(`/api/v1/cohorts/${pastB.id}/enrolments`).expect(200);
      const enrolmentId = (enrolments.body as Array<{ id: string }>)[0].id;
      await facilitatorAgentA
        .post(path)
        .type('form')
        .send({ _csrf: csrf, [`status[${enrolmentId}]`]: 'absent' })
        .expect(403);
      await facilitatorAgentA.get(`/cohorts/${pastB.id}/progress`).expect(403);
      const marks = await facilitatorAgentB
        .get(`/api/v1/sessions/${pastB.sessions[0].id}/attendance`)
        .expect(200);
      expect(marks.body).toEqual([expect.objectContaining({ enrolmentId, status: null })]);

      // The other way round, and a facilitator of the same organisation not assigned to the cohort.
      await facilitatorAgentB.get(`/sessions/${pastA.sessions[0].id}/register`).expect(403);
      await facilitatorAgentB.get(`/cohorts/${pastA.id}/progress`).expect(403);
      const unassigned = await t.signedIn(hostA.facilitators[1]);
      await unassigned.get(`/sessions/${pastA.sessions[0].id}/register`).expect(403);
      // The cohort's training lead may.
      await hostA.leadAgent.get(`/sessions/${pastA.sessions[0].id}/register`).expect(200);
      await hostA.leadAgent.get(`/cohorts/${pastA.id}/progress`).expect(200);
    });
  });

  describe('a trainee', () => {
    let trainee: TestUser;
    let agent: TestAgent;
    let enrolmentId: string;
    let open: Cohort;

    beforeAll(async () => {
      trainee = await t.newUser(['trainee']);
      agent = await t.signedIn(trainee);
      enrolmentId = await enrol(hostA, upcomingA.id, trainee);
      open = await createCohort(hostA, {
        daysFromNow: 40,
        facilitatorIds: hostA.facilitators.map((f) => f.id),
      });
      await hostA.leadAgent.patch(`/api/v1/cohorts/${open.id}`).send({ status: 'open' }).expect(200);
    });

    it('sees their enrolment and upcoming sessions in London time', async () => {
      const page = await agent.get('/my/courses').expect(200);
      expect(page.text).toContain(`href="/cohorts/${upcomingA.id}"`);
      expect(page.text).toContain('Enrolled');
      expect(page.text).toContain(`href="/my/enrolments/${enrolmentId}/progress"`);
      expect(page.text).toContain(`href="/my/enrolments/${enrolmentId}/withdraw"`);
      for (const session of upcomingA.sessions) {
        expect(page.text).toContain(
          describeSessionTime(new Date(session.startsAt), new Date(session.endsAt)),
        );
      }
      // An open cohort they have no place on is offered, but its sessions are not among theirs.
      expect(page.text).toContain(`action="/my/cohorts/${open.id}/request"`);
      expect(page.text).not.toContain(
        describeSessionTime(new Date(open.sessions[0].startsAt), new Date(open.sessions[0].endsAt)),
      );
    });

    it('asks for a place on an open cohort, and cannot ask twice', async () => {
      const before = await agent.get('/my/courses').expect(200);
      expect(before.text).toContain(`action="/my/cohorts/${open.id}/request"`);
      const csrf = await csrfTokenFrom(agent, '/my/courses');
      await agent
        .post(`/my/cohorts/${open.id}/request`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(303)
        .expect('location', '/my/courses');
      const after = await agent.get('/my/courses').expect(200);
      expect(after.text).toContain('You have asked for a place.');
      expect(after.text).toContain('Place requested');
      expect(after.text).not.toContain(`action="/my/cohorts/${open.id}/request"`);
      const rows = await t.dataSource.query(
        'SELECT status FROM enrolments WHERE cohort_id = $1 AND trainee_id = $2',
        [open.id, trainee.id],
      );
      expect(rows).toEqual([{ status: 'requested' }]);

      await agent
        .post(`/my/cohorts/${open.id}/request`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(303)
        .expect('location', `/my/courses#cohort-${open.id}`);
      const refused = await agent.get('/my/courses').expect(200);
      expect(refused.text).toContain('There is a problem');
      expect(refused.text).toContain('already has a place, a request or a waiting-list position');
    });

    it('sees their progress, and gets 403 on another trainee’s', async () => {
      const page = await agent.get(`/my/enrolments/${enrolmentId}/progress`).expect(200);
      expect(page.text).toContain('Your progress');
      expect(page.text).toContain('Attendance');
      expect(page.text).toContain('attendance: 0 of 3 sessions, 0% &lt; 90%');
      expect(page.text).toContain('Not yet eligible');
      await agent.get(`/my/enrolments/${groupEnrolments[0]}/progress`).expect(403);
      const facilitator = await t.signedIn(hostA.facilitators[1]);
      await facilitator.get(`/my/courses`).expect(403);
    });

    it('withdraws after confirming, and cannot withdraw someone else', async () => {
      const requested = (
        await t.dataSource.query('SELECT id FROM enrolments WHERE cohort_id = $1 AND trainee_id = $2', [
          open.id,
          trainee.id,
        ])
      )[0].id as string;
      const confirm = await agent.get(`/my/enrolments/${requested}/withdraw`).expect(200);
      expect(confirm.text).toContain('Yes, withdraw');
      const csrf = await csrfTokenFrom(agent, `/my/enrolments/${requested}/withdraw`);
      await agent
        .post(`/my/enrolments/${groupEnrolments[0]}/withdraw`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(403);
      await agent.get(`/my/enrolments/${groupEnrolments[0]}/withdraw`).expect(404);
      await agent
        .post(`/my/enrolments/${requested}/withdraw`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(303)
        .expect('location', '/my/courses');
      const rows = await t.dataSource.query(
        'SELECT status FROM enrolments WHERE id = ANY($1) ORDER BY status',
        [[requested, groupEnrolments[0]]],
      );
      expect(rows).toEqual([{ status: 'enrolled' }, { status: 'withdrawn' }]);
      const page = await agent.get('/my/courses').expect(200);
      expect(page.text).toContain('You have withdrawn.');
      expect(page.text).toContain(`action="/my/cohorts/${open.id}/request"`);
    });

    it('shows a calendar address that serves text/calendar, and a reset that retires it', async () => {
      const page = await agent.get('/my/calendar').expect(200);
      expect(page.text).toContain('Subscribe from web');
      expect(page.text).toContain('From URL');
      const url = page.text.match(/value="(http:\/\/localhost:3000\/calendar\/[A-Za-z0-9_-]+\.ics)"/)?.[1];
      expect(url).toBeDefined();
      const feedPath = new URL(url!).pathname;
      const feed = await t.agent().get(feedPath).expect(200);
      expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
      expect(feed.text).toContain('BEGIN:VCALENDAR');
      expect(feed.text).toContain(`session-${upcomingA.sessions[0].id}@`);

      const csrf = await csrfTokenFrom(agent, '/my/calendar');
      await agent
        .post('/my/calendar/reset')
        .type('form')
        .send({ _csrf: csrf })
        .expect(303)
        .expect('location', '/my/calendar');
      const reset = await agent.get('/my/calendar').expect(200);
      expect(reset.text).toContain('Your calendar has a new address.');
      const newUrl = reset.text.match(
        /value="(http:\/\/localhost:3000\/calendar\/[A-Za-z0-9_-]+\.ics)"/,
      )?.[1];
      expect(newUrl).toBeDefined();
      expect(newUrl).not.toBe(url);
      await t.agent().get(feedPath).expect(404);
      await t.agent().get(new URL(newUrl!).pathname).expect(200);
    });
  });
});
