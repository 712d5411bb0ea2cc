import TestAgent from 'supertest/lib/agent';
import { generateSampleMaterialPdf } from 'src/materials/sample-material-pdf';
import { CoverageRefreshService } from 'src/reports/coverage-refresh.service';
import { cohortSetup, createCohort, meetEveryRequirement } from './cohort-factory';
import { eventually } from './eventually';
import { asBytes } from './pdf';
import { TestApp, TestUser } from './test-app';

/** One organisation's side of the data set: a cohort with its people and everything they have made. */
export interface World {
  organisationId: string;
  areaId: string;
  lead: TestUser;
  facilitator: TestUser;
  trainee: TestUser;
  cohortId: string;
  /** The cohort's one session, which the trainee attended and reflected on. */
  sessionId: string;
  enrolmentId: string;
  /** A reflection the trainee has submitted, waiting for review. */
  entryId: string;
  /** A sign-off the current one superseded: what revoking is tried on, as only the current one can be revoked. */
  supersededSignOffId: string;
  competencyCode: string;
  certificateId: string;
  /** The certificate this one replaced (re-issued in setup), which can no longer be revoked, retried or re-issued. */
  supersededCertificateId: string;
  verificationCode: string;
  printOrderId: string;
  /** The facilitator's accreditation. */
  accreditationId: string;
  /** The SHA-256 of the copy of the handbook the trainee downloaded. */
  copyHash: string;
  /** The file name of the trainee's personal calendar subscription. */
  calendarFile: string;
}

export interface AuthorisationWorld {
  admin: TestUser;
  commissioner: TestUser;
  /** The commissioner covers this world's area, not the other's. */
  own: World;
  other: World;
  materialId: string;
  mailId: string;
}

const answers = {
  whatHappened: 'We practised summarising in pairs, and I noticed I rushed to offer solutions.',
  reflection: 'I felt uneasy with silence, and wondered whether the parent did too.',
  learning: 'Summarising shows the parent they have been heard before we explore further.',
  nextSteps: 'At my next home visit I will summarise before making any suggestion.',
};

/**
 * Two organisations in two areas, each with a Foundation cohort that has a facilitator and a trainee who has
 * attended, written and submitted a reflection, been signed off, been certified (the PDF made by the worker), been
 * licensed the handbook and downloaded it, and has a print order; a commissioner of the first area; the coverage
 * summary refreshed over all of it.
 */
export async function authorisationWorld(t: TestApp): Promise<AuthorisationWorld> {
  const admin = await t.newUser(['admin']);
  const adminAgent = await t.signedIn(admin);
  const { body: material } = await adminAgent
    .post('/api/v1/materials')
    .send({
      code: 'RPH',
      title: 'Reflective Practice Handbook',
      kind: 'handbook',
      courseCodes: ['foundation'],
      audience: ['trainee'],
    })
    .expect(201);
  const pdf = await generateSampleMaterialPdf({
    title: 'Handbook',
    code: 'RPH',
    editionLabel: '1',
    pages: 2,
  });
  await adminAgent
    .post(`/api/v1/materials/${material.id}/editions`)
    .set('X-Requested-With', 'test')
    .field('label', 'First edition')
    .attach('file', Buffer.from(pdf), { filename: 'edition.pdf', contentType: 'application/pdf' })
    .expect(201);

  const own = await world(t, material.id);
  const other = await world(t, material.id);

  const commissioner = await t.newUser(['commissioner']);
  await adminAgent
    .patch(`/api/v1/users/${commissioner.id}`)
    .send({ areaIds: [own.areaId] })
    .expect(200);
  await t.app.get(CoverageRefreshService).refresh();
  const [{ id: mailId }] = await t.dataSource.query(`SELECT id FROM email_messages LIMIT 1`);
  return { admin, commissioner, own, other, materialId: material.id, mailId };
}

async function world(t: TestApp, materialId: string): Promise<World> {
  const setup = await cohortSetup(t);
  const [facilitator] = setup.facilitators;
  const trainee = await t.newUser(['trainee'], { organisationId: setup.organisationId });
  const cohort = await createCohort(setup, { daysFromNow: -10, count: 1, facilitatorIds: [facilitator.id] });
  if (cohort.status !== 'draft') throw new Error('The matrix puts a cancelled cohort back to draft');
  const [session] = cohort.sessions;
  const { body: enrolment } = await setup.leadAgent
    .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
    .send({ traineeId: trainee.id })
    .expect(201);
  const facilitatorAgent = await t.signedIn(facilitator);
  await facilitatorAgent
    .put(`/api/v1/sessions/${session.id}/attendance`)
    .send([{ enrolmentId: enrolment.id, status: 'present' }])
    .expect(200);

  const traineeAgent = await t.signedIn(trainee);
  const { body: entry } = await traineeAgent
    .post(`/api/v1/enrolments/${enrolment.id}/logbook/entries`)
    .send({ kind: 'session_reflection', sessionId: session.id, occurredOn: '2026-11-01', ...answers })
    .expect(201);
  await traineeAgent.post(`/api/v1/logbook/entries/${entry.id}/submit`).send({}).expect(200);

  await meetEveryRequirement(t, [enrolment.id], session.id, facilitator.id);
  const competencyCode = 'helping-process.goal-setting';
  await facilitatorAgent
    .post(`/api/v1/enrolments/${enrolment.id}/competencies/${competencyCode}/sign-offs`)
    .send({ outcome: 'met', evidenceEntryIds: [], comment: 'Seen in the role play' })
    .expect(201);
  const [{ id: supersededSignOffId }] = await t.dataSource.query(
    `SELECT s.id FROM competency_sign_offs s JOIN competency_sign_offs newer ON newer.supersedes_id = s.id
      WHERE s.enrolment_id = $1`,
    [enrolment.id],
  );

  const made = (id: string) =>
    eventually(`certificate ${id} made`, async () => {
      const [row] = await t.dataSource.query(
        `SELECT status, verification_code FROM certificates WHERE id = $1`,
        [id],
      );
      return row?.status === 'issued' && (row.verification_code as string);
    });
  const { body: first } = await setup.leadAgent
    .post(`/api/v1/enrolments/${enrolment.id}/certificate`)
    .expect(202);
  await made(first.id);
  const { body: certificate } = await setup.leadAgent
    .post(`/api/v1/certificates/${first.id}/reissue`)
    .send({})
    .expect(201);
  const verificationCode = await made(certificate.id);

  await eventually('the trainee holding the handbook', async () => {
    const { body } = await traineeAgent.get('/api/v1/me/materials').expect(200);
    return (body as Array<{ material: { id: string } }>).some((held) => held.material.id === materialId);
  });
  await asBytes(traineeAgent.get(`/api/v1/materials/${materialId}/download`)).expect(200);
  const copyHash = await eventually('the hash of the copy downloaded', async () => {
    const [copy] = await t.dataSource.query(
      `SELECT c.sha256 FROM material_copies c JOIN material_issues i ON i.id = c.issue_id
        WHERE i.holder_id = $1 AND c.sha256 IS NOT NULL`,
      [trainee.id],
    );
    return copy?.sha256 as string | undefined;
  });
  const { body: printOrder } = await setup.leadAgent
    .post(`/api/v1/cohorts/${cohort.id}/print-orders`)
    .send({ materialId, copies: 2 })
    .expect(201);
  const {
    body: { url: calendarUrl },
  } = await traineeAgent.get('/api/v1/me/calendar').expect(200);
  const [{ id: accreditationId }] = await t.dataSource.query(
    `SELECT id FROM facilitator_accreditations WHERE user_id = $1`,
    [facilitator.id],
  );

  return {
    organisationId: setup.organisationId,
    areaId: setup.areaId,
    lead: setup.lead,
    facilitator,
    trainee,
    cohortId: cohort.id,
    sessionId: session.id,
    enrolmentId: enrolment.id,
    entryId: entry.id,
    supersededSignOffId,
    competencyCode,
    certificateId: certificate.id,
    supersededCertificateId: first.id,
    verificationCode,
    printOrderId: printOrder.id,
    accreditationId,
    copyHash,
    calendarFile: new URL(calendarUrl as string).pathname.split('/').pop()!,
  };
}

/** Signs in through the sign-in page (so that form posts carry the session's CSRF token), or not at all. */
export async function browserOf(
  t: TestApp,
  user: TestUser | null,
): Promise<{ agent: TestAgent; csrf: string }> {
  const agent = user ? await t.signedInThroughPage(user) : t.agent();
  const page = await agent.get(user ? '/' : '/sign-in').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!csrf) throw new Error('No CSRF token on the first page');
  return { agent, csrf };
}
