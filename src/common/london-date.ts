/** Today's date in the UK, YYYY-MM-DD: the day a training lead or trainee would say it is. */
export const londonToday = (at = new Date()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at);

/** A moment's date in the UK as written in a letter: 1 December 2026. */
export const londonLongDate = (at: Date) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long' }).format(at);
