/** What in a person's account decides what they may do and see. */
export type AccessChange = 'roles' | 'organisation' | 'disabled';

/** What the users feature tells others. */
declare module 'src/events/domain-events' {
  interface DomainEvents {
    /** An account was made without a password, or its invitation sent again: the person needs a link. */
    'user.invited': { userId: string; invitedById: string | null };
    /** Someone changed a person's roles or organisation, or disabled the account: what they may do has changed. */
    'user.access_changed': {
      userId: string;
      changedById: string;
      changes: AccessChange[];
    };
  }
}

export const USER_EVENTS = ['user.invited', 'user.access_changed'] as const;
