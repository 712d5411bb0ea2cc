import TestAgent from 'supertest/lib/agent';
import { cohortSetup, CohortSetup, createCohort } from './support/cohort-factory';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';

const answers = {
  whatHappened: 'We practised empathic responding in threes and I tried reflecting feelings back.',
  reflection: 'I noticed how often I jumped to reassurance instead of staying with the feeling.',
  learning: 'Empathic responding lets the parent feel understood before anything else happens.',
  nextSteps: 'In my next visit I will reflect feelings back before offering any reassurance.',
};

const RESPECT = 'helper-quality.respect';
const EMPATHY = 'helper-quality.empathy';
const FOUNDATION_ITEMS = 22;

interface SignOffBody {
  id: string;
  outcome: string;
  evidenceEntryIds: string[];
  comment: string;
  signedBy: { id: string; name: string };
  supersedesId: string | null;
}

interface CompetencyBody {
  code: string;
  state: string;
  current: SignOffBody | null;
  history: SignOffBody[];
}

describe('Competency sign-off', () => {
  let t: TestApp;
  let setup: CohortSetup;
  let cohortId: string;
  let trainee: TestUser;
  let traineeAgent: TestAgent;
  let otherTraineeAgent: TestAgent;
  let facilitatorAgent: TestAgent;
  let coFacilitatorAgent: TestAgent;
  let adminAgent: TestAgent;
  let enrolmentId: string;
  let otherEnrolmentId: string;
  /** Accepted logbook entries of the trainee's enrolment. */
  let accepted: string[];
  /** The trainee's entry that is submitted but not accepted, and another trainee's accepted entry. */
  let submittedOnly: string;
  let othersAccepted: string;

  /** Enrols a trainee on the cohort, marks them present at the first session and returns the enrolment. */
  async function placed(person: TestUser): Promise<string> {
    const { body } = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohortId}/enrolments`)
      .send({ traineeId: person.id })
      .expect(201);
    return body.id as string;
  }

  async function entry(agent: TestAgent, enrolment: string, sessionId: string, accept: boolean) {
    const { body } = await agent
      .post(`/api/v1/enrolments/${enrolment}/logbook/entries`)
      .send({ kind: 'session_reflection', sessionId, occurredOn: '2026-11-01', ...answers })
      .expect(201);
    await agent.post(`/api/v1/logbook/entries/${body.id}/submit`).send({}).expect(200);
    if (accept)
      await facilitatorAgent
        .post(`/api/v1/logbook/entries/${body.id}/review`)
        .send({ decision: 'accepted' })
        .expect(200);
    return body.id as string;
  }

  const signOff = (agent: TestAgent, code: string, body: Record<string, unknown>, enrolment = enrolmentId) =>
    agent.post(`/api/v1/enrolments/${enrolment}/competencies/${code}/sign-offs`).send(body);

  async function competency(code: string, enrolment = enrolmentId): Promise<CompetencyBody> {
    const { body } = await facilitatorAgent.get(`/api/v1/enrolments/${enrolment}/competencies`).expect(200);
    const all = (body.groups as Array<{ competencies: CompetencyBody[] }>).flatMap((g) => g.competencies);
    return all.find((item) => item.code === code)!;
  }

  beforeAll(async () => {
    t = await TestApp.start();
    setup = await cohortSetup(t);
    const cohort = await createCohort(setup, {
      daysFromNow: -30,
      count: 3,
      facilitatorIds: setup.facilitators.map((f) => f.id),
    });
    cohortId = cohort.id;
    trainee = await t.newUser(['trainee'], { organisationId: setup.organisationId });
    const otherTrainee = await t.newUser(['trainee'], { organisationId: setup.organisationId });
    enrolmentId = await placed(trainee);
    otherEnrolmentId = await placed(otherTrainee);
    facilitatorAgent = await t.signedIn(setup.facilitators[0]);
    coFacilitatorAgent = await t.signedIn(setup.facilitators[1]);
    adminAgent = await t.signedIn(await t.newUser(['admin']));
    traineeAgent = await t.signedIn(trainee);
    otherTraineeAgent = await t.signedIn(otherTrainee);
    const [first, second] = cohort.sessions.map((session) => session.id);
    for (const sessionId of [first, second])
      await facilitatorAgent
        .put(`/api/v1/sessions/${sessionId}/attendance`)
        .send([
          { enrolmentId, status: 'present' },
          { enrolmentId: otherEnrolmentId, status: 'present' },
        ])
        .expect(200);
    accepted = [
      await entry(traineeAgent, enrolmentId, first, true),
      await entry(traineeAgent, enrolmentId, second, true),
    ];
    submittedOnly = await entry(traineeAgent, enrolmentId, first, false);
    othersAccepted = await entry(otherTraineeAgent, otherEnrolmentId, first, true);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('frameworks', () => {
    it("lists the current version's framework of each course, grouped", async () => {
      const { body: foundation } = await traineeAgent
        .get('/api/v1/courses/foundation/competencies')
        .expect(200);
      expect(
        foundation.groups.map((g: { group: string; competencies: unknown[] }) => [
          g.group,
          g.competencies.length,
        ]),
      ).toEqual([
        ['helper_qualities', 6],
        ['helper_skills', 8],
        ['helping_process', 8],
      ]);
      expect(foundation.groups[0].competencies[0]).toMatchObject({ code: RESPECT, title: 'Respect' });
      const { body: supervision } = await traineeAgent
        .get('/api/v1/courses/supervision/competencies')
        .expect(200);
      expect(supervision.groups.map((g: { group: string }) => g.group)).toEqual(['supervision']);
      expect(supervision.groups[0].competencies[0].title).toBe('Supports reflective practice in supervision');
      const { body: facilitator } = await traineeAgent
        .get('/api/v1/courses/facilitator/competencies')
        .expect(200);
      expect(facilitator.groups[0].competencies.map((c: { title: string }) => c.title)).toContain(
        'Facilitates group learning using the model',
      );
      await traineeAgent.get('/api/v1/courses/juggling/competencies').expect(404);
    });
  });

  describe('signing off', () => {
    it('records met with accepted evidence as the current state, and audits it', async () => {
      const { body } = await signOff(facilitatorAgent, RESPECT, {
        outcome: 'met',
        evidenceEntryIds: accepted,
        comment: 'Listened to the parent’s view before offering her own in the role play.',
      }).expect(201);
      expect(body).toMatchObject({
        competencyCode: RESPECT,
        outcome: 'met',
        evidenceEntryIds: accepted,
        signedBy: { id: setup.facilitators[0].id, name: setup.facilitators[0].name },
        supersedesId: null,
      });
      const respect = await competency(RESPECT);
      expect(respect).toMatchObject({ state: 'met', current: { id: body.id }, history: [{ id: body.id }] });
      const audit = await adminAgent
        .get(`/api/v1/audit-events?action=competency.signed_off&subjectId=${body.id}`)
        .expect(200);
      expect(audit.body.events[0]).toMatchObject({
        actorId: setup.facilitators[0].id,
        details: { enrolmentId, competency: RESPECT, outcome: 'met', evidenceEntryIds: accepted },
      });
    });

    it('refuses evidence that is not an accepted entry of the enrolment, naming each id', async () => {
      const unknown = '00000000-0000-4000-8000-000000000123';
      const refused = await signOff(facilitatorAgent, EMPATHY, {
        outcome: 'met',
        evidenceEntryIds: [accepted[0], submittedOnly, othersAccepted, unknown],
        comment: 'Good empathy',
      }).expect(422);
      expect(refused.body).toMatchObject({
        code: 'EVIDENCE_NOT_ACCEPTED',
        field: 'evidenceEntryIds',
        details: { entryIds: [submittedOnly, othersAccepted, unknown] },
      });
      for (const id of [submittedOnly, othersAccepted, unknown]) expect(refused.body.message).toContain(id);
      expect((await competency(EMPATHY)).state).toBe('none');
    });

    it('refuses malformed input with 400 and a message per field, and an unknown competency with 404', async () => {
      const bad = await signOff(facilitatorAgent, EMPATHY, {
        outcome: 'revoked',
        evidenceEntryIds: ['not-an-id'],
        comment: '   ',
      }).expect(400);
      expect(Object.keys(bad.body.errors).sort()).toEqual(['comment', 'evidenceEntryIds', 'outcome']);
      await signOff(facilitatorAgent, 'helper-quality.juggling', { outcome: 'met', comment: 'x' }).expect(
        404,
      );
      await signOff(facilitatorAgent, 'supervision.supports-reflective-practice', {
        outcome: 'met',
        comment: 'Another course’s item',
      }).expect(404);
    });

    it("lets the cohort's facilitators, its host's training leads and admins sign off; no one else", async () => {
      const elsewhere = await cohortSetup(t);
      await createCohort(elsewhere, { facilitatorIds: [elsewhere.facilitators[0].id], daysFromNow: 90 });
      const otherFacilitator = await t.signedIn(elsewhere.facilitators[0]);
      const commissioner = await t.signedIn(await t.newUser(['commissioner']));
      const body = { outcome: 'not_yet', comment: 'Still rushes to reassure.' };
      for (const refused of [
        otherFacilitator,
        elsewhere.leadAgent,
        commissioner,
        traineeAgent,
        otherTraineeAgent,
      ])
        await signOff(refused, EMPATHY, body).expect(403);
      expect((await competency(EMPATHY)).history).toEqual([]);
      await signOff(coFacilitatorAgent, EMPATHY, body).expect(201);
      await signOff(setup.leadAgent, EMPATHY, body).expect(201);
      await signOff(adminAgent, EMPATHY, body).expect(201);
      expect((await competency(EMPATHY)).history).toHaveLength(3);
    });

    it('refuses a facilitator signing off their own enrolment, with a rule refusal', async () => {
      const both = await t.newUser(['facilitator', 'trainee'], { organisationId: setup.organisationId });
      await setup.leadAgent
        .post(`/api/v1/cohorts/${cohortId}/facilitators`)
        .send({ userId: both.id, role: 'co' })
        .expect(201);
      const ownEnrolment = await placed(both);
      const agent = await t.signedIn(both);
      const refused = await signOff(agent, RESPECT, { outcome: 'met', comment: 'Me' }, ownEnrolment).expect(
        422,
      );
      expect(refused.body.code).toBe('OWN_ENROLMENT_SIGN_OFF');
      // As a facilitator of the cohort they still sign off everyone else.
      await signOff(agent, 'helper-skill.summarising', {
        outcome: 'not_yet',
        comment: 'Not yet seen',
      }).expect(201);
    });

    it('refuses a trainee who has no place on the cohort', async () => {
      const leaver = await t.newUser(['trainee'], { organisationId: setup.organisationId });
      const leaverEnrolment = await placed(leaver);
      await setup.leadAgent.delete(`/api/v1/cohorts/${cohortId}/enrolments/${leaverEnrolment}`).expect(200);
      const refused = await signOff(
        facilitatorAgent,
        RESPECT,
        { outcome: 'met', comment: 'x' },
        leaverEnrolment,
      );
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('ENROLMENT_NOT_ASSESSED');
    });
  });

  describe('reading', () => {
    it('shows the trainee their own, and the cohort’s facilitators, leads and admins; refuses everyone else', async () => {
      const { body } = await traineeAgent.get(`/api/v1/enrolments/${enrolmentId}/competencies`).expect(200);
      expect(body).toMatchObject({
        enrolmentId,
        courseCode: 'foundation',
        total: FOUNDATION_ITEMS,
        canSignOff: false,
      });
      const items = (body.groups as Array<{ competencies: CompetencyBody[] }>).flatMap((g) => g.competencies);
      expect(items).toHaveLength(FOUNDATION_ITEMS);
      expect(items.find((item) => item.code === RESPECT)).toMatchObject({
        state: 'met',
        current: { outcome: 'met', evidenceEntryIds: accepted },
      });
      expect(items.find((item) => item.code === 'helping-process.ending')).toMatchObject({
        state: 'none',
        current: null,
        history: [],
      });
      for (const reader of [facilitatorAgent, setup.leadAgent, adminAgent])
        await reader.get(`/api/v1/enrolments/${enrolmentId}/competencies`).expect(200);
      const elsewhere = await cohortSetup(t);
      const commissioner = await t.signedIn(await t.newUser(['commissioner']));
      for (const refused of [
        otherTraineeAgent,
        await t.signedIn(elsewhere.facilitators[0]),
        elsewhere.leadAgent,
        commissioner,
      ])
        await refused.get(`/api/v1/enrolments/${enrolmentId}/competencies`).expect(403);
      await traineeAgent
        .get('/api/v1/enrolments/00000000-0000-4000-8000-000000000123/competencies')
        .expect(404);
    });
  });

  describe('revoking', () => {
    it('supersedes the current record with a revocation and its reason, keeping the whole history', async () => {
      const code = 'helper-skill.negotiating';
      const first = (await signOff(facilitatorAgent, code, { outcome: 'not_yet', comment: 'Avoids it' }))
        .body;
      const second = (
        await signOff(facilitatorAgent, code, {
          outcome: 'met',
          evidenceEntryIds: [accepted[1]],
          comment: 'Agreed a plan with the parent',
        }).expect(201)
      ).body;
      expect(second.supersedesId).toBe(first.id);
      await adminAgent
        .post(`/api/v1/competency-sign-offs/${second.id}/revoke`)
        .send({ reason: ' ' })
        .expect(400);
      await traineeAgent
        .post(`/api/v1/competency-sign-offs/${second.id}/revoke`)
        .send({ reason: 'I disagree' })
        .expect(403);
      const stale = await coFacilitatorAgent
        .post(`/api/v1/competency-sign-offs/${first.id}/revoke`)
        .send({ reason: 'Wrong trainee' })
        .expect(409);
      expect(stale.body).toMatchObject({ code: 'SIGN_OFF_SUPERSEDED', details: { currentId: second.id } });
      const { body: revocation } = await coFacilitatorAgent
        .post(`/api/v1/competency-sign-offs/${second.id}/revoke`)
        .send({ reason: 'Signed off for the wrong trainee.' })
        .expect(201);
      expect(revocation).toMatchObject({
        outcome: 'revoked',
        comment: 'Signed off for the wrong trainee.',
        evidenceEntryIds: [],
        supersedesId: second.id,
        signedBy: { id: setup.facilitators[1].id },
      });
      const again = await coFacilitatorAgent
        .post(`/api/v1/competency-sign-offs/${revocation.id}/revoke`)
        .send({ reason: 'Twice' })
        .expect(409);
      expect(again.body.code).toBe('SIGN_OFF_ALREADY_REVOKED');
      const negotiating = await competency(code);
      expect(negotiating.state).toBe('revoked');
      expect(negotiating.history.map((record) => [record.outcome, record.supersedesId])).toEqual([
        ['revoked', second.id],
        ['met', first.id],
        ['not_yet', null],
      ]);
      const audit = await adminAgent
        .get(`/api/v1/audit-events?action=competency.sign_off_revoked&subjectId=${revocation.id}`)
        .expect(200);
      expect(audit.body.events[0]).toMatchObject({
        actorId: setup.facilitators[1].id,
        details: { competency: code, outcome: 'revoked', supersedesId: second.id },
      });
      // A new sign-off after a revocation starts the competency again, on the same trail.
      const after = await signOff(facilitatorAgent, code, { outcome: 'met', comment: 'Seen again' }).expect(
        201,
      );
      expect(after.body.supersedesId).toBe(revocation.id);
    });

    it('keeps the records unchangeable in the database itself', async () => {
      await expect(t.dataSource.query(`UPDATE competency_sign_offs SET comment = 'changed'`)).rejects.toThrow(
        /append-only/,
      );
      await expect(t.dataSource.query(`DELETE FROM competency_sign_offs`)).rejects.toThrow(/append-only/);
      const [other] = await t.dataSource.query(`SELECT id FROM competency_sign_offs LIMIT 1`);
      await expect(
        t.dataSource.query(
          `INSERT INTO competency_sign_offs (enrolment_id, competency_id, outcome, comment, signed_by_id, supersedes_id)
           SELECT $1, c.id, 'met', 'forged', $2, $3 FROM competencies c WHERE c.code = 'helping-process.review' LIMIT 1`,
          [otherEnrolmentId, setup.facilitators[0].id, other.id],
        ),
      ).rejects.toThrow(/same enrolment and competency/);
    });
  });

  describe('concurrency', () => {
    it('keeps one current record and one unbroken chain when 20 sign-offs of one competency arrive at once', async () => {
      const code = 'helper-skill.empathic-responding';
      const agents = [facilitatorAgent, coFacilitatorAgent, setup.leadAgent, adminAgent];
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          signOff(agents[n % agents.length], code, {
            outcome: n % 2 === 0 ? 'met' : 'not_yet',
            comment: `Sign-off ${n + 1}`,
          }),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
      const { history, current } = await competency(code);
      expect(history).toHaveLength(20);
      expect(current!.id).toBe(history[0].id);
      for (let i = 0; i < history.length - 1; i++) expect(history[i].supersedesId).toBe(history[i + 1].id);
      expect(history[19].supersedesId).toBeNull();
      expect(new Set(history.map((record) => record.comment)).size).toBe(20);
      const [{ current: currentRows, superseded }] = await t.dataSource.query(
        `SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM competency_sign_offs n WHERE n.supersedes_id = s.id))::int AS current,
                count(DISTINCT s.supersedes_id)::int AS superseded
           FROM competency_sign_offs s JOIN competencies c ON c.id = s.competency_id
          WHERE s.enrolment_id = $1 AND c.code = $2`,
        [enrolmentId, code],
      );
      expect({ currentRows, superseded }).toEqual({ currentRows: 1, superseded: 19 });
    });
  });

  describe('progress', () => {
    it('adds "competencies: N of M signed off as met", met only once every item is met', async () => {
      const newcomer = await t.newUser(['trainee'], { organisationId: setup.organisationId });
      const newEnrolment = await placed(newcomer);
      const row = async () => {
        const { body } = await facilitatorAgent
          .get(`/api/v1/enrolments/${newEnrolment}/progress`)
          .expect(200);
        return (body.requirements as Array<{ key: string }>).find((r) => r.key === 'competencies');
      };
      expect(await row()).toEqual({
        key: 'competencies',
        met: false,
        detail: `competencies: 0 of ${FOUNDATION_ITEMS} signed off as met`,
      });
      const { body: framework } = await facilitatorAgent.get('/api/v1/courses/foundation/competencies');
      const codes = (framework.groups as Array<{ competencies: Array<{ code: string }> }>).flatMap((g) =>
        g.competencies.map((c) => c.code),
      );
      for (const code of codes.slice(1))
        await signOff(facilitatorAgent, code, { outcome: 'met', comment: 'Seen' }, newEnrolment).expect(201);
      await signOff(facilitatorAgent, codes[0], { outcome: 'not_yet', comment: 'Not yet' }, newEnrolment);
      expect(await row()).toMatchObject({ met: false, detail: 'competencies: 21 of 22 signed off as met' });
      await signOff(facilitatorAgent, codes[0], { outcome: 'met', comment: 'Now seen' }, newEnrolment);
      expect(await row()).toEqual({
        key: 'competencies',
        met: true,
        detail: 'competencies: 22 of 22 signed off as met',
      });
      const { body: cohort } = await facilitatorAgent.get(`/api/v1/cohorts/${cohortId}/progress`).expect(200);
      const byEnrolment = new Map(
        (cohort as Array<{ enrolmentId: string; requirements: Array<{ key: string; detail: string }> }>).map(
          (report) => [report.enrolmentId, report.requirements.find((r) => r.key === 'competencies')?.detail],
        ),
      );
      expect(byEnrolment.get(newEnrolment)).toBe('competencies: 22 of 22 signed off as met');
      expect(byEnrolment.get(otherEnrolmentId)).toBe('competencies: 0 of 22 signed off as met');
    });
  });

  describe('pages', () => {
    const gridOf = (id: string) => `/enrolments/${id}/competencies`;

    async function post(agent: TestAgent, path: string, fields: Array<[string, string]>, from: string) {
      const form = new URLSearchParams([['_csrf', await csrfTokenFrom(agent, from)], ...fields]);
      const response = await agent.post(path).type('form').send(form.toString()).expect(303);
      return response.headers.location;
    }

    it("shows the trainee their grid: each item's state, evidence links and history, and no forms", async () => {
      const page = await traineeAgent.get(gridOf(enrolmentId)).expect(200);
      expect(page.text).toContain('Your competencies');
      for (const heading of ['Helper qualities', 'Helper skills', 'The helping process'])
        expect(page.text).toContain(heading);
      expect(page.text).toContain('Respect');
      expect(page.text).toContain(`href="/logbook/entries/${accepted[0]}"`);
      expect(page.text).toContain('Session reflection, 1 Nov 2026');
      expect(page.text).toContain('<details class="govuk-details">');
      expect(page.text).toContain('Not assessed');
      expect(page.text).not.toContain('Save sign-off');
      await otherTraineeAgent.get(gridOf(enrolmentId)).expect(403);
    });

    it('lets a facilitator sign off through the form, sending a refused one back with the error beside its field', async () => {
      const code = 'helping-process.goal-setting';
      const action = `${gridOf(enrolmentId)}/${code}/sign-offs`;
      const page = await facilitatorAgent.get(gridOf(enrolmentId)).expect(200);
      expect(page.text).toContain(`action="${action}"`);
      expect(page.text).toContain(`value="${accepted[0]}"`);
      expect(page.text).not.toContain(`value="${submittedOnly}"`);

      const refused = await post(
        facilitatorAgent,
        action,
        [
          ['outcome', 'met'],
          ['comment', ''],
        ],
        gridOf(enrolmentId),
      );
      expect(refused).toBe(`${gridOf(enrolmentId)}#helping-process-goal-setting-item`);
      const again = await facilitatorAgent.get(gridOf(enrolmentId)).expect(200);
      expect(again.text).toContain('There is a problem');
      expect(again.text).toContain('href="#helping-process-goal-setting-comment"');
      expect(again.text).toMatch(
        /id="helping-process-goal-setting-comment-error" class="govuk-error-message">.*Enter a comment/,
      );
      expect(again.text).toMatch(
        /id="helping-process-goal-setting-outcome" name="outcome" type="radio" value="met" checked/,
      );

      await post(
        facilitatorAgent,
        action,
        [
          ['outcome', 'met'],
          ['evidenceEntryIds', ''],
          ['evidenceEntryIds', submittedOnly],
          ['comment', 'Set goals with the parent'],
        ],
        gridOf(enrolmentId),
      );
      const evidence = await facilitatorAgent.get(gridOf(enrolmentId)).expect(200);
      expect(evidence.text).toMatch(
        /id="helping-process-goal-setting-evidenceEntryIds-error"[^>]*>.*accepted logbook entries/,
      );

      await post(
        facilitatorAgent,
        action,
        [
          ['outcome', 'met'],
          ['evidenceEntryIds', ''],
          ['evidenceEntryIds', accepted[1]],
          ['comment', 'Set goals with the parent'],
        ],
        gridOf(enrolmentId),
      );
      const done = await facilitatorAgent.get(gridOf(enrolmentId)).expect(200);
      expect(done.text).toContain('Sign-off recorded: Met.');
      expect((await competency(code)).current).toMatchObject({
        outcome: 'met',
        evidenceEntryIds: [accepted[1]],
      });

      const current = (await competency(code)).current!;
      await post(
        facilitatorAgent,
        `${gridOf(enrolmentId)}/${code}/revoke`,
        [
          ['signOffId', current.id],
          ['reason', 'Recorded against the wrong stage'],
        ],
        gridOf(enrolmentId),
      );
      expect((await competency(code)).state).toBe('revoked');
      const revoked = await facilitatorAgent.get(gridOf(enrolmentId)).expect(200);
      expect(revoked.text).toContain('Recorded against the wrong stage');
    });

    it('refuses the forms to those who may not sign off', async () => {
      const code = RESPECT;
      const csrf = await csrfTokenFrom(traineeAgent, gridOf(enrolmentId));
      await traineeAgent
        .post(`${gridOf(enrolmentId)}/${code}/sign-offs`)
        .type('form')
        .send({ _csrf: csrf, outcome: 'met', comment: 'Me' })
        .expect(403);
    });

    it('links the grid from the cohort progress page and the trainee’s own progress page', async () => {
      const cohortPage = await facilitatorAgent.get(`/cohorts/${cohortId}/progress`).expect(200);
      expect(cohortPage.text).toContain(`href="${gridOf(enrolmentId)}"`);
      const own = await traineeAgent.get(`/my/enrolments/${enrolmentId}/progress`).expect(200);
      expect(own.text).toContain(`href="${gridOf(enrolmentId)}"`);
    });
  });

  describe('new course versions', () => {
    it('copy the framework to the new version, while running cohorts keep the one they started with', async () => {
      const before = (await adminAgent.get('/api/v1/courses/foundation/competencies').expect(200)).body;
      const [foundation] = (await adminAgent.get('/api/v1/courses').expect(200)).body;
      const { body: created } = await adminAgent
        .post('/api/v1/courses/foundation/versions')
        .send({ title: 'Foundation (revised)', rules: foundation.rules })
        .expect(201);
      let after = (await adminAgent.get('/api/v1/courses/foundation/competencies').expect(200)).body;
      for (let wait = 0; after.groups.length === 0 && wait < 100; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = (await adminAgent.get('/api/v1/courses/foundation/competencies').expect(200)).body;
      }
      expect(after.courseVersionId).toBe(created.id);
      expect(after.version).toBe(before.version + 1);
      expect(after.groups).toEqual(before.groups);
      const { body: running } = await facilitatorAgent
        .get(`/api/v1/enrolments/${enrolmentId}/competencies`)
        .expect(200);
      expect(running.courseVersionId).toBe(before.courseVersionId);
      expect((await competency(RESPECT)).state).toBe('met');
    });
  });
});
