import { quarterEnds, quarterLabel, quarterStarts } from 'src/reports/quarters';

describe('quarters', () => {
  it('lists the quarter ends up to today, oldest first, today included when it is one', () => {
    expect(quarterEnds('2026-12-01', 3)).toEqual(['2026-03-31', '2026-06-30', '2026-09-30']);
    expect(quarterEnds('2026-09-30', 2)).toEqual(['2026-06-30', '2026-09-30']);
    expect(quarterEnds('2026-01-01', 2)).toEqual(['2025-09-30', '2025-12-31']);
  });

  it('lists the starts of the quarter today is in and those after it', () => {
    expect(quarterStarts('2026-12-01', 2)).toEqual(['2026-10-01', '2027-01-01']);
  });

  it('names a quarter by its months', () => {
    expect(quarterLabel('2026-09-30')).toBe('Jul–Sep 2026');
  });
});
