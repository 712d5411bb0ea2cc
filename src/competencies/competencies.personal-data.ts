import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  asRecords,
  changedRows,
  DataSubject,
  ErasedRows,
  erasedRows,
  keysetPages,
  PersonalDataItem,
  PersonalDataSource,
} from 'src/privacy/personal-data';

/**
 * Sign-offs about the person in full, with the signer's name they see on their competency page; sign-offs the
 * person made about trainees give only their own act (competency, outcome, when, which cohort), never the
 * trainee nor the comment about them.
 */
@Injectable()
export class CompetenciesPersonalData implements PersonalDataSource {
  readonly name = 'competencies';
  readonly recordTypes = [
    {
      name: 'competency-sign-offs',
      description: 'Competency records about you, with corrections and revocations',
    },
    {
      name: 'competency-sign-offs-made',
      description: 'Competency sign-offs you recorded for trainees (your act only)',
    },
  ];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async *export(subject: DataSubject): AsyncGenerator<PersonalDataItem> {
    const page = (sql: string) =>
      keysetPages<{ id: string }>((after, limit) =>
        this.dataSource.query(sql, [subject.id, after?.id ?? null, limit]),
      );
    yield* asRecords(
      'competency-sign-offs',
      page(
        `SELECT s.id, s.enrolment_id AS "enrolmentId", c.code AS "competency", c.title, s.outcome,
                s.evidence_entry_ids AS "evidenceEntryIds", s.comment, u.name AS "signedBy",
                s.signed_at AS "signedAt", s.supersedes_id AS "supersedesId"
           FROM competency_sign_offs s JOIN competencies c ON c.id = s.competency_id
           JOIN enrolments e ON e.id = s.enrolment_id JOIN users u ON u.id = s.signed_by_id
          WHERE e.trainee_id = $1 AND ($2::uuid IS NULL OR s.id > $2) ORDER BY s.id LIMIT $3`,
      ),
    );
    yield* asRecords(
      'competency-sign-offs-made',
      page(
        `SELECT s.id, c.code AS "competency", s.outcome, s.signed_at AS "signedAt", co.title AS "cohort"
           FROM competency_sign_offs s JOIN competencies c ON c.id = s.competency_id
           JOIN enrolments e ON e.id = s.enrolment_id JOIN cohorts co ON co.id = e.cohort_id
          WHERE s.signed_by_id = $1 AND ($2::uuid IS NULL OR s.id > $2) ORDER BY s.id LIMIT $3`,
      ),
    );
  }

  /**
   * Sign-offs about the person keep competency, outcome, signer and date (completion and certificates rest on
   * them) and lose the comment and the evidence links (their logbook is gone). Sign-offs the person made about
   * trainees stay whole: they are those trainees' records, and the signer reads as the erased account's name.
   */
  async erase(subject: DataSubject, manager: EntityManager): Promise<ErasedRows> {
    return erasedRows({
      competency_sign_offs: {
        anonymised: await changedRows(
          manager,
          `UPDATE competency_sign_offs s SET comment = '', evidence_entry_ids = '{}'
             FROM enrolments e
            WHERE e.id = s.enrolment_id AND e.trainee_id = $1
              AND (s.comment <> '' OR cardinality(s.evidence_entry_ids) > 0)`,
          [subject.id],
        ),
      },
    });
  }
}
