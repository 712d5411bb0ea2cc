/** What an erased account shows in place of the person: the same everywhere a name is read or stamped. */
export const ERASED_NAME = 'Erased person';

/**
 * The address an erased account keeps: unique (the column is), and never deliverable, as `.invalid` is reserved
 * for names that cannot exist (RFC 2606).
 */
export const erasedEmail = (userId: string) => `erased-${userId}@erased.invalid`;

export const isErasedAddress = (email: string) => /^erased-[0-9a-f-]{36}@erased\.invalid$/i.test(email);
