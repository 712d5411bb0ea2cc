import { DateTime } from 'luxon';
import { FieldErrors, ValidationFailedException } from 'src/common/validation';

export const LONDON = 'Europe/London';

export interface WeeklySchedule {
  /** The first session's start, as an instant; its wall-clock time in London is kept for every session. */
  firstStartsAt: Date;
  durationMinutes: number;
  count: number;
  intervalWeeks: number;
}

/** Sessions are booked from 2 years back (registers kept up to date) to 5 years ahead, and last up to 12 hours. */
export const SESSION_WINDOW = { yearsBack: 2, yearsAhead: 5 } as const;
export const MAX_SESSION_HOURS = 12;

/** Why a session cannot start at this time, or null when it can. */
export function sessionStartProblem(startsAt: Date, now = new Date()): string | null {
  const at = DateTime.fromJSDate(startsAt);
  const today = DateTime.fromJSDate(now, { zone: LONDON });
  if (at < today.minus({ years: SESSION_WINDOW.yearsBack }))
    return `A session can start at most ${SESSION_WINDOW.yearsBack} years ago`;
  if (at > today.plus({ years: SESSION_WINDOW.yearsAhead }))
    return `A session can start at most ${SESSION_WINDOW.yearsAhead} years ahead`;
  return null;
}

/** Why a session cannot run from `startsAt` to `endsAt`, or null when it can. */
export function sessionLengthProblem(times: SessionTimes): string | null {
  if (times.endsAt <= times.startsAt) return 'A session must end after it starts';
  if (times.endsAt.getTime() - times.startsAt.getTime() > MAX_SESSION_HOURS * 3_600_000)
    return `A session lasts at most ${MAX_SESSION_HOURS} hours`;
  return null;
}

/** The fields a session's start and end came from, so that a refusal is shown beside the one to correct. */
export interface SessionTimeFields {
  startsAt: string;
  endsAt: string;
}

/**
 * The one check every session time passes before it is stored, whether typed one by one, expanded from a weekly
 * schedule, or moved: it starts inside the booking window, ends after it starts and lasts at most 12 hours.
 * Refuses with 400 and a message beside the field each session's time came from (`fieldsOf(index)`).
 */
export function assertBookable(
  sessions: SessionTimes[],
  fieldsOf: (index: number) => SessionTimeFields,
  now = new Date(),
): void {
  const errors: FieldErrors = {};
  const refuse = (field: string, problem: string | null) => {
    if (problem && !errors[field]?.includes(problem)) errors[field] = [...(errors[field] ?? []), problem];
  };
  sessions.forEach((times, index) => {
    const fields = fieldsOf(index);
    refuse(fields.startsAt, sessionStartProblem(times.startsAt, now));
    refuse(fields.endsAt, sessionLengthProblem(times));
  });
  if (Object.keys(errors).length > 0) throw new ValidationFailedException(errors);
}

/** Where a weekly schedule's refusals belong: a series that runs out of the window does so by its count. */
export const weeklyScheduleFields =
  (prefix: string) =>
  (index: number): SessionTimeFields => ({
    startsAt: `${prefix}${index === 0 ? 'firstStartsAt' : 'count'}`,
    endsAt: `${prefix}durationMinutes`,
  });

export interface SessionTimes {
  startsAt: Date;
  endsAt: Date;
}

/**
 * Expands "weekly x N" into UTC instants. Each session starts at the same London wall-clock time, so a series
 * that crosses the last Sunday of October or of March stays at 18:00 local rather than drifting an hour.
 */
export function expandWeekly(schedule: WeeklySchedule): SessionTimes[] {
  const first = DateTime.fromJSDate(schedule.firstStartsAt, { zone: LONDON });
  return Array.from({ length: schedule.count }, (_, index) => {
    const start = first.plus({ weeks: index * schedule.intervalWeeks });
    return {
      startsAt: start.toJSDate(),
      endsAt: start.plus({ minutes: schedule.durationMinutes }).toJSDate(),
    };
  });
}

/** "Tue 20 Oct 2026, 18:00 to 20:00" in London time. */
export function describeSessionTime(startsAt: Date, endsAt: Date): string {
  const start = DateTime.fromJSDate(startsAt, { zone: LONDON });
  const end = DateTime.fromJSDate(endsAt, { zone: LONDON });
  const sameDay = start.hasSame(end, 'day');
  return `${start.toFormat('ccc d LLL yyyy, HH:mm')} to ${sameDay ? end.toFormat('HH:mm') : end.toFormat('ccc d LLL yyyy, HH:mm')}`;
}

/** An ISO 8601 string with London's offset, as the API returns times. */
export function londonIso(at: Date): string {
  return DateTime.fromJSDate(at, { zone: LONDON }).toISO({ suppressMilliseconds: true }) ?? at.toISOString();
}

/** Reads a date and time typed into a form (YYYY-MM-DD and HH:mm) as London wall-clock time. */
export function fromLondonInput(date: string, time: string): Date | null {
  const parsed = DateTime.fromISO(`${date}T${time}`, { zone: LONDON });
  return parsed.isValid ? parsed.toJSDate() : null;
}

/** Where a session takes place, the one rule for every page, e-mail and calendar: online, its own venue, else the cohort's. */
export function sessionVenue(
  session: { venue: string | null },
  cohort: { venue: string | null; deliveryMode: string },
): string | null {
  return cohort.deliveryMode === 'online' ? 'Online' : (session.venue ?? cohort.venue);
}
