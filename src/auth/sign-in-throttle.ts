/** How repeated failed sign-ins are slowed and then locked. Pure, so the policy is unit-tested without Redis. */
export interface ThrottlePolicy {
  windowSeconds: number;
  accountLockAfter: number;
  addressLockAfter: number;
  lockSeconds: number;
  slowAfter: number;
  slowdownMs: number;
  maxDelayMs: number;
}

export const DEFAULT_THROTTLE_POLICY: Omit<ThrottlePolicy, 'slowdownMs'> = {
  windowSeconds: 15 * 60,
  accountLockAfter: 5,
  addressLockAfter: 20,
  lockSeconds: 15 * 60,
  slowAfter: 2,
  maxDelayMs: 4_000,
};

export interface FailureOutcome {
  delayMs: number;
  lockAccount: boolean;
  lockAddress: boolean;
}

export function failureOutcome(
  policy: ThrottlePolicy,
  accountFailures: number,
  addressFailures: number,
): FailureOutcome {
  const excess = Math.max(accountFailures, addressFailures) - policy.slowAfter;
  return {
    delayMs: excess > 0 ? Math.min(excess * policy.slowdownMs, policy.maxDelayMs) : 0,
    lockAccount: accountFailures >= policy.accountLockAfter,
    lockAddress: addressFailures >= policy.addressLockAfter,
  };
}
