import { DateTime } from 'luxon';
import type { FieldErrors } from 'src/common/validation';
import { ATTENDANCE_STATUSES, AttendanceStatus } from 'src/cohorts/attendance.entity';
import { REGISTER_OPENS_BEFORE_START_MS, RegisterRow } from 'src/cohorts/attendance.service';
import { FACILITATOR_ROLES, FacilitatorRole } from 'src/cohorts/cohort-facilitator.entity';
import type { BulkEnrolmentResult, BulkOutcome, BulkRowResult } from 'src/cohorts/bulk-enrolment.service';
import type { CohortDetail } from 'src/cohorts/cohorts.service';
import type { EnrolmentView } from 'src/cohorts/enrolments.service';
import { formList, options } from 'src/common/form-options';
import type { CohortSession } from 'src/cohorts/cohort-session.entity';
import { Cohort, CohortStatus, DELIVERY_MODES, DeliveryMode } from 'src/cohorts/cohort.entity';
import { ACTIVE_ENROLMENT_STATUSES, EnrolmentStatus } from 'src/cohorts/enrolment.entity';
import { describeSessionTime, LONDON, londonIso, sessionVenue } from 'src/cohorts/schedule';
import type { RequirementRow } from 'src/courses/completion-policy';
import { COURSE_CODES, COURSE_NAMES, CourseCode } from 'src/courses/course-code';

/** The cohorts feature's one presenter: labels, tag colours and page view models, as plain unit-testable functions. */

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
  open: 'green',
  in_progress: 'blue',
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

export const DELIVERY_LABELS: Record<DeliveryMode, string> = {
  in_person: 'In person',
  online: 'Online',
  blended: 'Blended (in person and online)',
};

export const FACILITATOR_ROLE_LABELS: Record<FacilitatorRole, string> = {
  lead: 'Lead facilitator',
  co: 'Co-facilitator',
  trainee_facilitator: 'Trainee facilitator',
};

export const cohortStatusTag = (status: CohortStatus) => ({
  status,
  statusLabel: COHORT_STATUS_LABELS[status],
  statusColour: COHORT_STATUS_TAGS[status],
});

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

export function sessionLine(
  session: CohortSession,
  index: number,
  cohort: Pick<Cohort, 'venue' | 'deliveryMode'>,
) {
  return {
    id: session.id,
    title: session.title,
    number: index + 1,
    when: describeSessionTime(session.startsAt, session.endsAt),
    startsAt: session.startsAt,
    venue: sessionVenue(session, cohort) ?? 'To be confirmed',
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

export const STATUS_BUTTON_TEXT: Partial<Record<CohortStatus, string>> = {
  open: 'Open for enrolment',
  in_progress: 'Start the cohort',
  completed: 'Mark as completed',
};

export const STATUS_DONE: Partial<Record<CohortStatus, string>> = {
  open: 'The cohort is open: trainees can now ask for a place.',
  in_progress: 'The cohort has started.',
  completed: 'The cohort is completed. Trainees who met every requirement have completed the course.',
};

export interface PickablePerson {
  id: string;
  name: string;
  email: string;
  status?: string;
  organisationName?: string | null;
}

const personOption = (user: PickablePerson, selected: unknown) => ({
  value: user.id,
  text: user.organisationName ? `${user.name} (${user.organisationName})` : user.name,
  selected: user.id === selected,
});

function ownPlaceLabel(enrolment: EnrolmentView): string {
  if (enrolment.status === 'waitlisted') return `Number ${enrolment.waitlistPosition} on the waiting list`;
  if (enrolment.status === 'requested') return 'Requested: waiting for a training lead to approve';
  return enrolment.status === 'completed' ? 'Completed' : 'You have a place';
}

/** The cohort page: what it is, its sessions and people, and only the actions the service allows the viewer. */
export function cohortPageView(input: {
  detail: CohortDetail;
  enrolments: EnrolmentView[];
  viewerId: string;
  /** People a manager can add; empty for anyone else. */
  trainees: PickablePerson[];
  facilitators: PickablePerson[];
  values: Record<string, unknown>;
}) {
  const { detail, enrolments, values } = input;
  const { cohort, access, actions } = detail;
  const runsRegister = access.manage || access.facilitate;
  const holding = new Set(
    enrolments.filter((e) => ACTIVE_ENROLMENT_STATUSES.includes(e.status)).map((e) => e.traineeId),
  );
  const assigned = new Set(detail.facilitators.map((f) => f.userId));
  const person = (e: EnrolmentView) => ({
    id: e.id,
    name: e.traineeName,
    email: e.traineeEmail,
    completed: e.status === 'completed',
    canWithdraw: actions.edit && e.status !== 'completed',
  });
  const mine = runsRegister ? undefined : enrolments.find((e) => e.traineeId === input.viewerId);
  return {
    cohort: {
      id: cohort.id,
      title: cohort.title,
      course: courseName(cohort.courseVersion?.courseCode),
      courseVersion: cohort.courseVersion?.version,
      courseTitle: cohort.courseVersion?.title,
      ...cohortStatusTag(cohort.status),
      capacity: cohort.capacity,
      delivery: DELIVERY_LABELS[cohort.deliveryMode],
      venue: cohort.venue,
      organisation: cohort.organisation?.name ?? '',
      area: cohort.area?.name ?? '',
    },
    counts: detail.counts,
    access,
    managing: actions.edit,
    runsRegister,
    calendarHref: `/api/v1/cohorts/${cohort.id}/calendar.ics`,
    progressHref: runsRegister ? `/cohorts/${cohort.id}/progress` : null,
    sessions: detail.sessions.map((session, index) => ({
      ...sessionLine(session, index, cohort),
      time: describeSessionTime(session.startsAt, session.endsAt),
      startsAt: londonIso(session.startsAt),
      changeHref: actions.edit && isScheduled(session) ? `/sessions/${session.id}/edit` : null,
      registerHref: runsRegister && isScheduled(session) ? `/sessions/${session.id}/register` : null,
    })),
    facilitators: detail.facilitators.map((f) => ({
      userId: f.userId,
      name: f.name,
      role: FACILITATOR_ROLE_LABELS[f.role],
      accredited: f.accredited,
    })),
    enrolled: enrolments.filter((e) => WITH_PLACE.includes(e.status)).map(person),
    waiting: enrolments
      .filter((e) => e.status === 'waitlisted')
      .sort((a, b) => (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0))
      .map((e) => ({ ...person(e), position: e.waitlistPosition })),
    requests: enrolments.filter((e) => e.status === 'requested').map(person),
    mine: mine && {
      status: mine.status,
      waitlistPosition: mine.waitlistPosition,
      label: ownPlaceLabel(mine),
    },
    statusActions: actions.statuses.map((status) => ({ status, text: STATUS_BUTTON_TEXT[status] ?? status })),
    canCancel: actions.cancel,
    traineeOptions: input.trainees
      .filter((user) => !holding.has(user.id))
      .map((user) => ({
        ...personOption(user, values.traineeId),
        text: `${user.name} (${user.email})${user.status === 'invited' ? ', not signed in yet' : ''}`,
      })),
    facilitatorOptions: input.facilitators
      .filter((user) => !assigned.has(user.id))
      .map((user) => personOption(user, values.userId)),
    facilitatorRoleOptions: options(FACILITATOR_ROLES, FACILITATOR_ROLE_LABELS, values.role ?? 'co'),
  };
}

const BULK_OUTCOME_TAGS: Record<BulkOutcome, { text: string; colour: string }> = {
  invite: { text: 'New: invited', colour: 'blue' },
  existing: { text: 'Has an account', colour: 'green' },
  already_enrolled: { text: 'Already on this cohort', colour: 'grey' },
  error: { text: 'Cannot be added', colour: 'red' },
};

function placeText(row: BulkRowResult): string {
  if (row.outcome === 'already_enrolled') return 'Nothing changes';
  if (row.place === 'waitlisted') return `Waiting list, number ${row.waitlistPosition}`;
  return row.place === 'enrolled' ? 'A place' : '';
}

/** The preview of a list (what will happen to each person) or, once carried out, what did. */
export function bulkEnrolmentView(result: BulkEnrolmentResult, placesLeft: number) {
  const { summary } = result;
  const willAdd = summary.enrolled + summary.waitlisted;
  return {
    preview: result.dryRun,
    done: !result.dryRun,
    canConfirm: result.dryRun && willAdd > 0,
    placesLeft: Math.max(placesLeft, 0),
    summary,
    willAdd,
    rows: result.rows.map((row) => ({
      ...row,
      tag: BULK_OUTCOME_TAGS[row.outcome],
      placeText: placeText(row),
    })),
  };
}

type OpenCohort = Cohort & { enrolledCount: number; nextSessionAt: Date | null };

/**
 * The "Find a course" page: open cohorts with places left in the area chosen, the areas that have any, and for
 * each cohort whether the trainee is already on it.
 */
export function findACourseView(input: {
  everywhere: OpenCohort[];
  filters: { area?: string; course?: CourseCode };
  held: Array<{ cohortId: string; status: EnrolmentStatus }>;
  errors: FieldErrors | null;
  /** The trainee's own area, offered even when nothing is open there. */
  ownArea?: { id: string; name: string } | null;
}) {
  const { everywhere, filters } = input;
  const areas = new Map(everywhere.filter((c) => c.area).map((c) => [c.areaId, c.area!.name]));
  if (input.ownArea) areas.set(input.ownArea.id, input.ownArea.name);
  const held = new Map(
    input.held.filter((e) => ACTIVE_ENROLMENT_STATUSES.includes(e.status)).map((e) => [e.cohortId, e.status]),
  );
  const shown = everywhere.filter((cohort) => !filters.area || cohort.areaId === filters.area);
  return {
    filterErrors: Object.values(input.errors ?? {}).map((messages) => messages[0]),
    areaOptions: [...areas]
      .sort(([, a], [, b]) => a.localeCompare(b))
      .map(([value, text]) => ({ value, text, selected: value === filters.area })),
    courseOptions: COURSE_CODES.map((code) => ({
      value: code,
      text: COURSE_NAMES[code],
      selected: code === filters.course,
    })),
    areaName: filters.area ? (areas.get(filters.area) ?? null) : null,
    cohorts: shown.map((cohort) => ({
      id: cohort.id,
      title: cohort.title,
      courseName: courseName(cohort.courseVersion?.courseCode),
      organisation: cohort.organisation?.name ?? '',
      area: cohort.area?.name ?? '',
      delivery: DELIVERY_LABELS[cohort.deliveryMode],
      venue: cohort.deliveryMode === 'online' ? null : cohort.venue,
      nextSession: cohort.nextSessionAt ? londonTime(cohort.nextSessionAt) : null,
      placesLeft: cohort.capacity - cohort.enrolledCount,
      heldLabel: held.has(cohort.id) ? ENROLMENT_STATUS_LABELS[held.get(cohort.id)!] : null,
      fieldId: `cohort-${cohort.id}`,
    })),
  };
}

/** The create-cohort form: the courses with their usual number of sessions, and the choices the actor has. */
export function newCohortFormView(input: {
  courses: Array<{ courseCode: CourseCode; version: number; title: string; rules: { sessions: number } }>;
  hosts: Array<{ id: string; name: string; areaId: string }>;
  areas: Array<{ id: string; name: string }>;
  facilitators: PickablePerson[];
  values: Record<string, unknown>;
}) {
  const { courses, hosts, values } = input;
  const organisationId =
    typeof values.organisationId === 'string' ? values.organisationId : hosts.length === 1 ? hosts[0].id : '';
  const areaId =
    typeof values.areaId === 'string' ? values.areaId : hosts.find((o) => o.id === organisationId)?.areaId;
  const chosenFacilitators = formList(values.facilitatorIds);
  return {
    isNew: true,
    action: '/cohorts',
    backHref: '/cohorts',
    backText: 'All cohorts',
    canCreate: hosts.length > 0,
    current: { intervalWeeks: '1', ...values, scheduleMode: values.scheduleMode ?? 'weekly' },
    courseOptions: courses.map((course) => ({
      value: course.courseCode,
      text: `${COURSE_NAMES[course.courseCode]} (version ${course.version})`,
      hint: `${course.title}. Usually ${course.rules.sessions} sessions.`,
      selected: values.courseCode === course.courseCode,
    })),
    countHint: `Leave blank for the course’s usual number: ${courses
      .map((course) => `${COURSE_NAMES[course.courseCode]} ${course.rules.sessions}`)
      .join(', ')}.`,
    organisationOptions: hosts.map((o) => ({ value: o.id, text: o.name, selected: o.id === organisationId })),
    areaOptions: input.areas.map((area) => ({
      value: area.id,
      text: area.name,
      selected: area.id === areaId,
    })),
    deliveryOptions: options(DELIVERY_MODES, DELIVERY_LABELS, values.deliveryMode),
    facilitatorOptions: input.facilitators.map((user) => ({
      ...personOption(user, undefined),
      selected: chosenFacilitators.includes(user.id),
    })),
  };
}
