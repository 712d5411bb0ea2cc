/** Every rule-based refusal in the platform. The exception filter maps each code to an HTTP status in one place. */
export enum DomainErrorCode {
  NotFound = 'not_found',
  Conflict = 'conflict',
  Forbidden = 'forbidden',
  Unauthenticated = 'unauthenticated',
  RuleRefused = 'rule_refused',
  InvalidToken = 'invalid_token',
  AccountLocked = 'account_locked',
}

export class DomainException extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) =>
  new DomainException(DomainErrorCode.NotFound, `${what} was not found`);
export const forbidden = (message = 'You do not have permission to do this') =>
  new DomainException(DomainErrorCode.Forbidden, message);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new DomainException(DomainErrorCode.Conflict, message, details);
