import type { CohortStatus } from 'src/cohorts/cohort.entity';
import type { EnrolmentStatus } from 'src/cohorts/enrolment.entity';

/** What the cohorts feature tells others: places given and taken away, cohorts changing status, sessions due. */
declare module 'src/events/domain-events' {
  interface DomainEvents {
    /** A training lead placed someone (or approved their request): a place, or a waiting-list position. */
    'enrolment.placed': {
      enrolmentId: string;
      cohortId: string;
      traineeId: string;
      status: 'enrolled' | 'waitlisted';
      waitlistPosition: number | null;
    };
    /** A place became free and went to the first person waiting. */
    'enrolment.promoted': { enrolmentId: string; cohortId: string; traineeId: string };
    /** A place, request or waiting-list position was given up, by the trainee or by a lead. */
    'enrolment.withdrawn': {
      enrolmentId: string;
      cohortId: string;
      traineeId: string;
      was: EnrolmentStatus;
      byId: string;
    };
    'cohort.status_changed': { cohortId: string; from: CohortStatus; to: CohortStatus };
    /** People became facilitators of a cohort, when it was made or later. */
    'cohort.facilitators_assigned': { cohortId: string; userIds: string[] };
    'cohort.facilitator_removed': { cohortId: string; userId: string };
    /** A session starts within the reminder lead time; these people have not been reminded of it yet. */
    'session.reminder_due': { sessionId: string; userIds: string[] };
  }
}

export const COHORT_EVENTS = [
  'enrolment.placed',
  'enrolment.promoted',
  'enrolment.withdrawn',
  'cohort.status_changed',
  'cohort.facilitators_assigned',
  'cohort.facilitator_removed',
  'session.reminder_due',
] as const;
