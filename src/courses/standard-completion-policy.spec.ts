import type { AttendanceFacts, LogbookFacts } from 'src/courses/progress-facts';
import { FacilitatorPolicy } from 'src/courses/facilitator/facilitator.policy';
import type { CourseRules } from 'src/courses/course-rules';
import { FoundationPolicy } from 'src/courses/foundation/foundation.policy';
import { SupervisionPolicy } from 'src/courses/supervision/supervision.policy';

const foundationRules: CourseRules = {
  sessions: 10,
  attendance: { minimumPercent: 90, lateCounts: true, excusedCountsWhenMadeUp: false },
  prerequisites: [],
  minAccreditedFacilitators: 2,
  logbook: {
    reflectionPerAttendedSession: true,
    practiceContacts: 6,
    supervisionReflections: 0,
    reflections: 0,
    observedCoFacilitation: false,
  },
  accreditationYears: null,
};
// Rules that ask nothing of the logbook, so that the attendance tests read only attendance.
const noLogbook: CourseRules['logbook'] = {
  reflectionPerAttendedSession: false,
  practiceContacts: 0,
  supervisionReflections: 0,
  reflections: 0,
  observedCoFacilitation: false,
};
const attendanceRules: CourseRules = { ...foundationRules, logbook: noLogbook };
const supervisionRules: CourseRules = {
  ...attendanceRules,
  sessions: 4,
  attendance: { minimumPercent: 100, lateCounts: true, excusedCountsWhenMadeUp: true },
  prerequisites: ['foundation'],
};

const logbook = (overrides: Partial<LogbookFacts> = {}): LogbookFacts => ({
  attendedSessions: 0,
  reflectedSessions: 0,
  acceptedReflections: 0,
  acceptedPracticeContacts: 0,
  acceptedSupervisionSessions: 0,
  observedCoFacilitations: 0,
  ...overrides,
});
const allMet = { met: 22, total: 22 };

const attendance = (overrides: Partial<AttendanceFacts>): AttendanceFacts => ({
  scheduled: 10,
  held: 10,
  present: 0,
  late: 0,
  absent: 0,
  excused: 0,
  excusedMadeUp: 0,
  ...overrides,
});

describe(FoundationPolicy.name, () => {
  const policy = new FoundationPolicy();

  it('reports 8 of 10 sessions as 80% below 90%, not eligible', () => {
    const report = policy.evaluate({
      rules: attendanceRules,
      attendance: attendance({ present: 7, late: 1, absent: 2 }),
      completedCourses: new Set(),
      logbook: logbook(),
      competencies: allMet,
    });
    expect(report).toEqual({
      eligible: false,
      requirements: [
        { key: 'attendance', met: false, detail: 'attendance: 8 of 10 sessions, 80% < 90%' },
        { key: 'competencies', met: true, detail: 'competencies: 22 of 22 signed off as met' },
      ],
    });
  });

  it('counts late arrivals and meets 90% with 9 of 10', () => {
    const report = policy.evaluate({
      rules: attendanceRules,
      attendance: attendance({ present: 6, late: 3, absent: 1 }),
      completedCourses: new Set(),
      logbook: logbook(),
      competencies: allMet,
    });
    expect(report.eligible).toBe(true);
    expect(report.requirements[0].detail).toBe('attendance: 9 of 10 sessions, 90% >= 90%');
  });

  it('reads the threshold from the course version, not from code', () => {
    const lenient = { ...attendanceRules, attendance: { ...attendanceRules.attendance, minimumPercent: 50 } };
    expect(
      policy.evaluate({
        rules: lenient,
        attendance: attendance({ present: 5 }),
        completedCourses: new Set(),
        logbook: logbook(),
        competencies: allMet,
      }).eligible,
    ).toBe(true);
  });
});

describe(SupervisionPolicy.name, () => {
  const policy = new SupervisionPolicy();

  it('needs a valid Foundation certificate first', () => {
    expect(policy.prerequisites(supervisionRules, new Set())).toEqual([
      { key: 'prerequisite:foundation', met: false, detail: 'needs a valid Foundation certificate' },
    ]);
    expect(policy.prerequisites(supervisionRules, new Set(['foundation']))[0].met).toBe(true);
  });

  it('counts an excused absence only once it is made up', () => {
    const pending = policy.evaluate({
      rules: supervisionRules,
      attendance: attendance({ scheduled: 4, present: 3, excused: 1 }),
      completedCourses: new Set(['foundation']),
      logbook: logbook(),
      competencies: allMet,
    });
    expect(pending.eligible).toBe(false);
    expect(pending.requirements[1].detail).toBe(
      'attendance: 3 of 4 sessions, 75% < 100%; 1 excused absence to make up',
    );
    const madeUp = policy.evaluate({
      rules: supervisionRules,
      attendance: attendance({ scheduled: 4, present: 3, excused: 1, excusedMadeUp: 1 }),
      completedCourses: new Set(['foundation']),
      logbook: logbook(),
      competencies: allMet,
    });
    expect(madeUp.eligible).toBe(true);
  });
});

describe('logbook rows', () => {
  it('Foundation: an accepted reflection per attended session and 6 practice contacts, saying what is missing', () => {
    const report = new FoundationPolicy().evaluate({
      rules: foundationRules,
      attendance: attendance({ present: 9, late: 1 }),
      completedCourses: new Set(),
      logbook: logbook({ attendedSessions: 10, reflectedSessions: 7, acceptedPracticeContacts: 4 }),
      competencies: allMet,
    });
    expect(report.requirements.slice(1, 3)).toEqual([
      {
        key: 'logbook:session_reflections',
        met: false,
        detail: 'session reflections: 7 of 10 attended sessions accepted',
      },
      { key: 'logbook:practice_contacts', met: false, detail: 'practice contacts: 4 of 6 accepted' },
    ]);
    expect(report.eligible).toBe(false);
    const complete = new FoundationPolicy().evaluate({
      rules: foundationRules,
      attendance: attendance({ present: 10 }),
      completedCourses: new Set(),
      logbook: logbook({ attendedSessions: 10, reflectedSessions: 10, acceptedPracticeContacts: 7 }),
      competencies: allMet,
    });
    expect(complete.eligible).toBe(true);
  });

  it('Facilitator: 3 reflections and an observed co-facilitation of a Foundation session', () => {
    const rules: CourseRules = {
      ...attendanceRules,
      prerequisites: ['foundation'],
      logbook: { ...noLogbook, reflections: 3, observedCoFacilitation: true },
    };
    const report = new FacilitatorPolicy().evaluate({
      rules,
      attendance: attendance({ present: 10 }),
      completedCourses: new Set(['foundation']),
      logbook: logbook({ acceptedReflections: 3 }),
      competencies: allMet,
    });
    expect(report.requirements.slice(2)).toEqual([
      { key: 'logbook:reflections', met: true, detail: 'reflections: 3 of 3 accepted' },
      {
        key: 'logbook:observed_co_facilitation',
        met: false,
        detail: 'observed co-facilitation of a Foundation session: none accepted yet',
      },
      { key: 'competencies', met: true, detail: 'competencies: 22 of 22 signed off as met' },
    ]);
  });
});

describe('competencies row', () => {
  const policy = new FoundationPolicy();
  const evaluate = (competencies: { met: number; total: number }) =>
    policy.evaluate({
      rules: attendanceRules,
      attendance: attendance({ present: 10 }),
      completedCourses: new Set(),
      logbook: logbook(),
      competencies,
    });

  it('is met only when every item of the framework has a current met sign-off', () => {
    expect(evaluate({ met: 21, total: 22 }).requirements[1]).toEqual({
      key: 'competencies',
      met: false,
      detail: 'competencies: 21 of 22 signed off as met',
    });
    expect(evaluate({ met: 21, total: 22 }).eligible).toBe(false);
    expect(evaluate({ met: 22, total: 22 }).eligible).toBe(true);
  });

  it('is never met for a course version without a framework', () => {
    expect(evaluate({ met: 0, total: 0 }).requirements[1]).toMatchObject({ met: false });
  });
});
