/** What the logbooks feature tells others. */
declare module 'src/events/domain-events' {
  interface DomainEvents {
    /** A reviewer returned an entry with feedback: the trainee has something to change. */
    'logbook.entry_returned': { entryId: string; enrolmentId: string; traineeId: string; reviewerId: string };
  }
}

export const LOGBOOK_EVENTS = ['logbook.entry_returned'] as const;
