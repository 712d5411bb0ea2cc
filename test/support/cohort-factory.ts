import TestAgent from 'supertest/lib/agent';
import { TestApp, TestUser } from './test-app';

export interface CohortSetup {
  organisationId: string;
  areaId: string;
  lead: TestUser;
  leadAgent: TestAgent;
  facilitators: TestUser[];
}

const DAY = 24 * 60 * 60 * 1000;

/** A host organisation with a training lead and two facilitators accredited to deliver Foundation. */
export async function cohortSetup(t: TestApp): Promise<CohortSetup> {
  const { id: organisationId, areaId } = await t.newOrganisation();
  const lead = await t.newUser(['training_lead'], { organisationId });
  const facilitators = [
    await t.newUser(['facilitator'], { organisationId }),
    await t.newUser(['facilitator'], { organisationId }),
  ];
  const admin = await t.signedIn(await t.newUser(['admin']));
  for (const facilitator of facilitators) {
    await admin
      .post(`/api/v1/users/${facilitator.id}/accreditations`)
      .send({ courseCode: 'foundation', grantedOn: '2024-01-01', expiresOn: '2030-01-01' })
      .expect(201);
  }
  return { organisationId, areaId, lead, leadAgent: await t.signedIn(lead), facilitators };
}

let venueSequence = 0;

/** Creates a cohort through the API: `daysFromNow` places the first of `count` weekly sessions. */
export async function createCohort(
  setup: CohortSetup,
  options: {
    courseCode?: string;
    capacity?: number;
    daysFromNow?: number;
    count?: number;
    facilitatorIds?: string[];
    venue?: string;
  } = {},
) {
  const first = new Date(Date.now() + (options.daysFromNow ?? 30) * DAY);
  first.setUTCMinutes(0, 0, 0);
  const response = await setup.leadAgent
    .post('/api/v1/cohorts')
    .send({
      courseCode: options.courseCode ?? 'foundation',
      title: `Cohort ${++venueSequence}`,
      organisationId: setup.organisationId,
      areaId: setup.areaId,
      capacity: options.capacity ?? 16,
      deliveryMode: 'in_person',
      venue: options.venue ?? `Room ${venueSequence}`,
      schedule: {
        firstStartsAt: first.toISOString(),
        durationMinutes: 120,
        count: options.count ?? 3,
        intervalWeeks: 1,
      },
      facilitatorIds: options.facilitatorIds ?? [],
    })
    .expect(201);
  return response.body as {
    id: string;
    status: string;
    sessions: Array<{ id: string; startsAt: string; endsAt: string; sequence: number }>;
  };
}

/**
 * A cohort that started `daysAgo` with the first facilitator, and a trainee enrolled who was present at its first
 * session: what a logbook needs to be written in.
 */
export async function attendedCohort(t: TestApp, setup: CohortSetup, daysAgo: number) {
  const cohort = await createCohort(setup, {
    daysFromNow: -daysAgo,
    count: 3,
    facilitatorIds: [setup.facilitators[0].id],
  });
  const trainee = await t.newUser(['trainee']);
  const enrolment = await setup.leadAgent
    .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
    .send({ traineeId: trainee.id })
    .expect(201);
  const enrolmentId = enrolment.body.id as string;
  const facilitator = await t.signedIn(setup.facilitators[0]);
  await facilitator
    .put(`/api/v1/sessions/${cohort.sessions[0].id}/attendance`)
    .send([{ enrolmentId, status: 'present' }])
    .expect(200);
  return { cohort, trainee, enrolmentId, facilitator };
}

/**
 * `count` trainees enrolled on the cohort, written directly: as many as a test needs, without the enrolment
 * e-mails that enrolling them through the API would have a worker send first.
 */
export async function enrolDirectly(t: TestApp, cohortId: string, count: number) {
  const trainees: Array<{ id: string; email: string }> = await t.dataSource.query(
    `INSERT INTO users (email, name, roles, status, profession)
     SELECT 'trainee' || n || '.' || $1 || '@example.org', 'Trainee ' || n, '{trainee}', 'active', 'social_worker'
       FROM generate_series(1, $2::int) AS n
     RETURNING id, email`,
    [cohortId.slice(0, 8), count],
  );
  const enrolments: Array<{ id: string; trainee_id: string }> = await t.dataSource.query(
    `INSERT INTO enrolments (cohort_id, trainee_id, status, enrolled_at)
     SELECT $1, id, 'enrolled', now() FROM unnest($2::uuid[]) AS id RETURNING id, trainee_id`,
    [cohortId, trainees.map((trainee) => trainee.id)],
  );
  const emails = new Map(trainees.map((trainee) => [trainee.id, trainee.email]));
  return enrolments.map((enrolment) => ({
    enrolmentId: enrolment.id,
    email: emails.get(enrolment.trainee_id)!,
  }));
}

/**
 * Everything any course asks of trainees who attended `sessionId` (attendance is taken separately), recorded
 * directly: an accepted reflection on it and three more, six practice contacts, three supervision reflections, an
 * observed co-facilitation, and every competency of the cohort's framework signed off as met by `assessorId`.
 */
export async function meetEveryRequirement(
  t: TestApp,
  enrolmentIds: string[],
  sessionId: string,
  assessorId: string,
): Promise<void> {
  await t.dataSource.query(
    `INSERT INTO logbook_entries (enrolment_id, kind, status, session_id, occurred_on, what_happened, reflection, learning, next_steps, revision)
     SELECT id, 'session_reflection', 'accepted', CASE WHEN n = 1 THEN $2::uuid END, current_date, 'a', 'b', 'c', 'd', 1
       FROM unnest($1::uuid[]) AS id, generate_series(1, 4) AS n`,
    [enrolmentIds, sessionId],
  );
  await t.dataSource.query(
    `INSERT INTO logbook_entries (enrolment_id, kind, status, occurred_on, minutes, stage, skills, what_happened, reflection, learning, next_steps, revision)
     SELECT id, 'practice_contact', 'accepted', current_date, 45, 'review', '{summarising}', 'a', 'b', 'c', 'd', 1
       FROM unnest($1::uuid[]) AS id, generate_series(1, 6)`,
    [enrolmentIds],
  );
  await t.dataSource.query(
    `INSERT INTO logbook_entries (enrolment_id, kind, status, occurred_on, what_happened, reflection, learning, next_steps, revision, observed)
     SELECT id, kind, 'accepted', current_date, 'a', 'b', 'c', 'd', 1, kind = 'co_facilitation'
       FROM unnest($1::uuid[]) AS id,
            unnest(ARRAY['supervision_session', 'supervision_session', 'supervision_session', 'co_facilitation']) AS kind`,
    [enrolmentIds],
  );
  await t.dataSource.query(
    `INSERT INTO competency_sign_offs (enrolment_id, competency_id, outcome, comment, signed_by_id)
     SELECT e.id, c.id, 'met', 'Seen', $2 FROM enrolments e JOIN cohorts co ON co.id = e.cohort_id
       JOIN competencies c ON c.course_version_id = co.course_version_id WHERE e.id = ANY($1::uuid[])`,
    [enrolmentIds, assessorId],
  );
}
