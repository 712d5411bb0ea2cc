import type { CourseCode } from 'src/courses/course-code';

/** What the certificates feature tells others, and itself. */
declare module 'src/events/domain-events' {
  interface DomainEvents {
    /** A lead issued a certificate: its PDF is to be made, once. */
    'certificate.issued': { certificateId: string };
    /** Its PDF has been made and stored: the holder can be sent it. */
    'certificate.made': { certificateId: string };
    /**
     * The holder now holds the course: what it proves counts from `awardedOn` (prerequisites, and for a course that
     * grants one, an accreditation). A re-issue names the certificate it supersedes, whose standing it takes over.
     */
    'certificate.awarded': {
      certificateId: string;
      holderId: string;
      enrolmentId: string;
      courseCode: CourseCode;
      courseVersionId: string;
      awardedOn: string;
      supersedesId: string | null;
    };
    /** The certificate was revoked: what it proved no longer counts. */
    'certificate.revoked': {
      certificateId: string;
      holderId: string;
      enrolmentId: string;
      courseCode: CourseCode;
      revokedOn: string;
    };
  }
}

export const CERTIFICATE_EVENTS = [
  'certificate.issued',
  'certificate.made',
  'certificate.awarded',
  'certificate.revoked',
] as const;
