import type { CourseCode } from 'src/courses/course-code';

/** What the courses feature tells others. */
declare module 'src/events/domain-events' {
  interface DomainEvents {
    /** An admin changed a course's rules: a new version is current, and cohorts created from now on use it. */
    'course.version_created': {
      courseCode: CourseCode;
      versionId: string;
      version: number;
      previousVersionId: string;
    };
    /** A facilitator's accreditation expires in `daysBefore` days (90, then 30): they are told once each. */
    'accreditation.expiring': {
      accreditationId: string;
      userId: string;
      courseCode: CourseCode;
      expiresOn: string;
      daysBefore: number;
    };
  }
}

export const COURSE_EVENTS = ['course.version_created', 'accreditation.expiring'] as const;
