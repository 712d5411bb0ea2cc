import { nextNightlyRun, retentionCutoff } from 'src/privacy/retention';

describe(retentionCutoff.name, () => {
  it('goes back whole calendar months at the same time of day', () => {
    expect(retentionCutoff(new Date('2026-12-02T02:30:00Z'), 72).toISOString()).toBe(
      '2020-12-02T02:30:00.000Z',
    );
  });

  it('stops at the end of a shorter month', () => {
    expect(retentionCutoff(new Date('2026-05-31T12:00:00+01:00'), 3).toISOString()).toBe(
      '2026-02-28T12:00:00.000Z',
    );
  });

  it('keeps the UK wall-clock time across a change of the clocks', () => {
    // 10:00 BST in July is 10:00 GMT in January.
    expect(retentionCutoff(new Date('2026-07-15T09:00:00Z'), 6).toISOString()).toBe(
      '2026-01-15T10:00:00.000Z',
    );
  });
});

describe(nextNightlyRun.name, () => {
  const next = (now: string) => nextNightlyRun(new Date(now)).toISOString();

  it('is tonight at 02:30 UK time, or tomorrow night once 02:30 has passed', () => {
    expect(next('2026-12-02T01:00:00Z')).toBe('2026-12-02T02:30:00.000Z');
    expect(next('2026-12-02T02:30:00Z')).toBe('2026-12-03T02:30:00.000Z');
    expect(next('2026-12-02T15:00:00Z')).toBe('2026-12-03T02:30:00.000Z');
    expect(next('2026-12-31T23:59:00Z')).toBe('2027-01-01T02:30:00.000Z');
  });

  it('is at 02:30 on the clock in the UK in summer time and on the nights the clocks change', () => {
    expect(next('2026-07-01T12:00:00Z')).toBe('2026-07-02T01:30:00.000Z');
    // Clocks go back at 02:00 BST on 25 October 2026, and forward at 01:00 GMT on 28 March 2027.
    expect(next('2026-10-24T12:00:00Z')).toBe('2026-10-25T02:30:00.000Z');
    expect(next('2027-03-27T12:00:00Z')).toBe('2027-03-28T01:30:00.000Z');
  });
});
