/** What the users feature tells others. */
declare module 'src/events/domain-events' {
  interface DomainEvents {
    /** An account was made without a password, or its invitation sent again: the person needs a link. */
    'user.invited': { userId: string; invitedById: string | null };
  }
}

export const USER_EVENTS = ['user.invited'] as const;
