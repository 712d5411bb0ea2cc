import { cohortSetup, CohortSetup, createCohort } from './support/cohort-factory';
import { linkIn } from './support/smtp-capture';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';

interface Row {
  row: number;
  email: string;
  outcome: string;
  place?: string;
  waitlistPosition?: number | null;
  code?: string;
  reason?: string;
}

describe('Enrolling a list of people', () => {
  let t: TestApp;
  let setup: CohortSetup;

  beforeAll(async () => {
    t = await TestApp.start();
    setup = await cohortSetup(t);
  });

  afterAll(async () => {
    await t.close();
  });

  const colleagues = (count: number, options: { invited?: boolean } = {}) =>
    Promise.all(
      Array.from({ length: count }, () =>
        t.newUser(['trainee'], { organisationId: setup.organisationId, ...options }),
      ),
    );

  const newcomers = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      email: `${prefix}${i + 1}@newcomer.example.org`,
      name: `${prefix} Newcomer ${i + 1}`,
      profession: i % 2 ? 'Health visitor' : 'social_worker',
    }));

  const asListed = (user: TestUser) => ({ email: user.email, name: user.name, profession: 'Social worker' });

  it('previews a list of 16, half of them new, then enrols and invites them in list order with one e-mail each', async () => {
    const cohort = await createCohort(setup, { capacity: 12, daysFromNow: 20 });
    const existing = [...(await colleagues(6)), ...(await colleagues(2, { invited: true }))];
    const fresh = newcomers('sixteen', 8);
    const people = existing.flatMap((user, i) => [asListed(user), fresh[i]]);
    const url = `/api/v1/cohorts/${cohort.id}/enrolments/bulk`;

    const preview = await setup.leadAgent.post(url).send({ people, dryRun: true }).expect(200);
    expect(preview.body.dryRun).toBe(true);
    const rows = preview.body.rows as Row[];
    expect(rows.map((row) => row.outcome)).toEqual(people.map((_, i) => (i % 2 ? 'invite' : 'existing')));
    expect(rows.slice(0, 12).every((row) => row.place === 'enrolled')).toBe(true);
    expect(rows.slice(12).map((row) => [row.place, row.waitlistPosition])).toEqual([
      ['waitlisted', 1],
      ['waitlisted', 2],
      ['waitlisted', 3],
      ['waitlisted', 4],
    ]);
    expect(preview.body.summary).toMatchObject({
      invite: 8,
      existing: 8,
      enrolled: 12,
      waitlisted: 4,
      error: 0,
    });
    // A dry run changes nothing and sends nothing.
    const before = await setup.leadAgent.get(`/api/v1/cohorts/${cohort.id}/enrolments`).expect(200);
    expect(before.body).toHaveLength(0);
    expect(await t.dataSource.query(`SELECT 1 FROM users WHERE email LIKE 'sixteen%'`)).toHaveLength(0);

    const done = await setup.leadAgent.post(url).send({ people }).expect(200);
    expect(
      (done.body.rows as Row[]).map((row) => [row.outcome, row.place, row.waitlistPosition ?? null]),
    ).toEqual(rows.map((row) => [row.outcome, row.place, row.waitlistPosition ?? null]));
    const enrolments = await setup.leadAgent.get(`/api/v1/cohorts/${cohort.id}/enrolments`).expect(200);
    expect(enrolments.body).toHaveLength(16);

    for (const person of fresh) {
      const [account] = await t.dataSource.query(
        `SELECT status, roles, organisation_id, profession FROM users WHERE email = $1`,
        [person.email],
      );
      expect(account).toMatchObject({
        status: 'invited',
        roles: ['trainee'],
        organisation_id: setup.organisationId,
      });
    }
    const [visitor] = await t.dataSource.query(`SELECT profession FROM users WHERE email = $1`, [
      fresh[1].email,
    ]);
    expect(visitor.profession).toBe('health_visitor');

    // Each person gets exactly one e-mail: a newcomer's carries their place and the link to set up the account.
    const newcomerMail = await t.smtp.waitFor(fresh[0].email);
    expect(newcomerMail.subject).toMatch(/^Your place on .+ is confirmed$/);
    const link = linkIn(newcomerMail, `${t.config.APP_URL}/accept-invitation?token=`);
    const waitingMail = await t.smtp.waitFor(fresh[7].email);
    expect(waitingMail.text).toContain('number 4 on its waiting list');
    await t.smtp.waitFor(existing[0].email);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const mailsTo = (email: string) => t.smtp.messages.filter((message) => message.to.includes(email));
    for (const person of fresh) expect(mailsTo(person.email)).toHaveLength(1);
    // People already invited got their invitation when their account was made; the list adds only their place.
    const aboutPlaces = (email: string) =>
      mailsTo(email).filter((mail) => !mail.subject.startsWith('You have been invited'));
    for (const user of existing) expect(aboutPlaces(user.email)).toHaveLength(1);

    // The link in that e-mail works: the newcomer sets a password and signs in to find their place.
    await t
      .agent()
      .post('/api/v1/auth/accept-invitation')
      .send({ token: new URL(link).searchParams.get('token'), password: 'a long enough password' })
      .expect(200);
    const mine = await t.signedIn({ email: fresh[0].email, password: 'a long enough password' });
    const own = await mine.get(`/api/v1/cohorts/${cohort.id}/enrolments`).expect(200);
    expect(own.body).toEqual([expect.objectContaining({ status: 'enrolled' })]);
  });

  it('reports each bad row with its reason and still enrols the good ones', async () => {
    const cohort = await createCohort(setup, { capacity: 10, daysFromNow: 21 });
    const [holder, disabled, plain] = await colleagues(3);
    const admin = await t.signedIn(await t.newUser(['admin']));
    await admin.patch(`/api/v1/users/${disabled.id}`).send({ status: 'disabled' }).expect(200);
    await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: holder.id })
      .expect(201);
    const lead = await t.newUser(['training_lead'], { organisationId: setup.organisationId });
    const people = [
      { email: 'not an address', name: 'Bad Address', profession: 'Social worker' },
      { email: 'astro@newcomer.example.org', name: 'Astro Naut', profession: 'Astronaut' },
      asListed(holder),
      asListed(disabled),
      { email: lead.email, name: lead.name, profession: 'Social worker' },
      asListed(plain),
      { ...asListed(plain), name: 'Listed Twice' },
      {
        email: 'good@newcomer.example.org',
        name: 'Good Person',
        profession: 'Speech and language therapist',
      },
      { email: 'extra@newcomer.example.org', name: 'Extra', profession: 'Psychiatrist', surprise: true },
    ];
    const { body } = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments/bulk`)
      .send({ people })
      .expect(200);
    const rows = body.rows as Row[];
    expect(rows.map((row) => [row.outcome, row.code ?? null])).toEqual([
      ['error', 'VALIDATION_FAILED'],
      ['error', 'VALIDATION_FAILED'],
      ['already_enrolled', null],
      ['error', 'ACCOUNT_DISABLED'],
      ['error', 'ROLE_MISSING'],
      ['existing', null],
      ['error', 'PERSON_LISTED_TWICE'],
      ['invite', null],
      ['error', 'VALIDATION_FAILED'],
    ]);
    expect(rows[0].reason).toMatch(/e-mail address/i);
    expect(rows[1].reason).toContain('Astronaut is not a profession on the list');
    expect(rows[6].reason).toBe('This person is listed already, in row 6');
    expect(rows[5]).toMatchObject({ place: 'enrolled' });
    expect(rows[7]).toMatchObject({ place: 'enrolled' });
    expect(body.summary).toMatchObject({ enrolled: 2, error: 6, already_enrolled: 1 });
    const accounts = await t.dataSource.query(
      `SELECT email FROM users WHERE email LIKE '%@newcomer.example.org' AND email NOT LIKE 'sixteen%'`,
    );
    expect(accounts).toEqual([{ email: 'good@newcomer.example.org' }]);
  });

  it('refuses a list for a cohort the lead does not manage, or one that takes no places', async () => {
    const cohort = await createCohort(setup, { capacity: 5, daysFromNow: 22 });
    const other = await cohortSetup(t);
    const people = newcomers('refused', 1);
    await other.leadAgent.post(`/api/v1/cohorts/${cohort.id}/enrolments/bulk`).send({ people }).expect(403);
    await setup.leadAgent.post(`/api/v1/cohorts/${cohort.id}/status`).send({ status: 'cancelled' });
    await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'cancelled' }).expect(200);
    const refused = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments/bulk`)
      .send({ people })
      .expect(422);
    expect(refused.body.code).toBe('COHORT_NOT_TAKING_PLACES');
    await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments/bulk`)
      .send({ people: Array.from({ length: 201 }, () => people[0]) })
      .expect(400);
  });

  describe('the page', () => {
    const page = (cohortId: string) => `/cohorts/${cohortId}/enrolments/bulk`;

    it('checks a pasted list, shows each row, and adds the people once confirmed', async () => {
      const cohort = await createCohort(setup, { capacity: 1, daysFromNow: 23 });
      const [known] = await colleagues(1);
      const browser = await t.signedInThroughPage(setup.lead);
      const csrf = await csrfTokenFrom(browser, page(cohort.id));
      const list = `Email\tName\tProfession\n${known.email}\t${known.name}\tSocial worker\npaste1@newcomer.example.org\tPaste One\tHealth visitor\nnonsense`;
      await browser
        .post(page(cohort.id))
        .field('_csrf', csrf)
        .field('list', list)
        .field('action', 'check')
        .expect(303)
        .expect('location', page(cohort.id));
      const preview = await browser.get(page(cohort.id)).expect(200);
      expect(preview.text).toContain('Check what will happen');
      expect(preview.text).toContain('Has an account');
      expect(preview.text).toContain('New: invited');
      expect(preview.text).toContain('Waiting list, number 1');
      expect(preview.text).toContain('Cannot be added');
      expect(
        await t.dataSource.query(`SELECT 1 FROM users WHERE email = 'paste1@newcomer.example.org'`),
      ).toHaveLength(0);

      const confirm = preview.text.match(/name="list" value="([^"]*)"/);
      expect(confirm).not.toBeNull();
      await browser
        .post(page(cohort.id))
        .type('form')
        .send({ _csrf: csrf, list: list, action: 'confirm' })
        .expect(303);
      const result = await browser.get(page(cohort.id)).expect(200);
      expect(result.text).toContain('What happened');
      expect(result.text).toContain(
        '1 person has a place and 1 is on the waiting list. 1 could not be added',
      );
      const enrolments = await setup.leadAgent.get(`/api/v1/cohorts/${cohort.id}/enrolments`).expect(200);
      expect(enrolments.body.map((e: { status: string }) => e.status).sort()).toEqual([
        'enrolled',
        'waitlisted',
      ]);
    });

    it('reads a CSV file as Excel saves it: byte-order mark, semicolons and quoted fields', async () => {
      const cohort = await createCohort(setup, { capacity: 5, daysFromNow: 24 });
      const browser = await t.signedInThroughPage(setup.lead);
      const csrf = await csrfTokenFrom(browser, page(cohort.id));
      const csv =
        '\uFEFFE-mail;Name;Profession\r\ncsv1@newcomer.example.org;"Smith; Jo";"Occupational therapist"\r\n';
      await browser
        .post(page(cohort.id))
        .field('_csrf', csrf)
        .field('action', 'check')
        .attach('file', Buffer.from(csv, 'utf8'), { filename: 'people.csv', contentType: 'text/csv' })
        .expect(303);
      const preview = await browser.get(page(cohort.id)).expect(200);
      expect(preview.text).toContain('Smith; Jo');
      expect(preview.text).toContain('csv1@newcomer.example.org');
      expect(preview.text).toContain('New: invited');
    });

    it('sends an empty list back to the form with the reason beside the box', async () => {
      const cohort = await createCohort(setup, { capacity: 5, daysFromNow: 25 });
      const browser = await t.signedInThroughPage(setup.lead);
      const csrf = await csrfTokenFrom(browser, page(cohort.id));
      await browser
        .post(page(cohort.id))
        .field('_csrf', csrf)
        .field('list', ' ')
        .field('action', 'check')
        .expect(303);
      const form = await browser.get(page(cohort.id)).expect(200);
      expect(form.text).toContain('govuk-error-summary');
      expect(form.text).toContain('id="list-error"');
      expect(form.text).toContain('Paste the list, or choose a CSV file');
    });
  });
});
