/** What the notifications feature tells itself: a stored e-mail waits to be sent. */
declare module 'src/events/domain-events' {
  interface DomainEvents {
    'mail.queued': { messageId: string };
  }
}

export const NOTIFICATION_EVENTS = ['mail.queued'] as const;
