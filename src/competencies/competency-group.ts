/** The parts of a framework, in the order a framework lists them. */
export const COMPETENCY_GROUPS = [
  'helper_qualities',
  'helper_skills',
  'helping_process',
  'supervision',
  'facilitation',
] as const;
export type CompetencyGroup = (typeof COMPETENCY_GROUPS)[number];

export const COMPETENCY_GROUP_NAMES: Record<CompetencyGroup, string> = {
  helper_qualities: 'Helper qualities',
  helper_skills: 'Helper skills',
  helping_process: 'The helping process',
  supervision: 'Supervision',
  facilitation: 'Facilitation',
};

/** What a sign-off records; `revoked` is only ever written by a revocation. */
export const SIGN_OFF_OUTCOMES = ['met', 'not_yet', 'revoked'] as const;
export type SignOffOutcome = (typeof SIGN_OFF_OUTCOMES)[number];

/** The outcomes a facilitator chooses between when signing off. */
export const SIGNABLE_OUTCOMES = ['met', 'not_yet'] as const;
export type SignableOutcome = (typeof SIGNABLE_OUTCOMES)[number];
