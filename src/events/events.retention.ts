import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { purgeDue, RetentionSource, sqlRetentionRule } from 'src/privacy/retention';

/** The outbox of domain events: an event whose every handler ran is deleted, with its deliveries, months later. */
@Injectable()
export class EventsRetention implements RetentionSource {
  readonly name = 'events';
  readonly recordTypes;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.recordTypes = [
      sqlRetentionRule(dataSource, {
        recordType: 'domain-events',
        description:
          'Messages between the platform’s parts (“enrolment confirmed”, “certificate issued”) and which parts acted on each',
        clock: 'after every part had acted on it (never while one has still to)',
        action: 'delete',
        defaultKeepMonths: 3,
        // Completed events only: one pending or failed is work not yet done, which someone must see and retry.
        // Their deliveries go with them (ON DELETE CASCADE).
        due: `FROM domain_events WHERE completed_at < $1`,
        purge: purgeDue('domain_events'),
      }),
    ];
  }
}
