import { forbidden } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';

/**
 * Whose licences someone may read: every organisation's (null) for an administrator, their own organisation's for
 * a training lead; anyone else is refused, told that `what` is for those two.
 */
export function readableOrganisation(actor: AuthUser, what: string): string | null {
  if (hasRole(actor, 'admin')) return null;
  if (hasRole(actor, 'training_lead') && actor.organisationId) return actor.organisationId;
  throw forbidden(`${what} is for administrators and training leads`);
}
