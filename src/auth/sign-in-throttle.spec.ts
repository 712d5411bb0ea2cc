import { DEFAULT_THROTTLE_POLICY, failureOutcome } from 'src/auth/sign-in-throttle';

const policy = { ...DEFAULT_THROTTLE_POLICY, slowdownMs: 500 };

describe(failureOutcome.name, () => {
  it('does not slow the first failures', () => {
    expect(failureOutcome(policy, 1, 1)).toEqual({ delayMs: 0, lockAccount: false, lockAddress: false });
    expect(failureOutcome(policy, 2, 2).delayMs).toBe(0);
  });

  it('slows each further failure more, up to a ceiling', () => {
    expect(failureOutcome(policy, 3, 3).delayMs).toBe(500);
    expect(failureOutcome(policy, 4, 4).delayMs).toBe(1000);
    expect(failureOutcome(policy, 3, 30).delayMs).toBe(4000);
  });

  it('locks the account at the fifth failure and the address at the twentieth', () => {
    expect(failureOutcome(policy, 4, 4).lockAccount).toBe(false);
    expect(failureOutcome(policy, 5, 5).lockAccount).toBe(true);
    expect(failureOutcome(policy, 1, 19).lockAddress).toBe(false);
    expect(failureOutcome(policy, 1, 20).lockAddress).toBe(true);
  });
});
