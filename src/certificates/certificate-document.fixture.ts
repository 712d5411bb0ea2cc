import { CertificateDocument } from 'src/certificates/certificate-document';

/** A certificate for tests and benchmarks, with names that need more than Latin-1. */
export function sampleCertificate(overrides: Partial<CertificateDocument> = {}): CertificateDocument {
  return {
    serial: 'FPM-2026-000123',
    verificationUrl: 'https://training.example.org/certificates/verify/FPM-2026-000123',
    holderName: 'Zoë Ní Bhriain',
    courseName: 'Family Partnership Model Foundation Course',
    courseTitle: 'Foundation course, 2026 edition',
    cohortTitle: 'Leeds spring cohort',
    startedOn: '12 January 2026',
    completedOn: '12 March 2026',
    facilitators: ['Ayşe Yılmaz', 'Łukasz Wąsowski'],
    issuedOn: '14 March 2026',
    issuerName: 'Centre for Parent and Child Support',
    ...overrides,
  };
}
