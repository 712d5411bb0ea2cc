import { DateTime } from 'luxon';
import type { FieldErrors } from 'src/common/validation';
import { ATTENDANCE_STATUSES, AttendanceStatus } from 'src/cohorts/attendance.entity';
import type { RegisterRow } from 'src/cohorts/attendance.service';
import type { FacilitatorRole } from 'src/cohorts/cohort-facilitator.entity';
import type { CohortSession } from 'src/cohorts/cohort-session.entity';
import type { CohortStatus } from 'src/cohorts/cohort.entity';
import type { EnrolmentStatus } from 'src/cohorts/enrolment.entity';
import { describeSessionTime, LONDON } from 'src/cohorts/schedule';
import type { RequirementRow } from 'src/courses/completion-policy';
import { COURSE_CODES, COURSE_NAMES, CourseCode } from 'src/courses/course-code';

/** Labels, tags and view models of the facilitator's and the trainee's own pages: plain functions, unit-testable. */

// Mirrors the service's rule, only to tell the facilitator in advance; the service decides.
export const REGISTER_OPENS_BEFORE_START_MS = 60 * 60 * 1000;

export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = {
  present: 'Present',
  late: 'Late',
  absent: 'Absent',
  excused: 'Excused',
};

export const COHORT_STATUS_LABELS: Record<CohortStatus, string> = {
  draft: 'Draft',
  open: 'Open',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const COHORT_STATUS_TAGS: Record<CohortStatus, string> = {
  draft: 'grey',
  open: 'blue',
  in_progress: 'green',
  completed: 'purple',
  cancelled: 'red',
};

export const ENROLMENT_STATUS_LABELS: Record<EnrolmentStatus, string> = {
  requested: 'Place requested',
  enrolled: 'Enrolled',
  waitlisted: 'On the waiting list',
  withdrawn: 'Withdrawn',
  declined: 'Declined',
  completed: 'Completed',
};

export const ENROLMENT_STATUS_TAGS: Record<EnrolmentStatus, string> = {
  requested: 'yellow',
  enrolled: 'green',
  waitlisted: 'orange',
  withdrawn: 'grey',
  declined: 'red',
  completed: 'purple',
};

export const FACILITATOR_ROLE_TEXT: Record<FacilitatorRole, string> = {
  lead: 'the lead facilitator',
  co: 'a co-facilitator',
  trainee_facilitator: 'a trainee facilitator',
};

export const WITHDRAWABLE: EnrolmentStatus[] = ['requested', 'enrolled', 'waitlisted'];
export const WITH_PLACE: EnrolmentStatus[] = ['enrolled', 'completed'];

export const STATUS_FIELD = /^status\[([0-9a-fA-F-]{36})\]$/;
export const MADE_UP_FIELD = /^madeUp\[([0-9a-fA-F-]{36})\]$/;

export const courseName = (code: string | undefined) =>
  code && (COURSE_CODES as readonly string[]).includes(code)
    ? COURSE_NAMES[code as CourseCode]
    : (code ?? '');

/** "attendance" -> "Attendance", "prerequisite:foundation" -> "Prerequisite: Foundation". */
export function requirementLabel(key: string): string {
  const words = (part: string) => part.replace(/[_-]+/g, ' ');
  const capital = (part: string) => part.charAt(0).toUpperCase() + part.slice(1);
  return key
    .split(':')
    .map((part) => ((COURSE_CODES as readonly string[]).includes(part) ? courseName(part) : words(part)))
    .map(capital)
    .join(': ');
}

export const requirementView = (row: RequirementRow) => ({ ...row, label: requirementLabel(row.key) });

/** "Tue 20 Oct 2026, 17:00" in London time. */
export const londonTime = (at: Date) =>
  DateTime.fromJSDate(at, { zone: LONDON }).toFormat('ccc d LLL yyyy, HH:mm');

export const isScheduled = (session: CohortSession) => session.status === 'scheduled';

/** The session whose register matters now: the latest one whose register has opened, else the next one. */
export function registerSession(sessions: CohortSession[], now: number): CohortSession | null {
  const scheduled = sessions.filter(isScheduled);
  const opened = scheduled.filter((s) => s.startsAt.getTime() - REGISTER_OPENS_BEFORE_START_MS <= now);
  return opened.at(-1) ?? scheduled.find((s) => s.startsAt.getTime() > now) ?? null;
}

export function sessionLine(session: CohortSession, index: number) {
  return {
    id: session.id,
    title: session.title,
    number: index + 1,
    when: describeSessionTime(session.startsAt, session.endsAt),
    startsAt: session.startsAt,
    venue: session.venue,
    cancelled: session.status === 'cancelled',
  };
}

export function registerRowView(
  row: RegisterRow,
  submitted: Record<string, unknown> | undefined,
  errors: FieldErrors,
) {
  const fieldId = `mark-${row.enrolmentId}`;
  const status = submitted ? submitted[`status[${row.enrolmentId}]`] : row.status;
  const madeUp = submitted ? !!submitted[`madeUp[${row.enrolmentId}]`] : row.madeUp;
  return {
    enrolmentId: row.enrolmentId,
    traineeName: row.traineeName,
    fieldId,
    error: errors[fieldId]?.[0],
    recorded: row.status ? ATTENDANCE_LABELS[row.status] : null,
    madeUp,
    options: ATTENDANCE_STATUSES.map((value) => ({
      value,
      text: ATTENDANCE_LABELS[value],
      checked: status === value,
    })),
  };
}
