/** What the certificates feature tells others, and itself. */
declare module 'src/events/domain-events' {
  interface DomainEvents {
    /** A lead issued a certificate: its PDF is to be made, once. */
    'certificate.issued': { certificateId: string };
  }
}

export const CERTIFICATE_EVENTS = ['certificate.issued'] as const;
