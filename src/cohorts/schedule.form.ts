import { DateTime } from 'luxon';
import { formText } from 'src/common/form-options';
import type { FieldErrors } from 'src/common/validation';
import { fromLondonInput, LONDON, londonIso } from 'src/cohorts/schedule';

/**
 * The cohort pages' schedule builder, read into the API's shape: weekly, or one session per line. Form times are
 * London wall-clock time. Errors are keyed by the form's own fields.
 */

type FormBody = Record<string, unknown>;

export const SCHEDULE_FIELDS = [
  'scheduleMode',
  'firstDate',
  'startTime',
  'durationMinutes',
  'count',
  'intervalWeeks',
  'sessionLines',
];

/** Where a refusal of the schedule as a whole is shown: beside the first date, or the list of lines. */
export const scheduleField = (mode: ScheduleMode | null) => (mode === 'list' ? 'sessionLines' : 'firstDate');

/** The session form (a date, a start and an end time) as the API's instants, with errors beside the form's fields. */
export function readSessionTimes(body: FormBody): {
  startsAt?: string;
  endsAt?: string;
  errors: FieldErrors;
} {
  const errors: FieldErrors = {};
  const date = formText(body.date);
  const startTime = formText(body.startTime);
  const endTime = formText(body.endTime);
  if (!isDate(date)) errors.date = [`Enter the date as YYYY-MM-DD, for example 2026-10-13`];
  if (!isTime(startTime))
    errors.startTime = ['Enter the start time as HH:mm on the 24-hour clock, like 18:00'];
  if (!isTime(endTime)) errors.endTime = ['Enter the end time as HH:mm on the 24-hour clock, like 20:00'];
  const startsAt = errors.date || errors.startTime ? null : londonTime(date, startTime);
  const endsAt = errors.date || errors.endTime ? null : londonTime(date, endTime);
  const skipped = 'That time does not exist in London on that day: the clocks go forward an hour';
  if (!errors.date && !errors.startTime && !startsAt) errors.startTime = [skipped];
  if (!errors.date && !errors.endTime && !endsAt) errors.endTime = [skipped];
  if (startsAt && endsAt && endsAt <= startsAt) errors.endTime = ['The session must end after it starts'];
  return startsAt && endsAt
    ? { startsAt: londonIso(startsAt), endsAt: londonIso(endsAt), errors }
    : { errors };
}

/**
 * The DTO's nested keys (`schedule.count`, `sessions.0.title`) shown beside the builder's own fields; a refused
 * session says which one it is.
 */
export function scheduleErrorsFromDto(errors: FieldErrors | null, mode: ScheduleMode | null): FieldErrors {
  const result: FieldErrors = {};
  for (const [key, raw] of Object.entries(errors ?? {})) {
    let field = key;
    let messages = raw;
    const session = /^sessions\.(\d+)\./.exec(key);
    if (key.startsWith('schedule.')) {
      const inner = key.slice('schedule.'.length);
      field = inner === 'firstStartsAt' ? 'firstDate' : inner;
    } else if (key.startsWith('sessions') || key === 'schedule') {
      field = scheduleField(mode);
      if (session) messages = raw.map((message) => `Session ${Number(session[1]) + 1}: ${message}`);
    }
    result[field] = [...(result[field] ?? []), ...messages];
  }
  return result;
}

export const SESSION_FIELDS = ['date', 'startTime', 'endTime', 'venue', 'title'];

/** The session's times as the API names them, shown beside the form's fields: a start by its date, an end by its time. */
export function sessionFormErrors(errors: FieldErrors | null): FieldErrors {
  const result: FieldErrors = {};
  const formField: Record<string, string> = { startsAt: 'date', endsAt: 'endTime' };
  for (const [key, messages] of Object.entries(errors ?? {})) {
    const field = formField[key] ?? key;
    result[field] = [...(result[field] ?? []), ...messages];
  }
  return result;
}

export type ScheduleMode = 'weekly' | 'list';

export interface ScheduleInput {
  sessions?: SessionLine[];
  schedule?: Record<string, unknown>;
}

const SESSION_LINE = /^(\S+)\s+(\S+?)\s*[-–]\s*(\d{1,2}:\d{2})(?:\s+(.*))?$/;
const LINE_FORMAT = 'write it as YYYY-MM-DD HH:mm-HH:mm Title, for example 2026-10-13 18:00-20:00 Welcome';
const MAX_SESSIONS = 52;

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
}

function isTime(value: string): boolean {
  return /^([01]?\d|2[0-3]):[0-5]\d$/.test(value);
}

/**
 * A London wall-clock date and time as an instant; null when the clocks skip that time (the hour lost on the last
 * Sunday of March), rather than silently moving it an hour later.
 */
function londonTime(date: string, time: string): Date | null {
  const padded = time.padStart(5, '0');
  const at = fromLondonInput(date, padded);
  if (!at) return null;
  return DateTime.fromJSDate(at, { zone: LONDON }).toFormat('yyyy-LL-dd HH:mm') === `${date} ${padded}`
    ? at
    : null;
}

/**
 * Reads the schedule builder into the API's shape (`schedule` or `sessions`), with errors keyed by the form's
 * fields. A weekly count left blank takes `defaultCount` (the course's usual number of sessions).
 */
export function readSchedule(
  body: FormBody,
  defaultCount?: number,
): { mode: ScheduleMode | null; input: ScheduleInput; errors: FieldErrors } {
  const mode = formText(body.scheduleMode);
  if (mode === 'list') return { mode, ...readSessionLines(body.sessionLines) };
  if (mode !== 'weekly')
    return { mode: null, input: {}, errors: { scheduleMode: ['Choose how to enter the sessions'] } };
  const errors: FieldErrors = {};
  const date = formText(body.firstDate);
  const time = formText(body.startTime);
  if (!isDate(date))
    errors.firstDate = ['Enter the date of the first session as YYYY-MM-DD, for example 2026-10-13'];
  if (!isTime(time))
    errors.startTime = ['Enter the start time as HH:mm on the 24-hour clock, for example 18:00'];
  const first = errors.firstDate || errors.startTime ? null : londonTime(date, time);
  if (!errors.firstDate && !errors.startTime && !first)
    errors.startTime = [
      'That time does not exist in London on that day: the clocks go forward an hour. Choose another time',
    ];
  const count = formText(body.count);
  const schedule = {
    firstStartsAt: first ? londonIso(first) : undefined,
    durationMinutes: formText(body.durationMinutes),
    count: count === '' && defaultCount !== undefined ? String(defaultCount) : count,
    intervalWeeks: formText(body.intervalWeeks),
  };
  // The numbers are checked by the API's own DTO; without a valid start it is left out and only they are checked.
  return {
    mode,
    input: first ? { schedule } : {},
    errors: first ? errors : { ...errors, ...numberErrors(schedule) },
  };
}

function numberErrors(schedule: Record<string, string | undefined>): FieldErrors {
  const errors: FieldErrors = {};
  const check = (field: string, min: number, max: number, message: string) => {
    const raw = schedule[field] ?? '';
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) errors[field] = [message];
  };
  check('durationMinutes', 15, 720, 'A session lasts from 15 to 720 minutes');
  check('count', 1, MAX_SESSIONS, `Schedule from 1 to ${MAX_SESSIONS} sessions`);
  check('intervalWeeks', 1, 8, 'Sessions are 1 to 8 weeks apart');
  return errors;
}

type SessionLine = { startsAt: string; endsAt: string; title?: string };

/** One session per line: `YYYY-MM-DD HH:mm-HH:mm Title` (the title may be left out). Blank lines are skipped. */
function readSessionLines(raw: unknown): { input: ScheduleInput; errors: FieldErrors } {
  const problems: string[] = [];
  const sessions: SessionLine[] = [];
  const lines = (typeof raw === 'string' ? raw : '').split(/\r\n|\r|\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const parsed = parseSessionLine(line.trim());
    if (typeof parsed === 'string') problems.push(`Line ${index + 1}: ${parsed}`);
    else sessions.push(parsed);
  }
  if (problems.length === 0 && sessions.length === 0)
    problems.push('Enter at least one session, one per line');
  if (sessions.length > MAX_SESSIONS) problems.push(`Enter at most ${MAX_SESSIONS} sessions`);
  return problems.length > 0
    ? { input: {}, errors: { sessionLines: problems } }
    : { input: { sessions }, errors: {} };
}

/** The session a line describes, or what is wrong with it. */
function parseSessionLine(line: string): SessionLine | string {
  const match = SESSION_LINE.exec(line);
  if (!match) return `“${truncate(line)}” is not a session; ${LINE_FORMAT}`;
  const [, date, start, end, rawTitle = ''] = match;
  const title = rawTitle.trim();
  if (!isDate(date)) return `${truncate(date)} is not a date; ${LINE_FORMAT}`;
  if (!isTime(start)) return `${truncate(start)} is not a time on the 24-hour clock; ${LINE_FORMAT}`;
  if (!isTime(end)) return `${end} is not a time on the 24-hour clock; ${LINE_FORMAT}`;
  const startsAt = londonTime(date, start);
  const endsAt = londonTime(date, end);
  if (!startsAt || !endsAt)
    return 'that time does not exist in London on that day: the clocks go forward an hour';
  if (endsAt <= startsAt) return 'the session must end after it starts';
  if (title.length > 200) return 'the title must be 200 characters or fewer';
  return { startsAt: londonIso(startsAt), endsAt: londonIso(endsAt), ...(title ? { title } : {}) };
}

const truncate = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);
