export const COURSE_CODES = ['foundation', 'supervision', 'facilitator'] as const;
export type CourseCode = (typeof COURSE_CODES)[number];

export const COURSE_NAMES: Record<CourseCode, string> = {
  foundation: 'Foundation',
  supervision: 'Supervision',
  facilitator: 'Facilitator',
};
