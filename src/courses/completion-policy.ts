import type { CourseCode } from 'src/courses/course-code';
import type { CourseRules } from 'src/courses/course-rules';

/** One line of a progress report: the same rows feed the trainee's page, the facilitator's grid and eligibility. */
export interface RequirementRow {
  key: string;
  met: boolean;
  detail: string;
}

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

/**
 * Everything a policy may look at for one enrolment. Later capabilities (logbook, competencies) add their facts
 * here as optional fields, and policies add rows for them, without changing the callers.
 */
export interface ProgressFacts {
  rules: CourseRules;
  attendance: AttendanceFacts;
  completedCourses: ReadonlySet<CourseCode>;
}

export interface ProgressReport {
  eligible: boolean;
  requirements: RequirementRow[];
}

/** A course's rules in code: what it asks before enrolment and for completion. Registered by each course module. */
export interface CompletionPolicy {
  readonly courseCode: CourseCode;
  prerequisites(rules: CourseRules, completedCourses: ReadonlySet<CourseCode>): RequirementRow[];
  evaluate(facts: ProgressFacts): ProgressReport;
}
