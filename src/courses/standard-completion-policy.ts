import { COURSE_NAMES, CourseCode } from 'src/courses/course-code';
import type { CourseRules } from 'src/courses/course-rules';
import type {
  CompletionPolicy,
  ProgressFacts,
  ProgressReport,
  RequirementRow,
} from 'src/courses/completion-policy';
import type { AttendanceFacts, CompetencyFacts } from 'src/courses/progress-facts';

type StandardFact = 'attendance' | 'completedCourses' | 'competencies';

/**
 * The rules the three courses share, each read from the course version: prerequisites, attendance and the
 * competency framework.
 * Course modules extend it with what is particular to them.
 */
export class StandardCompletionPolicy implements CompletionPolicy<StandardFact> {
  readonly needs: readonly StandardFact[] = ['attendance', 'completedCourses', 'competencies'];

  constructor(readonly courseCode: CourseCode) {}

  prerequisites(rules: CourseRules, completedCourses: ReadonlySet<CourseCode>): RequirementRow[] {
    return rules.prerequisites.map((code) => {
      const met = completedCourses.has(code);
      return {
        key: `prerequisite:${code}`,
        met,
        detail: met ? `${COURSE_NAMES[code]} completed` : `needs a completed ${COURSE_NAMES[code]} course`,
      };
    });
  }

  evaluate(facts: ProgressFacts<StandardFact>): ProgressReport {
    const requirements = [
      ...this.prerequisites(facts.rules, facts.completedCourses),
      this.attendance(facts.rules, facts.attendance),
      this.competencies(facts.competencies),
    ];
    return { eligible: requirements.every((row) => row.met), requirements };
  }

  /** Measured against every scheduled session, so the row is met only once enough have been attended. */
  protected attendance(rules: CourseRules, facts: AttendanceFacts): RequirementRow {
    const { minimumPercent, lateCounts, excusedCountsWhenMadeUp } = rules.attendance;
    const attended =
      facts.present + (lateCounts ? facts.late : 0) + (excusedCountsWhenMadeUp ? facts.excusedMadeUp : 0);
    const needed = Math.ceil((facts.scheduled * minimumPercent) / 100);
    const percent = facts.scheduled === 0 ? 0 : Math.round((attended / facts.scheduled) * 100);
    const met = facts.scheduled > 0 && attended >= needed;
    const comparison = met ? '>=' : '<';
    const toMakeUp = excusedCountsWhenMadeUp ? facts.excused - facts.excusedMadeUp : 0;
    return {
      key: 'attendance',
      met,
      detail:
        `attendance: ${attended} of ${facts.scheduled} sessions, ${percent}% ${comparison} ${minimumPercent}%` +
        (toMakeUp > 0 ? `; ${toMakeUp} excused absence${toMakeUp === 1 ? '' : 's'} to make up` : ''),
    };
  }

  /** Met once every item of the course version's framework has a current `met` sign-off; an empty one never is. */
  protected competencies(facts: CompetencyFacts): RequirementRow {
    return {
      key: 'competencies',
      met: facts.total > 0 && facts.met >= facts.total,
      detail: `competencies: ${facts.met} of ${facts.total} signed off as met`,
    };
  }
}
