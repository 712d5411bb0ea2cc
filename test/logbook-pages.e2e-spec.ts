import { attendedCohort, cohortSetup, CohortSetup } from './support/cohort-factory';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';

describe('Logbook pages', () => {
  let t: TestApp;
  let setup: CohortSetup;
  let trainee: TestUser;
  let enrolmentId: string;
  let sessionId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    setup = await cohortSetup(t);
    ({
      trainee,
      enrolmentId,
      cohort: {
        sessions: [{ id: sessionId }],
      },
    } = await attendedCohort(t, setup, 15));
  });

  afterAll(async () => {
    await t.close();
  });

  it('lets a trainee draft, see identifiers where they are, fix them, submit, and a facilitator return and accept', async () => {
    const browser = await t.signedInThroughPage(trainee);
    const logbook = await browser.get(`/enrolments/${enrolmentId}/logbook`).expect(200);
    expect(logbook.text).toContain('session reflections: 0 of 1 attended sessions accepted');
    const newPage = `/enrolments/${enrolmentId}/logbook/new?kind=session_reflection`;
    const form = await browser.get(newPage).expect(200);
    expect(form.text).toContain('What I learned about the model');
    expect(form.text).toContain(`value="${sessionId}"`);

    const created = await browser
      .post(`/enrolments/${enrolmentId}/logbook/entries`)
      .type('form')
      .send({
        _csrf: await csrfTokenFrom(browser, newPage),
        kind: 'session_reflection',
        sessionId,
        occurredOn: '2026-11-16',
        whatHappened: 'Mum rang me from 07700 900123 before the session.',
        reflection: 'I felt torn.',
        learning: 'Respect means letting the parent lead.',
        nextSteps: 'Ask before advising.',
      })
      .expect(303);
    const entryUrl = created.headers.location;
    expect(entryUrl).toMatch(/^\/logbook\/entries\/[0-9a-f-]{36}$/);
    const draft = await browser.get(entryUrl).expect(200);
    expect(draft.text).toContain('Phone number found');
    expect(draft.text).toContain('<mark>07700 900123</mark>');

    const csrf = await csrfTokenFrom(browser, entryUrl);
    const fields = {
      _csrf: csrf,
      sessionId,
      occurredOn: '2026-11-16',
      reflection: 'I felt torn.',
      learning: 'Respect means letting the parent lead.',
      nextSteps: 'Ask before advising.',
    };
    await browser
      .post(entryUrl)
      .type('form')
      .send({
        ...fields,
        whatHappened: 'Mum rang me from 07700 900123 before the session.',
        action: 'submit',
      })
      .expect(303)
      .expect('location', entryUrl);
    const refused = await browser.get(entryUrl).expect(200);
    expect(refused.text).toContain('govuk-error-summary');
    expect(refused.text).toContain('Remove what could identify a family before submitting: 07700 900123');

    await browser
      .post(entryUrl)
      .type('form')
      .send({ ...fields, whatHappened: 'The mother rang me before the session.', action: 'submit' })
      .expect(303);
    expect((await browser.get(entryUrl).expect(200)).text).toContain('Waiting for review');

    const reviewer = await t.signedInThroughPage(setup.facilitators[0]);
    const dashboard = await reviewer.get('/').expect(200);
    expect(dashboard.text).toMatch(/Logbook entries waiting for your review<\/dt>\s*<dd[^>]*>1</);
    const queue = await reviewer.get('/logbook/review-queue').expect(200);
    expect(queue.text).toContain(entryUrl);
    const reviewPage = await reviewer.get(entryUrl).expect(200);
    expect(reviewPage.text).toContain('Your review');
    expect(reviewPage.text).toContain('The mother rang me before the session.');
    const reviewCsrf = await csrfTokenFrom(reviewer, entryUrl);
    await reviewer
      .post(`${entryUrl}/review`)
      .type('form')
      .send({ _csrf: reviewCsrf, decision: 'returned', feedback: '' })
      .expect(303)
      .expect('location', `${entryUrl}#review`);
    expect((await reviewer.get(entryUrl).expect(200)).text).toContain('Say what the trainee should change');
    await reviewer
      .post(`${entryUrl}/review`)
      .type('form')
      .send({ _csrf: reviewCsrf, decision: 'returned', feedback: 'Say what you will try next time.' })
      .expect(303)
      .expect('location', '/logbook/review-queue');

    const returned = await browser.get(entryUrl).expect(200);
    expect(returned.text).toContain('Say what you will try next time.');
    await browser
      .post(entryUrl)
      .type('form')
      .send({
        ...fields,
        _csrf: await csrfTokenFrom(browser, entryUrl),
        whatHappened: 'The mother rang me before the session.',
        nextSteps: 'Next time I will ask what she would like to try first.',
        action: 'submit',
      })
      .expect(303);
    const changed = await reviewer.get(entryUrl).expect(200);
    expect(changed.text).toContain('What changed since you returned it');
    expect(changed.text).toContain('Next time I will ask what she would like to try first.');
    await reviewer
      .post(`${entryUrl}/review`)
      .type('form')
      .send({ _csrf: await csrfTokenFrom(reviewer, entryUrl), decision: 'accepted' })
      .expect(303);

    const done = await browser.get(`/enrolments/${enrolmentId}/logbook`).expect(200);
    expect(done.text).toContain('session reflections: 1 of 1 attended sessions accepted');
    expect(done.text).toContain(setup.facilitators[0].name);
  });

  it('shows a trainee’s logbook to the cohort’s lead and admins, and to nobody outside the cohort', async () => {
    const entryId = (
      await t.dataSource.query(`SELECT id FROM logbook_entries WHERE enrolment_id = $1`, [enrolmentId])
    )[0].id as string;
    for (const reader of [setup.lead, await t.newUser(['admin'])]) {
      const browser = await t.signedInThroughPage(reader);
      await browser.get(`/enrolments/${enrolmentId}/logbook`).expect(200);
      await browser.get(`/logbook/entries/${entryId}`).expect(200);
    }
    const outsiders = [
      await t.newUser(['trainee']),
      await t.newUser(['commissioner']),
      await t.newUser(['facilitator'], { organisationId: setup.organisationId }),
      await t.newUser(['training_lead'], { organisationId: (await t.newOrganisation()).id }),
    ];
    for (const outsider of outsiders) {
      const browser = await t.signedInThroughPage(outsider);
      await browser.get(`/enrolments/${enrolmentId}/logbook`).expect(403);
      await browser.get(`/logbook/entries/${entryId}`).expect(403);
    }
  });
});
