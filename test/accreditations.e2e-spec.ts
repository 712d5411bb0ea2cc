import TestAgent from 'supertest/lib/agent';
import { QualificationsService } from 'src/courses/qualifications.service';
import { cohortSetup, CohortSetup, createCohort, meetEveryRequirement } from './support/cohort-factory';
import { eventually } from './support/eventually';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';

const addDays = (days: number) => {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

describe('What certificates prove: prerequisites and facilitator accreditation', () => {
  let t: TestApp;
  let setup: CohortSetup;
  let facilitator: TestAgent;
  let finished = 0;

  beforeAll(async () => {
    t = await TestApp.start();
    setup = await cohortSetup(t);
    facilitator = await t.signedIn(setup.facilitators[0]);
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  /** A trainee who attended the only session of a finished cohort of the course and met everything it asks. */
  async function eligibleTrainee(courseCode: string, trainee?: TestUser) {
    const cohort = await createCohort(setup, {
      courseCode,
      daysFromNow: -3 - ++finished,
      count: 1,
      facilitatorIds: setup.facilitators.map((person) => person.id),
    });
    const person = trainee ?? (await t.newUser(['trainee']));
    const { body } = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: person.id })
      .expect(201);
    await facilitator
      .put(`/api/v1/sessions/${cohort.sessions[0].id}/attendance`)
      .send([{ enrolmentId: body.id, status: 'present' }])
      .expect(200);
    await meetEveryRequirement(t, [body.id], cohort.sessions[0].id, setup.facilitators[0].id);
    return { cohort, trainee: person, enrolmentId: body.id as string };
  }

  const holds = (userId: string, courseCode: string) =>
    t.dataSource
      .query(
        `SELECT 1 FROM course_completions WHERE user_id = $1 AND course_code = $2 AND withdrawn_on IS NULL`,
        [userId, courseCode],
      )
      .then((rows: unknown[]) => rows.length > 0);

  const enrolIn = (cohortId: string, traineeId: string) =>
    setup.leadAgent.post(`/api/v1/cohorts/${cohortId}/enrolments`).send({ traineeId });

  it('asks Supervision for a valid Foundation certificate: completing the cohort is not enough, revoking takes it away', async () => {
    const { cohort, trainee, enrolmentId } = await eligibleTrainee('foundation');
    const supervision = await createCohort(setup, { courseCode: 'supervision', daysFromNow: 30 });
    await setup.leadAgent.patch(`/api/v1/cohorts/${supervision.id}`).send({ status: 'open' }).expect(200);

    await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'open' }).expect(200);
    await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'in_progress' }).expect(200);
    await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'completed' }).expect(200);
    const [enrolment] = await t.dataSource.query(`SELECT status FROM enrolments WHERE id = $1`, [
      enrolmentId,
    ]);
    expect(enrolment.status).toBe('completed');
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM certificates WHERE enrolment_id = $1`,
      [enrolmentId],
    );
    expect(count).toBe(0);
    const refused = await enrolIn(supervision.id, trainee.id).expect(422);
    expect(refused.body).toMatchObject({
      code: 'PREREQUISITE_NOT_MET',
      message: 'Prerequisite not met: needs a valid Foundation certificate',
    });

    const issued = await setup.leadAgent.post(`/api/v1/enrolments/${enrolmentId}/certificate`).expect(202);
    await eventually('the Foundation completion', () => holds(trainee.id, 'foundation'));
    const place = await enrolIn(supervision.id, trainee.id).expect(201);
    await setup.leadAgent.delete(`/api/v1/cohorts/${supervision.id}/enrolments/${place.body.id}`).expect(200);

    await setup.leadAgent
      .post(`/api/v1/certificates/${issued.body.id}/revoke`)
      .send({ reason: 'Issued in error' })
      .expect(200);
    await eventually('the completion withdrawn', async () => !(await holds(trainee.id, 'foundation')));
    await enrolIn(supervision.id, trainee.id).expect(422);
  });

  it('still counts a completion recorded for someone trained before the platform', async () => {
    const trainee = await t.newUser(['trainee']);
    const supervision = await createCohort(setup, { courseCode: 'supervision', daysFromNow: 40 });
    await setup.leadAgent.patch(`/api/v1/cohorts/${supervision.id}`).send({ status: 'open' }).expect(200);
    const admin = await t.signedIn(await t.newUser(['admin']));
    await admin
      .post(`/api/v1/users/${trainee.id}/completions`)
      .send({ courseCode: 'foundation', completedOn: '2023-05-01' })
      .expect(201);
    await enrolIn(supervision.id, trainee.id).expect(201);
  });

  it('accredits the holder of a Facilitator certificate for the course version’s years, and verifies as expired after', async () => {
    const trainee = await t.newUser(['trainee', 'facilitator'], { organisationId: setup.organisationId });
    const admin = await t.signedIn(await t.newUser(['admin']));
    await admin
      .post(`/api/v1/users/${trainee.id}/completions`)
      .send({ courseCode: 'foundation', completedOn: '2024-05-01' })
      .expect(201);
    const { enrolmentId } = await eligibleTrainee('facilitator', trainee);
    const issued = await setup.leadAgent.post(`/api/v1/enrolments/${enrolmentId}/certificate`).expect(202);
    const [accreditation] = await eventually('the accreditation', async () => {
      const { body } = await setup.leadAgent.get(`/api/v1/users/${trainee.id}/accreditations`).expect(200);
      return body.length ? body : undefined;
    });
    expect(accreditation).toMatchObject({
      courseCode: 'foundation',
      grantedOn: addDays(0),
      validYears: 3,
      certificateId: issued.body.id,
      status: 'current',
    });
    expect(accreditation.expiresOn).toBe(`${Number(addDays(0).slice(0, 4)) + 3}${addDays(0).slice(4)}`);
    const audit = await admin.get(
      `/api/v1/audit-events?action=accreditation.granted&subjectId=${trainee.id}`,
    );
    expect(audit.body.events).toHaveLength(1);

    const [{ verification_code: code }] = await t.dataSource.query(
      `SELECT verification_code FROM certificates WHERE id = $1`,
      [issued.body.id],
    );
    const valid = await t.agent().get(`/api/v1/verify/${code}`).expect(200);
    expect(valid.body).toMatchObject({ status: 'valid', expiresOn: accreditation.expiresOn });
    const credential = await setup.leadAgent
      .get(`/api/v1/certificates/${issued.body.id}/credential`)
      .expect(200);
    expect(credential.body.credential.validUntil.slice(0, 10)).toBe(accreditation.expiresOn);

    // A Foundation cohort opens with this facilitator and one other accredited.
    const foundation = await createCohort(setup, {
      daysFromNow: 60,
      facilitatorIds: [trainee.id, setup.facilitators[1].id],
    });
    await setup.leadAgent.patch(`/api/v1/cohorts/${foundation.id}`).send({ status: 'open' }).expect(200);

    await t.dataSource.query(`UPDATE facilitator_accreditations SET expires_on = $2 WHERE id = $1`, [
      accreditation.id,
      addDays(-1),
    ]);
    const expired = await t.agent().get(`/api/v1/verify/${code}`).expect(200);
    expect(expired.body).toMatchObject({ status: 'expired', expiresOn: addDays(-1) });
    const page = await t.agent().get(`/verify/${code}`).expect(200);
    expect(page.text).toContain('Expired');

    await setup.leadAgent
      .post(`/api/v1/certificates/${issued.body.id}/revoke`)
      .send({ reason: 'Accreditation withdrawn by the licensing body' })
      .expect(200);
    const withdrawn = await eventually('the accreditation withdrawn', async () => {
      const { body } = await setup.leadAgent.get(`/api/v1/users/${trainee.id}/accreditations`).expect(200);
      return body[0].withdrawnOn ? body[0] : undefined;
    });
    expect(withdrawn).toMatchObject({ status: 'withdrawn', withdrawnOn: addDays(0) });
  });

  it('e-mails the facilitator 90 and 30 days before expiry, once each, and again after a renewal', async () => {
    const person = await t.newUser(['facilitator'], { organisationId: setup.organisationId });
    const admin = await t.signedIn(await t.newUser(['admin']));
    const { body: accreditation } = await admin
      .post(`/api/v1/users/${person.id}/accreditations`)
      .send({ courseCode: 'foundation', grantedOn: '2024-01-15', expiresOn: addDays(85) })
      .expect(201);
    const qualifications = t.app.get(QualificationsService);
    const toPerson = () => t.smtp.messages.filter((message) => message.to.includes(person.email));

    await qualifications.remindExpiring();
    const first = await t.smtp.waitFor(person.email);
    expect(first.subject).toBe(
      `Your accreditation to facilitate Foundation courses expires on ${new Date(addDays(85)).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })}`,
    );
    expect(first.text).toContain('in 90 days');
    await qualifications.remindExpiring();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(toPerson()).toHaveLength(1);

    await t.dataSource.query(`UPDATE facilitator_accreditations SET expires_on = $2 WHERE id = $1`, [
      accreditation.id,
      addDays(20),
    ]);
    await qualifications.remindExpiring();
    await eventually('the 30-day notice', async () => toPerson().length === 2);
    expect(toPerson()[1].text).toContain('in 30 days');

    // Near expiry for the lead of their organisation, not for a lead elsewhere.
    const near = await setup.leadAgent.get('/api/v1/accreditations').expect(200);
    expect(near.body.map((row: { id: string }) => row.id)).toContain(accreditation.id);
    const elsewhere = await cohortSetup(t);
    const theirs = await elsewhere.leadAgent.get('/api/v1/accreditations').expect(200);
    expect(theirs.body.map((row: { id: string }) => row.id)).not.toContain(accreditation.id);
    await elsewhere.leadAgent
      .post(`/api/v1/accreditations/${accreditation.id}/renewals`)
      .send({ renewedOn: addDays(0), note: 'Refresher' })
      .expect(404);
    await (await t.signedIn(await t.newUser(['trainee']))).get('/api/v1/accreditations').expect(403);

    const refused = await setup.leadAgent
      .post(`/api/v1/accreditations/${accreditation.id}/renewals`)
      .send({ renewedOn: '2020-01-01', note: 'Refresher' })
      .expect(422);
    expect(refused.body).toMatchObject({ code: 'RENEWAL_BEFORE_GRANT', field: 'renewedOn' });
    await setup.leadAgent
      .post(`/api/v1/accreditations/${accreditation.id}/renewals`)
      .send({ renewedOn: addDays(1), note: '' })
      .expect(400);
    const renewed = await setup.leadAgent
      .post(`/api/v1/accreditations/${accreditation.id}/renewals`)
      .send({ renewedOn: addDays(0), note: 'Refresher day and an observed Foundation session' })
      .expect(201);
    const renewedUntil = `${Number(addDays(0).slice(0, 4)) + 3}${addDays(0).slice(4)}`;
    expect(renewed.body).toMatchObject({
      expiresOn: renewedUntil,
      status: 'current',
      renewals: [
        {
          renewedOn: addDays(0),
          previousExpiresOn: addDays(20),
          expiresOn: renewedUntil,
          note: 'Refresher day and an observed Foundation session',
        },
      ],
    });
    const audit = await admin.get(`/api/v1/audit-events?action=accreditation.renewed&subjectId=${person.id}`);
    expect(JSON.stringify(audit.body)).toContain(renewedUntil);
    const after = await setup.leadAgent.get('/api/v1/accreditations').expect(200);
    expect(after.body.map((row: { id: string }) => row.id)).not.toContain(accreditation.id);

    // The renewed expiry is a new one: its notices come again when it nears.
    await t.dataSource.query(`UPDATE facilitator_accreditations SET expires_on = $2 WHERE id = $1`, [
      accreditation.id,
      addDays(60),
    ]);
    await qualifications.remindExpiring();
    await eventually('the notice for the renewed expiry', async () => toPerson().length === 3);
  });

  it('lists accreditations near expiry for the lead on a page, where a renewal is recorded', async () => {
    const person = await t.newUser(['facilitator'], { organisationId: setup.organisationId });
    const admin = await t.signedIn(await t.newUser(['admin']));
    const { body: accreditation } = await admin
      .post(`/api/v1/users/${person.id}/accreditations`)
      .send({ courseCode: 'foundation', grantedOn: '2024-02-01', expiresOn: addDays(10) })
      .expect(201);
    const lead = await t.signedInThroughPage(setup.lead);
    const page = await lead.get('/accreditations').expect(200);
    expect(page.text).toContain(person.name);
    expect(page.text).toContain('Expires in 10 days');

    const action = `/accreditations/${accreditation.id}/renewals`;
    await lead
      .post(action)
      .type('form')
      .send({
        _csrf: await csrfTokenFrom(lead, '/accreditations'),
        [`renewedOn-${accreditation.id}`]: 'next week',
        [`note-${accreditation.id}`]: '',
      })
      .expect(303);
    const refused = await lead.get('/accreditations').expect(200);
    expect(refused.text).toContain('Enter the renewal date as YYYY-MM-DD');
    expect(refused.text).toContain('Say what the renewal was based on');
    expect(refused.text).toContain('value="next week"');
    const renewed = await lead
      .post(action)
      .type('form')
      .send({
        _csrf: await csrfTokenFrom(lead, '/accreditations'),
        [`renewedOn-${accreditation.id}`]: addDays(0),
        [`note-${accreditation.id}`]: 'Refresher day',
      })
      .expect(303);
    expect(renewed.headers.location).toBe('/accreditations');
    const after = await lead.get('/accreditations').expect(200);
    expect(after.text).toContain('Renewal recorded');
  });
});
