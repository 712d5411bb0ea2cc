export const ROLES = ['admin', 'training_lead', 'facilitator', 'trainee', 'commissioner'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  training_lead: 'Training lead',
  facilitator: 'Facilitator',
  trainee: 'Trainee',
  commissioner: 'Commissioner',
};
