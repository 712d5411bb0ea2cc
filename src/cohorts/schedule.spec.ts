import { DateTime } from 'luxon';
import {
  assertBookable,
  describeSessionTime,
  expandWeekly,
  fromLondonInput,
  londonIso,
  LONDON,
  SessionTimes,
  weeklyScheduleFields,
} from 'src/cohorts/schedule';
import { FieldErrors, ValidationFailedException } from 'src/common/validation';

const londonTime = (at: Date) => DateTime.fromJSDate(at, { zone: LONDON }).toFormat('yyyy-MM-dd HH:mm ZZ');

describe(expandWeekly.name, () => {
  it('keeps 18:00 London time across the last Sunday of October (BST to GMT)', () => {
    const sessions = expandWeekly({
      firstStartsAt: new Date('2026-10-13T18:00:00+01:00'),
      durationMinutes: 120,
      count: 3,
      intervalWeeks: 1,
    });
    expect(sessions.map((s) => londonTime(s.startsAt))).toEqual([
      '2026-10-13 18:00 +01:00',
      '2026-10-20 18:00 +01:00',
      '2026-10-27 18:00 +00:00',
    ]);
    expect(sessions[2].startsAt.toISOString()).toBe('2026-10-27T18:00:00.000Z');
    expect(sessions[1].startsAt.toISOString()).toBe('2026-10-20T17:00:00.000Z');
    expect(sessions.map((s) => (s.endsAt.getTime() - s.startsAt.getTime()) / 60_000)).toEqual([
      120, 120, 120,
    ]);
  });

  it('keeps 09:30 London time across the last Sunday of March (GMT to BST)', () => {
    const sessions = expandWeekly({
      firstStartsAt: new Date('2027-03-22T09:30:00Z'),
      durationMinutes: 90,
      count: 2,
      intervalWeeks: 1,
    });
    expect(sessions.map((s) => londonTime(s.startsAt))).toEqual([
      '2027-03-22 09:30 +00:00',
      '2027-03-29 09:30 +01:00',
    ]);
    expect(sessions[1].startsAt.toISOString()).toBe('2027-03-29T08:30:00.000Z');
  });

  it('spaces sessions by the interval in weeks', () => {
    const sessions = expandWeekly({
      firstStartsAt: new Date('2026-01-05T10:00:00Z'),
      durationMinutes: 60,
      count: 3,
      intervalWeeks: 2,
    });
    expect(sessions.map((s) => s.startsAt.toISOString().slice(0, 10))).toEqual([
      '2026-01-05',
      '2026-01-19',
      '2026-02-02',
    ]);
  });
});

describe('London time helpers', () => {
  it('reads form input as London time and writes ISO with the offset', () => {
    const summer = fromLondonInput('2026-07-01', '18:00')!;
    expect(summer.toISOString()).toBe('2026-07-01T17:00:00.000Z');
    expect(londonIso(summer)).toBe('2026-07-01T18:00:00+01:00');
    expect(fromLondonInput('2026-02-30', '18:00')).toBeNull();
    expect(describeSessionTime(summer, new Date('2026-07-01T19:00:00Z'))).toBe(
      'Wed 1 Jul 2026, 18:00 to 20:00',
    );
  });
});

describe(assertBookable.name, () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const hours = (from: string, length: number): SessionTimes => ({
    startsAt: new Date(from),
    endsAt: new Date(new Date(from).getTime() + length * 3_600_000),
  });
  const byIndex = (index: number) => ({
    startsAt: `sessions.${index}.startsAt`,
    endsAt: `sessions.${index}.endsAt`,
  });
  const refusal = (sessions: SessionTimes[], fieldsOf = byIndex): FieldErrors => {
    try {
      assertBookable(sessions, fieldsOf, now);
    } catch (error) {
      if (error instanceof ValidationFailedException) return error.errors;
      throw error;
    }
    throw new Error('Not refused');
  };

  it('takes sessions from 2 years back to 5 years ahead lasting up to 12 hours', () => {
    expect(() =>
      assertBookable([hours('2024-06-02T09:00:00Z', 12), hours('2031-05-31T09:00:00Z', 1)], byIndex, now),
    ).not.toThrow();
  });

  it('refuses each session out of the window, too long or ending first, beside the field it came from', () => {
    expect(
      refusal([
        hours('2027-01-05T18:00:00Z', 2),
        hours('1900-01-02T18:00:00Z', 2),
        hours('2027-01-05T18:00:00Z', 67 * 365 * 24),
        hours('2027-01-05T08:00:00Z', 13),
        hours('2027-01-05T08:00:00Z', -1),
      ]),
    ).toEqual({
      'sessions.1.startsAt': ['A session can start at most 2 years ago'],
      'sessions.2.endsAt': ['A session lasts at most 12 hours'],
      'sessions.3.endsAt': ['A session lasts at most 12 hours'],
      'sessions.4.endsAt': ['A session must end after it starts'],
    });
  });

  it('puts a weekly series that runs out of the window on its count, and a first start too far on its date', () => {
    const fiftyTwoEveryEightWeeksFrom = (first: string) =>
      refusal(
        expandWeekly({ firstStartsAt: new Date(first), durationMinutes: 120, count: 52, intervalWeeks: 8 }),
        weeklyScheduleFields('schedule.'),
      );
    expect(fiftyTwoEveryEightWeeksFrom('2030-01-07T18:00:00Z')).toEqual({
      'schedule.count': ['A session can start at most 5 years ahead'],
    });
    expect(fiftyTwoEveryEightWeeksFrom('9999-01-05T18:00:00Z')).toEqual({
      'schedule.firstStartsAt': ['A session can start at most 5 years ahead'],
      'schedule.count': ['A session can start at most 5 years ahead'],
    });
  });
});
