import type { CohortDetail } from 'src/cohorts/cohorts.service';
import type { CohortSession } from 'src/cohorts/cohort-session.entity';
import type { Cohort } from 'src/cohorts/cohort.entity';
import { londonIso } from 'src/cohorts/schedule';

export function sessionView(session: CohortSession) {
  return {
    id: session.id,
    title: session.title,
    startsAt: londonIso(session.startsAt),
    endsAt: londonIso(session.endsAt),
    venue: session.venue,
    status: session.status,
    sequence: session.sequence,
  };
}

/** The API's shape of a cohort: times as ISO 8601 with the London offset. */
/** An open cohort as a trainee looking for a course sees it. */
export function openCohortView(cohort: Cohort & { enrolledCount: number; nextSessionAt: Date | null }) {
  return {
    id: cohort.id,
    title: cohort.title,
    courseCode: cohort.courseVersion!.courseCode,
    deliveryMode: cohort.deliveryMode,
    venue: cohort.venue,
    organisation: { id: cohort.organisationId, name: cohort.organisation?.name },
    area: { id: cohort.areaId, name: cohort.area?.name, code: cohort.area?.code },
    capacity: cohort.capacity,
    placesLeft: cohort.capacity - cohort.enrolledCount,
    nextSessionAt: cohort.nextSessionAt,
  };
}

export function cohortView(detail: CohortDetail) {
  const { cohort } = detail;
  return {
    id: cohort.id,
    title: cohort.title,
    courseCode: cohort.courseVersion!.courseCode,
    courseVersion: cohort.courseVersion!.version,
    courseVersionId: cohort.courseVersionId,
    status: cohort.status,
    capacity: cohort.capacity,
    deliveryMode: cohort.deliveryMode,
    venue: cohort.venue,
    organisation: { id: cohort.organisationId, name: cohort.organisation?.name },
    area: { id: cohort.areaId, name: cohort.area?.name, code: cohort.area?.code },
    sessions: detail.sessions.map(sessionView),
    facilitators: detail.facilitators,
    enrolled: detail.counts.enrolled,
    waitlisted: detail.counts.waitlisted,
    requested: detail.counts.requested,
  };
}
