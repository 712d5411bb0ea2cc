import type { CourseCode } from 'src/courses/course-code';
import type { CourseRules } from 'src/courses/course-rules';
import type { ProgressFactKey, ProgressFactMap } from 'src/courses/progress-facts';

/** One line of a progress report: the same rows feed the trainee's page, the facilitator's grid and eligibility. */
export interface RequirementRow {
  key: string;
  met: boolean;
  detail: string;
}

/** What a policy reads for one enrolment: the course version's rules and the facts it declared it needs. */
export type ProgressFacts<K extends ProgressFactKey = ProgressFactKey> = { rules: CourseRules } & Pick<
  ProgressFactMap,
  K
>;

export interface ProgressReport {
  eligible: boolean;
  requirements: RequirementRow[];
}

/** A course's rules in code: what it asks before enrolment and for completion. Registered by each course module. */
export interface CompletionPolicy<K extends ProgressFactKey = ProgressFactKey> {
  readonly courseCode: CourseCode;
  /**
   * The course a certificate of this one accredits its holder to deliver, for the years its version sets
   * (`accreditationYears`); null when it accredits nobody.
   */
  readonly accredits: CourseCode | null;
  /** The facts `evaluate` reads; the app refuses to start if no registered provider supplies one of them. */
  readonly needs: readonly K[];
  prerequisites(rules: CourseRules, completedCourses: ReadonlySet<CourseCode>): RequirementRow[];
  evaluate(facts: ProgressFacts<K>): ProgressReport;
}
