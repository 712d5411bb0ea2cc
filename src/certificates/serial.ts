import { randomBytes } from 'node:crypto';
import type { CourseCode } from 'src/courses/course-code';

const PREFIXES: Record<CourseCode, string> = { foundation: 'FND', supervision: 'SUP', facilitator: 'FAC' };

/** `FND-2026-000123`: the course, the year of issue, and the number counted per course and year. */
export const formatSerial = (courseCode: CourseCode, year: number, number: number) =>
  `${PREFIXES[courseCode]}-${year}-${String(number).padStart(6, '0')}`;

/** 120 random bits, URL-safe: a code nobody can guess or work out from a serial. */
export const newVerificationCode = () => randomBytes(15).toString('base64url');
