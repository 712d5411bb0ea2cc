export const PROFESSIONS = [
  'health_visitor',
  'school_nurse',
  'midwife',
  'social_worker',
  'family_support_worker',
  'early_years_practitioner',
  'psychologist',
  'mental_health_practitioner',
  'teacher',
  'youth_worker',
  'other',
] as const;
export type Profession = (typeof PROFESSIONS)[number];

export const PROFESSION_LABELS: Record<Profession, string> = {
  health_visitor: 'Health visitor',
  school_nurse: 'School nurse',
  midwife: 'Midwife',
  social_worker: 'Social worker',
  family_support_worker: 'Family support worker',
  early_years_practitioner: 'Early years practitioner',
  psychologist: 'Psychologist',
  mental_health_practitioner: 'Mental health practitioner',
  teacher: 'Teacher',
  youth_worker: 'Youth worker',
  other: 'Other',
};
