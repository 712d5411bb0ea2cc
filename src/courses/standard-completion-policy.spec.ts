import type { AttendanceFacts } from 'src/courses/progress-facts';
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
const supervisionRules: CourseRules = {
  ...foundationRules,
  sessions: 4,
  attendance: { minimumPercent: 100, lateCounts: true, excusedCountsWhenMadeUp: true },
  prerequisites: ['foundation'],
};

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
      rules: foundationRules,
      attendance: attendance({ present: 7, late: 1, absent: 2 }),
      completedCourses: new Set(),
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
      rules: foundationRules,
      attendance: attendance({ present: 6, late: 3, absent: 1 }),
      completedCourses: new Set(),
      competencies: allMet,
    });
    expect(report.eligible).toBe(true);
    expect(report.requirements[0].detail).toBe('attendance: 9 of 10 sessions, 90% >= 90%');
  });

  it('reads the threshold from the course version, not from code', () => {
    const lenient = { ...foundationRules, attendance: { ...foundationRules.attendance, minimumPercent: 50 } };
    expect(
      policy.evaluate({
        rules: lenient,
        attendance: attendance({ present: 5 }),
        completedCourses: new Set(),
        competencies: allMet,
      }).eligible,
    ).toBe(true);
  });
});

describe(SupervisionPolicy.name, () => {
  const policy = new SupervisionPolicy();

  it('needs a completed Foundation course first', () => {
    expect(policy.prerequisites(supervisionRules, new Set())).toEqual([
      { key: 'prerequisite:foundation', met: false, detail: 'needs a completed Foundation course' },
    ]);
    expect(policy.prerequisites(supervisionRules, new Set(['foundation']))[0].met).toBe(true);
  });

  it('counts an excused absence only once it is made up', () => {
    const pending = policy.evaluate({
      rules: supervisionRules,
      attendance: attendance({ scheduled: 4, present: 3, excused: 1 }),
      completedCourses: new Set(['foundation']),
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
      competencies: allMet,
    });
    expect(madeUp.eligible).toBe(true);
  });
});

describe('competencies row', () => {
  const policy = new FoundationPolicy();
  const evaluate = (competencies: { met: number; total: number }) =>
    policy.evaluate({
      rules: foundationRules,
      attendance: attendance({ present: 10 }),
      completedCourses: new Set(),
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
