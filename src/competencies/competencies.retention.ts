import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { enrolmentEndedAt } from 'src/cohorts/cohorts.retention';
import { RetentionSource, sqlRetentionRule } from 'src/privacy/retention';

const DUE_SIGN_OFFS = `FROM competency_sign_offs s
  JOIN enrolments e ON e.id = s.enrolment_id JOIN cohorts c ON c.id = e.cohort_id
 WHERE ${enrolmentEndedAt('e', 'c')} < $1`;

/** Competency records: each trainee's trail of sign-offs, some years after the enrolment ended. */
@Injectable()
export class CompetenciesRetention implements RetentionSource {
  readonly name = 'competencies';
  readonly recordTypes;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.recordTypes = [
      sqlRetentionRule(dataSource, {
        recordType: 'competency-sign-offs',
        description:
          'Competency records: met or not yet, the evidence cited, the facilitator’s comment, corrections',
        clock: 'after the enrolment ended (the trainee withdrew, or the cohort was completed or cancelled)',
        action: 'delete',
        defaultKeepMonths: 72,
        minimumKeepMonths: 12,
        due: DUE_SIGN_OFFS,
        // A record is referenced by the one that superseded it, so each batch takes only records nothing
        // supersedes (any longer): a trail goes from its newest record back, over as many batches as it is long.
        purge: (due) =>
          `DELETE FROM competency_sign_offs WHERE id IN (
             SELECT s.id ${due}
                AND NOT EXISTS (SELECT 1 FROM competency_sign_offs n WHERE n.supersedes_id = s.id)
              LIMIT $2 FOR UPDATE OF s SKIP LOCKED)`,
        appendOnly: true,
      }),
    ];
  }
}
