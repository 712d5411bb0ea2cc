import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { purgeDue, RetentionSource, sqlRetentionRule } from 'src/privacy/retention';
import { RetentionRegistry } from 'src/privacy/retention.registry';

/**
 * The audit log, deleted some years after each event, except the events the record types kept without a period
 * hold on to (the events of a certificate that can still be verified, the record of each retention run).
 */
@Injectable()
export class AuditRetention implements RetentionSource {
  readonly name = 'audit';
  readonly recordTypes;

  constructor(@InjectDataSource() dataSource: DataSource, registry: RetentionRegistry) {
    this.recordTypes = [
      sqlRetentionRule(dataSource, {
        recordType: 'audit-events',
        description:
          'The audit log: sign-ins, changes to people, cohorts and records, downloads and exports, with who and when',
        clock: 'after the event (events of a certificate that still exists are kept with it)',
        action: 'delete',
        defaultKeepMonths: 72,
        minimumKeepMonths: 12,
        // Read when the rule runs: the exemptions are registered by modules that may start after this one.
        due: () => `FROM audit_events a WHERE a.occurred_at < $1 AND NOT ${registry.auditEventsKept('a')}`,
        purge: purgeDue('audit_events'),
        appendOnly: true,
      }),
    ];
  }
}
