import TestAgent from 'supertest/lib/agent';
import { attendedCohort, cohortSetup, CohortSetup } from './support/cohort-factory';
import { TestApp, TestUser } from './support/test-app';

const answers = {
  whatHappened: 'We practised summarising in pairs, and I noticed I rushed to offer solutions.',
  reflection: 'I felt uneasy with silence, and wondered whether the parent did too.',
  learning: 'Summarising shows the parent they have been heard before we explore further.',
  nextSteps: 'At my next home visit I will summarise before making any suggestion.',
};

describe('Reflective practice logbooks', () => {
  let t: TestApp;
  let setup: CohortSetup;
  let trainee: TestUser;
  let traineeAgent: TestAgent;
  let facilitatorAgent: TestAgent;
  let enrolmentId: string;
  let attendedSessionId: string;
  let missedSessionId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    setup = await cohortSetup(t);
    let cohort;
    ({ cohort, trainee, enrolmentId, facilitator: facilitatorAgent } = await attendedCohort(t, setup, 30));
    [attendedSessionId, missedSessionId] = cohort.sessions.map((session) => session.id);
    await facilitatorAgent
      .put(`/api/v1/sessions/${missedSessionId}/attendance`)
      .send([{ enrolmentId, status: 'absent' }])
      .expect(200);
    traineeAgent = await t.signedIn(trainee);
  });

  afterAll(async () => {
    await t.close();
  });

  const draft = (overrides: Record<string, unknown> = {}) =>
    traineeAgent.post(`/api/v1/enrolments/${enrolmentId}/logbook/entries`).send({
      kind: 'session_reflection',
      sessionId: attendedSessionId,
      occurredOn: '2026-11-01',
      ...overrides,
    });

  it('saves an unfinished draft, and asks for every prompt only on submission', async () => {
    const { body: entry } = await draft({ whatHappened: 'Half a thought' }).expect(201);
    expect(entry).toMatchObject({ status: 'draft', revision: 0, whatHappened: 'Half a thought' });
    const refused = await traineeAgent
      .post(`/api/v1/logbook/entries/${entry.id}/submit`)
      .send({})
      .expect(400);
    expect(Object.keys(refused.body.errors)).toEqual(['reflection', 'learning', 'nextSteps']);
  });

  it('refuses a session the trainee did not attend, and a kind the course does not take', async () => {
    const missed = await draft({ sessionId: missedSessionId }).expect(422);
    expect(missed.body).toMatchObject({ code: 'SESSION_NOT_ATTENDED', field: 'sessionId' });
    const wrongKind = await draft({ kind: 'supervision_session', sessionId: null }).expect(422);
    expect(wrongKind.body.code).toBe('ENTRY_KIND_NOT_FOR_COURSE');
  });

  it('refuses a submission that identifies a family, naming each finding, and keeps the draft exactly as typed', async () => {
    const typed = {
      ...answers,
      whatHappened: 'Mum gave her DOB as 14/03/1990 and her number, 07700 900123.',
    };
    const { body: entry } = await draft(typed).expect(201);
    const refused = await traineeAgent
      .post(`/api/v1/logbook/entries/${entry.id}/submit`)
      .send({})
      .expect(422);
    expect(refused.body.code).toBe('IDENTIFIERS_FOUND');
    expect(
      refused.body.details.findings.map((f: { kind: string; text: string; field: string }) => [
        f.kind,
        f.text,
        f.field,
      ]),
    ).toEqual([
      ['date_of_birth', '14/03/1990', 'whatHappened'],
      ['phone', '07700 900123', 'whatHappened'],
    ]);
    const kept = await traineeAgent.get(`/api/v1/logbook/entries/${entry.id}`).expect(200);
    expect(kept.body).toMatchObject({ status: 'draft', whatHappened: typed.whatHappened, revisions: [] });
  });

  it('asks the trainee to confirm possible names before it takes the entry', async () => {
    const { body: entry } = await draft({
      ...answers,
      reflection: 'Baby Amelia slept through it all.',
    }).expect(201);
    const warned = await traineeAgent.post(`/api/v1/logbook/entries/${entry.id}/submit`).send({}).expect(422);
    expect(warned.body).toMatchObject({ code: 'NAMES_TO_CONFIRM', field: 'confirmNames' });
    await traineeAgent
      .post(`/api/v1/logbook/entries/${entry.id}/submit`)
      .send({ confirmNames: true })
      .expect(200);
  });

  it('goes submitted, returned with feedback (e-mailed), edited, resubmitted, accepted, keeping every revision', async () => {
    const { body: entry } = await draft(answers).expect(201);
    await traineeAgent.post(`/api/v1/logbook/entries/${entry.id}/submit`).send({}).expect(200);
    await traineeAgent.patch(`/api/v1/logbook/entries/${entry.id}`).send({ learning: 'x' }).expect(409);

    const queue = await facilitatorAgent.get('/api/v1/logbook/review-queue').expect(200);
    expect(queue.body.map((e: { id: string }) => e.id)).toContain(entry.id);
    const noFeedback = await facilitatorAgent
      .post(`/api/v1/logbook/entries/${entry.id}/review`)
      .send({ decision: 'returned' })
      .expect(400);
    expect(noFeedback.body.errors.feedback).toEqual(['Say what the trainee should change']);
    await facilitatorAgent
      .post(`/api/v1/logbook/entries/${entry.id}/review`)
      .send({ decision: 'returned', feedback: 'Say more about what you will do differently.' })
      .expect(200);
    const returned = () =>
      t.smtp.messages.find(
        (m) => m.to.includes(trainee.email) && m.subject.startsWith('Your logbook entry has been returned'),
      );
    for (let i = 0; i < 200 && !returned(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(returned()?.text).toContain('Say more about what you will do differently.');

    await traineeAgent
      .patch(`/api/v1/logbook/entries/${entry.id}`)
      .send({ nextSteps: 'I will summarise first, and ask the parent what they would like to try.' })
      .expect(200);
    await traineeAgent.post(`/api/v1/logbook/entries/${entry.id}/submit`).send({}).expect(200);
    await facilitatorAgent
      .post(`/api/v1/logbook/entries/${entry.id}/review`)
      .send({ decision: 'accepted' })
      .expect(200);
    await facilitatorAgent
      .post(`/api/v1/logbook/entries/${entry.id}/review`)
      .send({ decision: 'accepted' })
      .expect(409);

    const { body: full } = await traineeAgent.get(`/api/v1/logbook/entries/${entry.id}`).expect(200);
    expect(full.status).toBe('accepted');
    expect(
      full.revisions.map((r: { number: number; content: { nextSteps: string } }) => [
        r.number,
        r.content.nextSteps,
      ]),
    ).toEqual([
      [1, answers.nextSteps],
      [2, 'I will summarise first, and ask the parent what they would like to try.'],
    ]);
    expect(full.reviews.map((r: { revision: number; decision: string }) => [r.revision, r.decision])).toEqual(
      [
        [1, 'returned'],
        [2, 'accepted'],
      ],
    );
    await expect(t.dataSource.query(`UPDATE logbook_revisions SET content = '{}'`)).rejects.toThrow(
      /append-only/,
    );
  });

  it('is private: another trainee, another cohort’s facilitator and a commissioner are refused', async () => {
    const { body: entry } = await draft(answers).expect(201);
    const other = await t.signedIn(await t.newUser(['trainee']));
    const otherFacilitator = await t.signedIn(
      await t.newUser(['facilitator'], { organisationId: setup.organisationId }),
    );
    const commissioner = await t.signedIn(await t.newUser(['commissioner']));
    for (const agent of [other, otherFacilitator, commissioner]) {
      await agent.get(`/api/v1/enrolments/${enrolmentId}/logbook`).expect(403);
      await agent.get(`/api/v1/logbook/entries/${entry.id}`).expect(403);
      await agent
        .post(`/api/v1/logbook/entries/${entry.id}/review`)
        .send({ decision: 'accepted' })
        .expect(403);
    }
    await facilitatorAgent
      .patch(`/api/v1/logbook/entries/${entry.id}`)
      .send({ learning: 'mine now' })
      .expect(403);
    await other
      .post(`/api/v1/enrolments/${enrolmentId}/logbook/entries`)
      .send({ kind: 'session_reflection', occurredOn: '2026-11-01' })
      .expect(403);
  });

  it('records each read by staff, and not the trainee’s own', async () => {
    await traineeAgent.get(`/api/v1/enrolments/${enrolmentId}/logbook`).expect(200);
    const lead = await facilitatorAgent.get(`/api/v1/enrolments/${enrolmentId}/logbook`).expect(200);
    expect(lead.body.entries.length).toBeGreaterThan(0);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'logbook.read' AND subject_id = $1 AND actor_id = $2`,
      [enrolmentId, setup.facilitators[0].id],
    );
    expect(n).toBeGreaterThan(0);
    const after = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'logbook.read' AND subject_id = $1 AND actor_id = $2`,
      [enrolmentId, trainee.id],
    );
    expect(after[0].n).toBe(0);
  });
});
