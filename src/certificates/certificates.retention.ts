import { Injectable } from '@nestjs/common';
import type { RetentionExemption, RetentionSource } from 'src/privacy/retention';

/**
 * Certificates have no period: anyone may verify one by its code for as long as it exists, so it is kept, and
 * with it the audit trail of issuing, retrying and revoking it.
 */
@Injectable()
export class CertificatesRetention implements RetentionSource {
  readonly name = 'certificates';

  private readonly certificates: RetentionExemption = {
    recordType: 'certificates',
    description: 'Certificates, their PDFs, and the audit trail of issuing and revoking them',
    clock: 'kept while the certificate can be verified',
    action: 'keep',
    reason:
      'Certificates are kept as long as they can be verified, with the audit trail of issuing them; no period applies',
    keepsAuditEvents: {
      subjectType: 'certificate',
      stillHeld: (id) => `EXISTS (SELECT 1 FROM certificates c WHERE c.id = ${id})`,
    },
  };

  readonly recordTypes = [this.certificates];
}
