import type { CourseCode } from 'src/courses/course-code';

export const ENTRY_KINDS = [
  'session_reflection',
  'practice_contact',
  'supervision_session',
  'co_facilitation',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const ENTRY_STATUSES = ['draft', 'submitted', 'accepted', 'returned'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export const PROMPT_FIELDS = ['whatHappened', 'reflection', 'learning', 'nextSteps'] as const;
export type PromptField = (typeof PROMPT_FIELDS)[number];

/** Each prompt's longest answer: about 500 words, which a GOV.UK character count shows as it is typed. */
export const PROMPT_MAX_CHARACTERS = 3_000;

export const HELPING_PROCESS_STAGES = [
  'relationship_building',
  'exploration',
  'understanding',
  'goal_setting',
  'strategy_planning',
  'implementation',
  'review',
  'ending',
] as const;
export type HelpingProcessStage = (typeof HELPING_PROCESS_STAGES)[number];

export const HELPER_SKILLS = [
  'attending_and_active_listening',
  'prompting_and_exploring',
  'empathic_responding',
  'summarising',
  'enabling_change',
  'negotiating',
  'problem_management',
  'communicating_with_children',
] as const;
export type HelperSkill = (typeof HELPER_SKILLS)[number];

export const labelOf = (code: string) => {
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export interface Prompt {
  field: PromptField;
  label: string;
  guidance: string;
}

export interface EntryKindRules {
  label: string;
  /** The courses whose logbooks take this kind of entry. */
  courses: readonly CourseCode[];
  prompts: Prompt[];
  /** Tied to a session of the trainee's own cohort that they attended. */
  attendedSession?: boolean;
  /** Tied to a session of a Foundation cohort the trainee co-facilitated. */
  coFacilitatedSession?: boolean;
  /** A piece of work with a family: minutes, the helping-process stage and the skills used. */
  practice?: boolean;
}

const prompt = (field: PromptField, label: string, guidance: string): Prompt => ({ field, label, guidance });

const ANONYMISE =
  'Use roles or initials ("the mother", "Child A"), never names, dates of birth or addresses.';

/** The structured prompts of each kind of entry, and what it must be tied to. */
export const ENTRY_KIND_RULES: Record<EntryKind, EntryKindRules> = {
  session_reflection: {
    label: 'Session reflection',
    courses: ['foundation', 'supervision', 'facilitator'],
    attendedSession: true,
    prompts: [
      prompt('whatHappened', 'What happened', 'What the session covered and what you took part in.'),
      prompt(
        'reflection',
        'What I thought and felt',
        'Your reactions during and after the session, and why.',
      ),
      prompt(
        'learning',
        'What I learned about the model',
        'Which part of the Family Partnership Model this made clearer.',
      ),
      prompt('nextSteps', 'What I will do next', 'One thing you will try or change in your practice.'),
    ],
  },
  practice_contact: {
    label: 'Practice contact',
    courses: ['foundation'],
    practice: true,
    prompts: [
      prompt('whatHappened', 'What happened', `The piece of work with the family. ${ANONYMISE}`),
      prompt(
        'reflection',
        'What I thought and felt',
        'How you responded to the parent, and what that tells you.',
      ),
      prompt(
        'learning',
        'What I learned about the model',
        'The helper qualities and skills you used, and how the process moved on.',
      ),
      prompt('nextSteps', 'What I will do next', 'What you will do at the next contact.'),
    ],
  },
  supervision_session: {
    label: 'Supervision session',
    courses: ['supervision'],
    prompts: [
      prompt(
        'whatHappened',
        'What happened',
        `The supervision session and the practice discussed. ${ANONYMISE}`,
      ),
      prompt('reflection', 'What I thought and felt', 'Your part in the supervisory relationship.'),
      prompt('learning', 'What I learned about the model', 'How the model shaped the supervision.'),
      prompt('nextSteps', 'What I will do next', 'What you will do differently as a supervisor.'),
    ],
  },
  co_facilitation: {
    label: 'Co-facilitation',
    courses: ['facilitator'],
    coFacilitatedSession: true,
    prompts: [
      prompt(
        'whatHappened',
        'What happened',
        'The Foundation session you co-facilitated and your part in it.',
      ),
      prompt(
        'reflection',
        'What I thought and felt',
        'How the group responded to you, and how you felt facilitating.',
      ),
      prompt(
        'learning',
        'What I learned about the model',
        'What facilitating showed you about teaching the model.',
      ),
      prompt(
        'nextSteps',
        'What I will do next',
        'What you will do differently in the next session you facilitate.',
      ),
    ],
  },
};
