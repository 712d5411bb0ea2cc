import { DateTime } from 'luxon';

/** The last days of the `count` quarters ended by `today` (YYYY-MM-DD), oldest first; `today` counts if it is one. */
export function quarterEnds(today: string, count: number): string[] {
  const day = DateTime.fromISO(today);
  let end = day.endOf('quarter').startOf('day');
  if (end > day) end = end.minus({ quarters: 1 }).endOf('quarter').startOf('day');
  return Array.from({ length: count }, (_, index) =>
    end
      .minus({ quarters: count - 1 - index })
      .endOf('quarter')
      .toISODate()!,
  );
}

/** The first days of the quarter `today` is in and of the `count - 1` after it. */
export function quarterStarts(today: string, count: number): string[] {
  const start = DateTime.fromISO(today).startOf('quarter');
  return Array.from({ length: count }, (_, index) => start.plus({ quarters: index }).toISODate()!);
}

/** A quarter as a calendar names it: "Jul–Sep 2026". */
export function quarterLabel(day: string): string {
  const start = DateTime.fromISO(day).startOf('quarter');
  return `${start.toFormat('LLL')}–${start.endOf('quarter').toFormat('LLL yyyy')}`;
}
