import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { enrolmentEndedAt } from 'src/cohorts/cohorts.retention';
import { RetentionSource, sqlRetentionRule } from 'src/privacy/retention';

/** Logbooks: each entry goes with its revisions and reviews, some years after the enrolment ended. */
@Injectable()
export class LogbooksRetention implements RetentionSource {
  readonly name = 'logbooks';
  readonly recordTypes;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.recordTypes = [
      sqlRetentionRule(dataSource, {
        recordType: 'logbook-entries',
        description: 'Reflective practice logbook entries, with every revision submitted and every review',
        clock: 'after the enrolment ended (the trainee withdrew, or the cohort was completed or cancelled)',
        action: 'delete',
        defaultKeepMonths: 72,
        minimumKeepMonths: 12,
        // An enrolment still going has no end, so none of its entries is ever due.
        due: `FROM logbook_entries l JOIN enrolments e ON e.id = l.enrolment_id JOIN cohorts c ON c.id = e.cohort_id
               WHERE ${enrolmentEndedAt('e', 'c')} < $1`,
        // One statement: the batch's entries, then their reviews and revisions, then the entries themselves.
        purge: (due) =>
          `WITH batch AS (SELECT l.id ${due} LIMIT $2 FOR UPDATE OF l SKIP LOCKED),
                reviews AS (DELETE FROM logbook_reviews WHERE entry_id IN (SELECT id FROM batch)),
                revisions AS (DELETE FROM logbook_revisions WHERE entry_id IN (SELECT id FROM batch))
           DELETE FROM logbook_entries WHERE id IN (SELECT id FROM batch)`,
        appendOnly: true,
      }),
    ];
  }
}
