/** What data protection tells other features. */
declare module 'src/events/domain-events' {
  interface DomainEvents {
    /**
     * A person's data was erased (the transaction that did it has committed): their sessions end, and what lies
     * outside the database (certificates' PDFs) follows.
     */
    'user.erased': { userId: string; erasedById: string };
  }
}

export const PRIVACY_EVENTS = ['user.erased'] as const;
