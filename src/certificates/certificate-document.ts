/** What a certificate says, ready to print: dates are already formatted for display ("12 March 2026"). */
export interface CertificateDocument {
  serial: string;
  verificationUrl: string;
  holderName: string;
  courseName: string;
  courseTitle: string;
  cohortTitle: string;
  startedOn: string;
  completedOn: string;
  facilitators: string[];
  issuedOn: string;
  issuerName: string;
}

export const CERTIFICATE_FIELDS = [
  'serial',
  'verificationUrl',
  'holderName',
  'courseName',
  'courseTitle',
  'cohortTitle',
  'startedOn',
  'completedOn',
  'facilitators',
  'issuedOn',
  'issuerName',
] as const satisfies readonly (keyof CertificateDocument)[];
export type CertificateField = (typeof CERTIFICATE_FIELDS)[number];
