import { Injectable } from '@nestjs/common';
import { RETENTION_RUN_SUBJECT, RetentionExemption, RetentionSource } from 'src/privacy/retention';

/** The record of what each retention run destroyed: it names no one, and is what shows the periods were kept. */
@Injectable()
export class PrivacyRetention implements RetentionSource {
  readonly name = 'privacy';

  private readonly runs: RetentionExemption = {
    recordType: 'retention-runs',
    description:
      'The record of each retention run: how many records of each type it removed, up to which date',
    clock: 'kept always, as the record of what was destroyed (it names no one)',
    action: 'keep',
    reason:
      'The record of what each retention run destroyed is kept, as records management asks of any destruction; it names no one',
    keepsAuditEvents: { subjectType: RETENTION_RUN_SUBJECT },
  };

  readonly recordTypes = [this.runs];
}
