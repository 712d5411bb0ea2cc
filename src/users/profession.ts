// Every profession the FPM material names as trained in the model (seeds/001), and those the platform already
// held. Coverage reports count certified practitioners by it, against the workforce baselines.
export const PROFESSIONS = [
  'health_visitor',
  'school_nurse',
  'midwife',
  'mental_health_nurse',
  'social_worker',
  'family_support_worker',
  'early_years_practitioner',
  'childrens_centre_worker',
  'psychiatrist',
  'clinical_psychologist',
  'educational_psychologist',
  'psychologist',
  'mental_health_practitioner',
  'speech_and_language_therapist',
  'occupational_therapist',
  'physiotherapist',
  'youth_offending_practitioner',
  'teacher',
  'youth_worker',
  'other',
] as const;
export type Profession = (typeof PROFESSIONS)[number];

export const PROFESSION_LABELS: Record<Profession, string> = {
  health_visitor: 'Health visitor',
  school_nurse: 'School nurse',
  midwife: 'Midwife',
  mental_health_nurse: 'Mental health nurse',
  social_worker: 'Social worker',
  family_support_worker: 'Family support worker',
  early_years_practitioner: 'Early years practitioner',
  childrens_centre_worker: 'Children’s centre worker',
  psychiatrist: 'Psychiatrist',
  clinical_psychologist: 'Clinical psychologist',
  educational_psychologist: 'Educational psychologist',
  psychologist: 'Psychologist (other)',
  mental_health_practitioner: 'Mental health practitioner',
  speech_and_language_therapist: 'Speech and language therapist',
  occupational_therapist: 'Occupational therapist',
  physiotherapist: 'Physiotherapist',
  youth_offending_practitioner: 'Youth offending practitioner',
  teacher: 'Teacher',
  youth_worker: 'Youth worker',
  other: 'Other',
};

const normalised = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

const BY_TEXT = new Map<string, Profession>(
  PROFESSIONS.flatMap((profession) => [
    [normalised(profession), profession],
    [normalised(PROFESSION_LABELS[profession]), profession],
  ]),
);

/** A profession as a person writes it in a list: its code or its name, in any case ("Health visitor"). */
export function professionFrom(text: string): Profession | undefined {
  return BY_TEXT.get(normalised(text));
}
