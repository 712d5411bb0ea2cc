import { retentionCutoff } from 'src/privacy/retention';

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
