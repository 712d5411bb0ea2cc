import type { Certificate, CertificateStatus } from 'src/certificates/certificate.entity';

/** Labels and view models of the certificate pages: plain functions, unit-testable. */

export const CERTIFICATE_STATUS_TAGS: Record<CertificateStatus, { text: string; colour: string }> = {
  queued: { text: 'Being made', colour: 'blue' },
  issued: { text: 'Issued', colour: 'green' },
  failed: { text: 'Failed', colour: 'red' },
  revoked: { text: 'Revoked', colour: 'grey' },
  superseded: { text: 'Replaced', colour: 'grey' },
};

interface CohortRow {
  enrolmentId: string;
  traineeName: string;
  eligible: boolean;
  unmet: string[];
  certificate: Certificate | null;
}

/** The lead's page: each trainee's certificate or why they have none, and how the bulk run is going. */
export function cohortCertificatesView(rows: CohortRow[]) {
  const withCertificate = rows.filter((row) => row.certificate);
  const made = withCertificate.filter((row) => row.certificate!.status === 'issued').length;
  const failed = withCertificate.filter((row) => row.certificate!.status === 'failed').length;
  const waiting = withCertificate.filter((row) => row.certificate!.status === 'queued').length;
  return {
    progress: withCertificate.length
      ? `${made} of ${withCertificate.length} made${failed ? `, ${failed} failed` : ''}`
      : null,
    // Refreshes itself while certificates are being made; the page works without JavaScript.
    refreshSeconds: waiting > 0 ? 5 : null,
    canIssueAll: rows.some((row) => row.eligible && !row.certificate),
    anyMade: made > 0,
    rows: rows.map((row) => ({
      enrolmentId: row.enrolmentId,
      traineeName: row.traineeName,
      unmet: row.certificate ? [] : row.unmet,
      canIssue: row.eligible && !row.certificate,
      certificate: row.certificate && {
        id: row.certificate.id,
        serial: row.certificate.serial,
        tag: CERTIFICATE_STATUS_TAGS[row.certificate.status],
        downloadable: row.certificate.sha256 !== null && row.certificate.status !== 'revoked',
        canRetry: row.certificate.status === 'failed',
        canRevoke: row.certificate.status === 'issued' || row.certificate.status === 'queued',
        lastError: row.certificate.status === 'failed' ? row.certificate.lastError : null,
      },
    })),
  };
}
