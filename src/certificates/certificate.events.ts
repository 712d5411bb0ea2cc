/** What the certificates feature tells others, and itself. */
declare module 'src/events/domain-events' {
  interface DomainEvents {
    /** A lead issued a certificate: its PDF is to be made, once. */
    'certificate.issued': { certificateId: string };
    /** Its PDF has been made and stored: the holder can be sent it. */
    'certificate.made': { certificateId: string };
  }
}

export const CERTIFICATE_EVENTS = ['certificate.issued', 'certificate.made'] as const;
