import type { CourseCode } from 'src/courses/course-code';

/**
 * A course version's requirements, stored as data so that changing them makes a new version while running
 * cohorts keep the rules they started with. Policies read these; services never hard-code them.
 */
export interface CourseRules {
  /** How many sessions a cohort of this course normally has (the schedule builder's default). */
  sessions: number;
  attendance: {
    /** Share of held sessions a trainee must attend, 0-100. */
    minimumPercent: number;
    /** Late arrival counts as attendance. */
    lateCounts: boolean;
    /** An excused absence counts once it has been made up. */
    excusedCountsWhenMadeUp: boolean;
  };
  /** Courses that must be completed (later: a valid certificate) before enrolling. */
  prerequisites: CourseCode[];
  /** Facilitators holding a current accreditation that a cohort needs before it opens. */
  minAccreditedFacilitators: number;
  /** Logbook expectations, evaluated once the logbook exists. */
  logbook: {
    reflectionPerAttendedSession: boolean;
    practiceContacts: number;
    supervisionReflections: number;
    reflections: number;
    observedCoFacilitation: boolean;
  };
  /** Years a facilitator accreditation lasts when this course grants one; null when it grants none. */
  accreditationYears: number | null;
}
