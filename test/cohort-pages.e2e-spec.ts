import TestAgent from 'supertest/lib/agent';
import { cohortSetup, CohortSetup, createCohort } from './support/cohort-factory';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** The text of the element with this id, up to the end of its section: enough to see what sits beside a field. */
function besideField(html: string, id: string): string {
  const start = html.indexOf(`id="${id}-error"`);
  if (start < 0) throw new Error(`No error shown beside ${id}`);
  return html.slice(start, html.indexOf('</p>', start));
}

/** The part of a page between two markers, such as one section of the cohort page. */
function between(html: string, from: string, to: string): string {
  const start = html.indexOf(from);
  if (start < 0) throw new Error(`${from} is not on the page`);
  const end = html.indexOf(to, start);
  return html.slice(start, end < 0 ? undefined : end);
}

describe('Cohort pages for training leads', () => {
  let t: TestApp;
  let setup: CohortSetup;

  beforeAll(async () => {
    t = await TestApp.start();
    setup = await cohortSetup(t);
  });

  afterAll(async () => {
    await t.close();
  });

  /**
   * Posts a form the way a browser does: with the page's CSRF token, as application/x-www-form-urlencoded.
   * Every page form answers with a redirect (post/redirect/get); returns where it leads.
   */
  async function submit(
    agent: TestAgent,
    path: string,
    fields: Record<string, string | string[]>,
    from = path,
  ): Promise<string> {
    const csrf = await csrfTokenFrom(agent, from);
    const response = await agent
      .post(path)
      .type('form')
      .send({ _csrf: csrf, ...fields })
      .expect(303);
    return response.headers.location;
  }

  const cohortFields = (overrides: Record<string, string | string[]> = {}) => ({
    courseCode: 'foundation',
    title: 'Foundation evenings',
    organisationId: setup.organisationId,
    areaId: setup.areaId,
    capacity: '12',
    deliveryMode: 'online',
    venue: '',
    facilitatorIds: '',
    scheduleMode: 'weekly',
    firstDate: '',
    startTime: '',
    durationMinutes: '',
    count: '',
    intervalWeeks: '1',
    sessionLines: '',
    ...overrides,
  });

  it('creates a cohort through the weekly builder, with sessions at the same London time across the clock change', async () => {
    const [lead, co] = setup.facilitators;
    const location = await submit(
      setup.leadAgent,
      '/cohorts',
      cohortFields({
        title: 'Foundation evenings, autumn 2027',
        facilitatorIds: ['', lead.id, co.id],
        firstDate: '2027-10-19',
        startTime: '18:00',
        durationMinutes: '120',
        count: '3',
      }),
      '/cohorts/new',
    );
    expect(location).toMatch(new RegExp(`^/cohorts/${UUID}$`));

    const page = await setup.leadAgent.get(location).expect(200);
    expect(page.text).toContain(
      'Foundation evenings, autumn 2027 has been created as a draft with 3 sessions.',
    );
    expect(page.text).toContain('Tue 19 Oct 2027, 18:00 to 20:00');
    expect(page.text).toContain('Tue 26 Oct 2027, 18:00 to 20:00');
    expect(page.text).toContain('Tue 2 Nov 2027, 18:00 to 20:00');
    expect(page.text).toContain('Foundation, version 1');
    expect(page.text).toContain(`href="/api/v1${location}/calendar.ics"`);
    expect(page.text).toContain(`href="${location}/progress"`);
    const facilitators = between(page.text, 'id="facilitators"', 'id="enrolments"');
    expect(facilitators).toContain(lead.name);
    expect(facilitators).toContain('Lead facilitator');
    expect(facilitators).toContain('Co-facilitator');

    const api = await setup.leadAgent.get(`/api/v1${location}`).expect(200);
    expect(api.body.sessions.map((s: { startsAt: string }) => s.startsAt)).toEqual([
      '2027-10-19T18:00:00+01:00',
      '2027-10-26T18:00:00+01:00',
      '2027-11-02T18:00:00+00:00',
    ]);
    for (const session of api.body.sessions as Array<{ id: string }>) {
      expect(page.text).toContain(`href="/sessions/${session.id}/register"`);
      expect(page.text).toContain(`href="/sessions/${session.id}/edit"`);
    }
  });

  it('takes the course’s usual number of sessions when the number is left blank', async () => {
    const location = await submit(
      setup.leadAgent,
      '/cohorts',
      cohortFields({
        title: 'Foundation mornings, 2029',
        firstDate: '2029-01-09',
        startTime: '9:30',
        durationMinutes: '90',
      }),
      '/cohorts/new',
    );
    const api = await setup.leadAgent.get(`/api/v1${location}`).expect(200);
    expect(api.body.sessions).toHaveLength(10);
    expect(api.body.sessions[0]).toMatchObject({
      startsAt: '2029-01-09T09:30:00+00:00',
      endsAt: '2029-01-09T11:00:00+00:00',
    });
  });

  it('shows a facilitator clash beside the facilitators field and keeps every value typed', async () => {
    const busy = setup.facilitators[1];
    await setup.leadAgent
      .post('/api/v1/cohorts')
      .send({
        courseCode: 'foundation',
        title: 'Clash source',
        organisationId: setup.organisationId,
        areaId: setup.areaId,
        capacity: 10,
        deliveryMode: 'online',
        schedule: {
          firstStartsAt: '2028-05-09T18:00:00+01:00',
          durationMinutes: 120,
          count: 3,
          intervalWeeks: 1,
        },
        facilitatorIds: [busy.id],
      })
      .expect(201);

    const location = await submit(
      setup.leadAgent,
      '/cohorts',
      cohortFields({
        title: 'Clashing cohort',
        deliveryMode: 'in_person',
        venue: 'Hall 9',
        capacity: '14',
        facilitatorIds: ['', busy.id],
        firstDate: '2028-05-16',
        startTime: '18:30',
        durationMinutes: '60',
        count: '2',
      }),
      '/cohorts/new',
    );
    expect(location).toBe('/cohorts/new');

    const page = await setup.leadAgent.get('/cohorts/new').expect(200);
    expect(page.text).toContain('There is a problem');
    expect(page.text).toContain('<a href="#facilitatorIds">');
    expect(besideField(page.text, 'facilitatorIds')).toContain(
      `${busy.name} is already booked for Clash source at that time (Tue 16 May 2028, 18:00 to 20:00)`,
    );
    expect(page.text).toContain('value="Clashing cohort"');
    expect(page.text).toContain('value="Hall 9"');
    expect(page.text).toContain('value="14"');
    expect(page.text).toContain('value="2028-05-16"');
    expect(page.text).toContain('value="18:30"');
    expect(page.text).toContain('value="60"');
    expect(page.text).toContain(`value="${busy.id}" checked`);
    expect(page.text).toContain('value="in_person" checked');
    expect(page.text).toContain('value="foundation" checked');
    expect(page.text).toContain('value="weekly" checked');

    const cohorts = await setup.leadAgent.get('/api/v1/cohorts?q=Clashing').expect(200);
    expect(cohorts.body).toEqual([]);
  });

  it('shows a one-by-one line that cannot be read with its line number, then takes the corrected list', async () => {
    const lines = '2028-07-03 10:00-12:00 Welcome\r\n\r\n2028-07-10 10:00 until noon\r\n';
    const refusedAt = await submit(
      setup.leadAgent,
      '/cohorts',
      cohortFields({ title: 'Listed sessions', scheduleMode: 'list', sessionLines: lines }),
      '/cohorts/new',
    );
    expect(refusedAt).toBe('/cohorts/new');
    const page = await setup.leadAgent.get('/cohorts/new').expect(200);
    expect(besideField(page.text, 'sessionLines')).toContain(
      'Line 3: “2028-07-10 10:00 until noon” is not a session',
    );
    expect(page.text).toContain('<a href="#sessionLines">Line 3:');
    expect(page.text).toContain('2028-07-03 10:00-12:00 Welcome');
    expect(page.text).toContain('value="list" checked');
    expect(page.text).toContain('value="Listed sessions"');

    const location = await submit(
      setup.leadAgent,
      '/cohorts',
      cohortFields({
        title: 'Listed sessions',
        scheduleMode: 'list',
        sessionLines: '2028-07-03 10:00-12:00 Welcome\r\n2028-11-06 13:30-15:00\r\n',
      }),
      '/cohorts/new',
    );
    const cohortPage = await setup.leadAgent.get(location).expect(200);
    expect(cohortPage.text).toContain('Mon 3 Jul 2028, 10:00 to 12:00');
    expect(cohortPage.text).toContain('Welcome');
    expect(cohortPage.text).toContain('Mon 6 Nov 2028, 13:30 to 15:00');
    expect(cohortPage.text).toContain('Session 2');
  });

  it('shows a session time outside the booking window beside the form field that set it', async () => {
    const listed = await submit(
      setup.leadAgent,
      '/cohorts',
      cohortFields({
        title: 'Out of the window',
        scheduleMode: 'list',
        sessionLines: '2028-07-03 10:00-12:00\r\n1900-01-02 10:00-12:00\r\n',
      }),
      '/cohorts/new',
    );
    expect(listed).toBe('/cohorts/new');
    const createPage = await setup.leadAgent.get('/cohorts/new').expect(200);
    expect(besideField(createPage.text, 'sessionLines')).toContain(
      'Session 2: A session can start at most 2 years ago',
    );

    const cohort = await createCohort(setup, { daysFromNow: 160, count: 1 });
    const editPath = `/sessions/${cohort.sessions[0].id}/edit`;
    const moved = { date: '1900-01-02', startTime: '18:00', endTime: '20:00', venue: '', title: 'Session 1' };
    expect(await submit(setup.leadAgent, editPath, moved)).toBe(editPath);
    const editPage = await setup.leadAgent.get(editPath).expect(200);
    expect(besideField(editPage.text, 'date')).toContain('A session can start at most 2 years ago');
    expect(editPage.text).toContain('<a href="#date">');
  });

  it('enrols trainees from the cohort page, and a withdrawal promotes the first on the waiting list', async () => {
    const cohort = await createCohort(setup, { capacity: 1, daysFromNow: 30 });
    const path = `/cohorts/${cohort.id}`;
    const first = await t.newUser(['trainee'], { organisationId: setup.organisationId });
    const second = await t.newUser(['trainee'], { organisationId: setup.organisationId });
    const before = await setup.leadAgent.get(path).expect(200);
    expect(before.text).toContain(`<option value="${first.id}">${first.name} (${first.email})</option>`);

    expect(await submit(setup.leadAgent, `${path}/enrolments`, { traineeId: first.id }, path)).toBe(path);
    expect((await setup.leadAgent.get(path)).text).toContain(`${first.name} has a place on this cohort.`);
    await submit(setup.leadAgent, `${path}/enrolments`, { traineeId: second.id }, path);
    let page = await setup.leadAgent.get(path).expect(200);
    expect(page.text).toContain(`The cohort is full: ${second.name} is number 1 on the waiting list.`);
    expect(between(page.text, 'id="waiting-list"', 'id="requests"')).toMatch(
      new RegExp(`>1</td>\\s*<td class="govuk-table__cell">${second.name}</td>`),
    );
    expect(between(page.text, 'id="enrolments"', 'id="waiting-list"')).toContain(`>${first.name}</td>`);

    // Enrolling someone who already has a place is refused beside the trainee field.
    await submit(setup.leadAgent, `${path}/enrolments`, { traineeId: first.id }, path);
    page = await setup.leadAgent.get(path).expect(200);
    expect(besideField(page.text, 'traineeId')).toContain('already has a place');

    const enrolments = await setup.leadAgent.get(`/api/v1${path}/enrolments`).expect(200);
    const placed = (enrolments.body as Array<{ id: string; traineeId: string }>).find(
      (e) => e.traineeId === first.id,
    )!;
    expect(page.text).toContain(`action="${path}/enrolments/${placed.id}/withdraw"`);
    expect(await submit(setup.leadAgent, `${path}/enrolments/${placed.id}/withdraw`, {}, path)).toBe(path);

    page = await setup.leadAgent.get(path).expect(200);
    expect(page.text).toContain(
      `${first.name} has been withdrawn. ${second.name} from the waiting list now has a place.`,
    );
    expect(between(page.text, 'id="enrolments"', 'id="waiting-list"')).toContain(`>${second.name}</td>`);
    expect(between(page.text, 'id="waiting-list"', 'id="requests"')).toContain('No one is waiting.');
    const after = await setup.leadAgent.get(`/api/v1${path}/enrolments`).expect(200);
    expect(after.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ traineeId: second.id, status: 'enrolled', waitlistPosition: null }),
        expect.objectContaining({ traineeId: first.id, status: 'withdrawn' }),
      ]),
    );
  });

  it('opens a cohort with the status button, and shows why one that is not ready stays a draft', async () => {
    const unready = await createCohort(setup, { daysFromNow: 90 });
    const unreadyPath = `/cohorts/${unready.id}`;
    expect(await submit(setup.leadAgent, `${unreadyPath}/status`, { status: 'open' }, unreadyPath)).toBe(
      unreadyPath,
    );
    const refused = await setup.leadAgent.get(unreadyPath).expect(200);
    expect(besideField(refused.text, 'status')).toContain(
      'A Foundation cohort opens only with at least 2 facilitators holding a current accreditation; it has 0',
    );
    expect(refused.text).toContain('<a href="#status">');

    const ready = await createCohort(setup, {
      daysFromNow: 120,
      facilitatorIds: setup.facilitators.map((f) => f.id),
    });
    const path = `/cohorts/${ready.id}`;
    const draftPage = await setup.leadAgent.get(path).expect(200);
    expect(draftPage.text).toContain('<strong class="govuk-tag govuk-tag--grey">Draft</strong>');
    expect(draftPage.text).toContain('Open for enrolment</button>');
    expect(await submit(setup.leadAgent, `${path}/status`, { status: 'open' }, path)).toBe(path);
    const page = await setup.leadAgent.get(path).expect(200);
    expect(page.text).toContain('The cohort is open: trainees can now ask for a place.');
    expect(page.text).toContain('<strong class="govuk-tag govuk-tag--green">Open</strong>');
    expect(page.text).toContain('Start the cohort</button>');
    expect(page.text).not.toContain('Open for enrolment</button>');
    const api = await setup.leadAgent.get(`/api/v1${path}`).expect(200);
    expect(api.body.status).toBe('open');

    const list = await setup.leadAgent.get('/cohorts?status=open&course=foundation&areaId=&q=').expect(200);
    expect(list.text).toContain(`href="${path}"`);
    expect(list.text).not.toContain(`href="${unreadyPath}"`);
  });

  it('moves a session in London time and cancels another from its change page', async () => {
    const cohort = await createCohort(setup, { daysFromNow: 150, count: 2 });
    const [moving, cancelling] = cohort.sessions;
    const editPath = `/sessions/${moving.id}/edit`;
    const form = await setup.leadAgent.get(editPath).expect(200);
    expect(form.text).toContain('name="date"');

    const moved = {
      date: '2028-11-07',
      startTime: '09:15',
      endTime: '11:45',
      venue: '',
      title: 'Moved session',
    };
    expect(await submit(setup.leadAgent, editPath, { ...moved, endTime: '09:00' })).toBe(editPath);
    const refused = await setup.leadAgent.get(editPath).expect(200);
    expect(besideField(refused.text, 'endTime')).toContain('The session must end after it starts');
    expect(refused.text).toContain('value="2028-11-07"');

    expect(await submit(setup.leadAgent, editPath, moved)).toBe(`/cohorts/${cohort.id}`);
    expect(
      await submit(
        setup.leadAgent,
        `/sessions/${cancelling.id}/cancel`,
        {},
        `/sessions/${cancelling.id}/edit`,
      ),
    ).toBe(`/cohorts/${cohort.id}`);

    const page = await setup.leadAgent.get(`/cohorts/${cohort.id}`).expect(200);
    expect(page.text).toContain('Tue 7 Nov 2028, 09:15 to 11:45');
    expect(page.text).toContain('Moved session');
    expect(page.text).toContain('<strong class="govuk-tag govuk-tag--red">Cancelled</strong>');
    expect(page.text).not.toContain(`href="/sessions/${cancelling.id}/edit"`);
    const api = await setup.leadAgent.get(`/api/v1/cohorts/${cohort.id}`).expect(200);
    expect(api.body.sessions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: moving.id, startsAt: '2028-11-07T09:15:00+00:00' }),
        expect.objectContaining({ id: cancelling.id, status: 'cancelled' }),
      ]),
    );
  });

  it('asks before cancelling a cohort', async () => {
    const cohort = await createCohort(setup, { daysFromNow: 40 });
    const confirm = await setup.leadAgent.get(`/cohorts/${cohort.id}/cancel`).expect(200);
    expect(confirm.text).toContain('Yes, cancel this cohort');
    await submit(setup.leadAgent, `/cohorts/${cohort.id}/cancel`, {});
    const page = await setup.leadAgent.get(`/cohorts/${cohort.id}`).expect(200);
    expect(page.text).toContain('<strong class="govuk-tag govuk-tag--red">Cancelled</strong>');
    expect(page.text).not.toContain('Cancel this cohort');
  });

  it('refuses a trainee the cohort list and the create form', async () => {
    const trainee: TestUser = await t.newUser(['trainee'], { organisationId: setup.organisationId });
    const agent = await t.signedIn(trainee);
    await agent.get('/cohorts').expect(403);
    await agent.get('/cohorts/new').expect(403);
    const csrf = await csrfTokenFrom(agent, '/');
    await agent
      .post('/cohorts')
      .type('form')
      .send({ _csrf: csrf, ...cohortFields() })
      .expect(403);
  });

  it('refuses a training lead of another organisation the cohort page and its actions', async () => {
    const cohort = await createCohort(setup, { daysFromNow: 45 });
    const other = await t.newOrganisation();
    const agent = await t.signedIn(await t.newUser(['training_lead'], { organisationId: other.id }));
    const page = await agent.get(`/cohorts/${cohort.id}`).expect(403);
    expect(page.text).toContain('This cohort is not one of yours');
    const trainee = await t.newUser(['trainee'], { organisationId: other.id });
    const csrf = await csrfTokenFrom(agent, '/');
    await agent
      .post(`/cohorts/${cohort.id}/enrolments`)
      .type('form')
      .send({ _csrf: csrf, traineeId: trainee.id })
      .expect(403);
    await agent
      .post(`/cohorts/${cohort.id}/status`)
      .type('form')
      .send({ _csrf: csrf, status: 'open' })
      .expect(403);
    const list = await agent.get('/cohorts').expect(200);
    expect(list.text).not.toContain(`href="/cohorts/${cohort.id}"`);
  });
});
