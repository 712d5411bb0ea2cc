/** Messages by field path (`sessions.0.startsAt`): what a form shows beside each field and the API returns. */
export type FieldErrors = Record<string, string[]>;
