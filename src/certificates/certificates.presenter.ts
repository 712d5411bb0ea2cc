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

/** What the API says of a certificate. */
export const certificateView = (certificate: Certificate) => ({
  id: certificate.id,
  enrolmentId: certificate.enrolmentId,
  courseCode: certificate.courseCode,
  serial: certificate.serial,
  status: certificate.status,
  holderName: certificate.holderName,
  issuedAt: certificate.issuedAt,
  renderedAt: certificate.renderedAt,
  sha256: certificate.sha256,
  lastError: certificate.status === 'failed' ? certificate.lastError : null,
  revokedAt: certificate.revokedAt,
  revocationReason: certificate.revocationReason,
});

/** How a cohort's run of certificates is going: "37 of 120 made, 2 failed". Revoked ones count as made. */
export function bulkProgress(certificates: Array<Pick<Certificate, 'status'>>) {
  const count = (status: CertificateStatus) => certificates.filter((c) => c.status === status).length;
  const made = count('issued') + count('revoked');
  const failed = count('failed');
  const queued = count('queued');
  const total = certificates.length;
  return {
    total,
    made,
    failed,
    queued,
    text: total ? `${made} of ${total} made${failed ? `, ${failed} failed` : ''}` : null,
  };
}

/** The cohort's trainees as the API gives them: each one's eligibility and certificate, with the run's progress. */
export function cohortCertificatesJson(rows: CohortRow[]) {
  return {
    progress: bulkProgress(rows.flatMap((row) => (row.certificate ? [row.certificate] : []))),
    trainees: rows.map((row) => ({
      enrolmentId: row.enrolmentId,
      traineeName: row.traineeName,
      eligible: row.eligible,
      unmet: row.certificate ? [] : row.unmet,
      certificate: row.certificate && certificateView(row.certificate),
    })),
  };
}

/** The lead's page: each trainee's certificate or why they have none, and how the bulk run is going. */
export function cohortCertificatesView(rows: CohortRow[]) {
  const progress = bulkProgress(rows.flatMap((row) => (row.certificate ? [row.certificate] : [])));
  return {
    progress: progress.text,
    // Refreshes itself while certificates are being made: with JavaScript in place, without by a meta refresh.
    refreshSeconds: progress.queued > 0 ? 5 : null,
    canIssueAll: rows.some((row) => row.eligible && !row.certificate),
    anyMade: rows.some((row) => row.certificate?.status === 'issued'),
    rows: rows.map((row) => ({
      enrolmentId: row.enrolmentId,
      traineeName: row.traineeName,
      unmet: row.certificate ? [] : row.unmet,
      canIssue: row.eligible && !row.certificate,
      certificate: row.certificate && {
        id: row.certificate.id,
        serial: row.certificate.serial,
        tag: CERTIFICATE_STATUS_TAGS[row.certificate.status],
        downloadable:
          row.certificate.sha256 !== null &&
          row.certificate.status !== 'revoked' &&
          row.certificate.holderName !== null,
        canRetry: row.certificate.status === 'failed',
        canRevoke: row.certificate.status === 'issued' || row.certificate.status === 'queued',
        // The trainee's name has changed since: a new certificate in the new name replaces this one. One whose
        // name was removed at the holder's erasure is not re-issued: it would print the erased account's name.
        reissueAs:
          row.certificate.status === 'issued' &&
          row.certificate.holderName !== null &&
          row.certificate.holderName !== row.traineeName
            ? row.traineeName
            : null,
        holderName: row.certificate.holderName,
        lastError: row.certificate.status === 'failed' ? row.certificate.lastError : null,
      },
    })),
  };
}
