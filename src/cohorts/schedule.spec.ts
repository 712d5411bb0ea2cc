import { DateTime } from 'luxon';
import { describeSessionTime, expandWeekly, fromLondonInput, londonIso, LONDON } from 'src/cohorts/schedule';

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
