import { COURSE_NAMES, CourseCode } from 'src/courses/course-code';
import type { CourseRules } from 'src/courses/course-rules';
import type {
  CompletionPolicy,
  ProgressFacts,
  ProgressReport,
  RequirementRow,
} from 'src/courses/completion-policy';
import type { AttendanceFacts, CompetencyFacts, LogbookFacts } from 'src/courses/progress-facts';

type StandardFact = 'attendance' | 'completedCourses' | 'logbook' | 'competencies';

/**
 * The rules the three courses share, each read from the course version: prerequisites, attendance and the
 * competency framework.
 * Course modules extend it with what is particular to them.
 */
export class StandardCompletionPolicy implements CompletionPolicy<StandardFact> {
  readonly needs: readonly StandardFact[] = ['attendance', 'completedCourses', 'logbook', 'competencies'];
  readonly accredits: CourseCode | null = null;

  constructor(readonly courseCode: CourseCode) {}

  prerequisites(rules: CourseRules, completedCourses: ReadonlySet<CourseCode>): RequirementRow[] {
    return rules.prerequisites.map((code) => {
      const met = completedCourses.has(code);
      return {
        key: `prerequisite:${code}`,
        met,
        detail: met ? `${COURSE_NAMES[code]} completed` : `needs a valid ${COURSE_NAMES[code]} certificate`,
      };
    });
  }

  evaluate(facts: ProgressFacts<StandardFact>): ProgressReport {
    const requirements = [
      ...this.prerequisites(facts.rules, facts.completedCourses),
      this.attendance(facts.rules, facts.attendance),
      ...this.logbook(facts.rules, facts.logbook),
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

  /** One row per logbook expectation the course version sets; none for those it leaves at zero. */
  protected logbook(rules: CourseRules, facts: LogbookFacts): RequirementRow[] {
    const expected = rules.logbook;
    const rows: RequirementRow[] = [];
    const count = (key: string, label: string, accepted: number, needed: number) =>
      rows.push({
        key,
        met: accepted >= needed,
        detail: `${label}: ${Math.min(accepted, needed)} of ${needed} accepted`,
      });
    if (expected.reflectionPerAttendedSession)
      rows.push({
        key: 'logbook:session_reflections',
        met: facts.attendedSessions > 0 && facts.reflectedSessions >= facts.attendedSessions,
        detail: `session reflections: ${facts.reflectedSessions} of ${facts.attendedSessions} attended sessions accepted`,
      });
    if (expected.practiceContacts > 0)
      count(
        'logbook:practice_contacts',
        'practice contacts',
        facts.acceptedPracticeContacts,
        expected.practiceContacts,
      );
    if (expected.supervisionReflections > 0)
      count(
        'logbook:supervision_reflections',
        'supervision reflections',
        facts.acceptedSupervisionSessions,
        expected.supervisionReflections,
      );
    if (expected.reflections > 0)
      count('logbook:reflections', 'reflections', facts.acceptedReflections, expected.reflections);
    if (expected.observedCoFacilitation)
      rows.push({
        key: 'logbook:observed_co_facilitation',
        met: facts.observedCoFacilitations > 0,
        detail:
          facts.observedCoFacilitations > 0
            ? 'observed co-facilitation of a Foundation session: accepted'
            : 'observed co-facilitation of a Foundation session: none accepted yet',
      });
    return rows;
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
