import { DateTime } from 'luxon';

/** Today's date in the UK, YYYY-MM-DD: the day a training lead or trainee would say it is. */
export const londonToday = (at = new Date()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at);

/** A day as people in the UK write it, "3 Mar 2026": a moment on its London day, a YYYY-MM-DD date as it is. */
export const londonDay = (at: Date | string) =>
  (typeof at === 'string' ? DateTime.fromISO(at, { zone: 'Europe/London' }) : DateTime.fromJSDate(at))
    .setZone('Europe/London')
    .toFormat('d LLL yyyy');

export const londonMoment = (at: Date) =>
  DateTime.fromJSDate(at).setZone('Europe/London').toFormat("d LLL yyyy 'at' HH:mm");
