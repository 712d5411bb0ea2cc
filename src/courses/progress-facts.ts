import type { CourseCode } from 'src/courses/course-code';

export interface AttendanceFacts {
  /** Sessions of the cohort that are not cancelled. */
  scheduled: number;
  /** Scheduled sessions that have started by now. */
  held: number;
  present: number;
  late: number;
  absent: number;
  excused: number;
  excusedMadeUp: number;
}

/** A trainee's logbook as the course rules count it: accepted entries only. */
export interface LogbookFacts {
  /** Sessions of the cohort the trainee attended (present, late, or excused and made up). */
  attendedSessions: number;
  /** Of those, the sessions with an accepted reflection about them. */
  reflectedSessions: number;
  acceptedReflections: number;
  acceptedPracticeContacts: number;
  acceptedSupervisionSessions: number;
  /** Accepted co-facilitations of a Foundation session that a facilitator observed. */
  observedCoFacilitations: number;
}

export interface CompetencyFacts {
  /** Items of the enrolment's course-version framework whose current sign-off is `met`. */
  met: number;
  /** Items in that framework. */
  total: number;
}

/**
 * Every fact a completion policy may read about one enrolment, by key. The shapes live here, with the policy
 * contract, so that policies (courses) and the features that supply facts (cohorts, later logbooks and
 * competencies) depend on this file and not on each other. A new feature adds its key and shape here (or by
 * declaration merging) and registers a provider for it.
 */
export interface ProgressFactMap {
  attendance: AttendanceFacts;
  completedCourses: ReadonlySet<CourseCode>;
  logbook: LogbookFacts;
  competencies: CompetencyFacts;
}

export type ProgressFactKey = keyof ProgressFactMap;
