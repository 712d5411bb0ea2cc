/** What the auth feature tells others. */
declare module 'src/events/domain-events' {
  interface DomainEvents {
    /** An active person asked to reset their password (and was within the hourly limit). */
    'auth.password_reset_requested': { userId: string };
  }
}

export const AUTH_EVENTS = ['auth.password_reset_requested'] as const;
