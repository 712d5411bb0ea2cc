import type { AuthUser } from 'src/common/request-context';
import { hasRole } from 'src/common/request-context';
import type { Cohort } from 'src/cohorts/cohort.entity';

/** What a person may do with one cohort: decided from their roles and their link to it. */
export interface CohortAccess {
  /** Admin, or a training lead of the host organisation. */
  manage: boolean;
  /** Assigned as one of the cohort's facilitators. */
  facilitate: boolean;
  /** Holds (or waits for) a place on it. */
  enrolled: boolean;
}

export function cohortAccess(
  user: AuthUser,
  cohort: Cohort,
  facilitatorIds: string[],
  enrolled: boolean,
): CohortAccess {
  return {
    manage:
      hasRole(user, 'admin') ||
      (hasRole(user, 'training_lead') && user.organisationId === cohort.organisationId),
    facilitate: hasRole(user, 'facilitator') && facilitatorIds.includes(user.id),
    enrolled,
  };
}

export const canRunRegister = (access: CohortAccess) => access.manage || access.facilitate;

/** Once a cohort is completed its registers are evidence for certificates: only its managers correct them. */
export const canRecordAttendance = (access: CohortAccess, cohort: Cohort) =>
  cohort.status === 'completed' ? access.manage : canRunRegister(access);
