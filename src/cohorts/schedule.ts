import { DateTime } from 'luxon';

export const LONDON = 'Europe/London';

export interface WeeklySchedule {
  /** The first session's start, as an instant; its wall-clock time in London is kept for every session. */
  firstStartsAt: Date;
  durationMinutes: number;
  count: number;
  intervalWeeks: number;
}

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
