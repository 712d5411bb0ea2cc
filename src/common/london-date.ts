/** Today's date in the UK, YYYY-MM-DD: the day a training lead or trainee would say it is. */
export const londonToday = (at = new Date()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at);
