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
import { ERASED_NAME } from 'src/users/erased-account';

/** Every entry of the person's logbooks, each revision they submitted, and the reviews, by reviewer's name. */
@Injectable()
export class LogbooksPersonalData implements PersonalDataSource {
  readonly name = 'logbooks';
  readonly recordTypes = [
    { name: 'logbook-entries', description: 'Your reflective practice logbook entries, as they stand now' },
    { name: 'logbook-revisions', description: 'Each version of an entry you submitted' },
    { name: 'logbook-reviews', description: 'Reviews of your entries: decision, feedback and who reviewed' },
    {
      name: 'logbook-reviews-made',
      description: 'Logbook entries you reviewed for trainees: decision and when (your act only)',
    },
  ];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async *export(subject: DataSubject): AsyncGenerator<PersonalDataItem> {
    const page = (sql: string) =>
      keysetPages<{ id: string }>((after, limit) =>
        this.dataSource.query(sql, [subject.id, after?.id ?? null, limit]),
      );
    yield* asRecords(
      'logbook-entries',
      page(
        `SELECT l.id, l.enrolment_id AS "enrolmentId", l.kind, l.status, l.session_id AS "sessionId",
                l.occurred_on AS "occurredOn", l.minutes, l.stage, l.skills, l.observed, l.observed_by AS "observedBy",
                l.what_happened AS "whatHappened", l.reflection, l.learning, l.next_steps AS "nextSteps",
                l.revision, l.submitted_at AS "submittedAt", l.created_at AS "createdAt", l.updated_at AS "updatedAt"
           FROM logbook_entries l JOIN enrolments e ON e.id = l.enrolment_id
          WHERE e.trainee_id = $1 AND ($2::uuid IS NULL OR l.id > $2) ORDER BY l.id LIMIT $3`,
      ),
    );
    yield* asRecords(
      'logbook-revisions',
      page(
        `SELECT r.id, r.entry_id AS "entryId", r.number, r.content, r.submitted_at AS "submittedAt"
           FROM logbook_revisions r JOIN logbook_entries l ON l.id = r.entry_id
           JOIN enrolments e ON e.id = l.enrolment_id
          WHERE e.trainee_id = $1 AND ($2::uuid IS NULL OR r.id > $2) ORDER BY r.id LIMIT $3`,
      ),
    );
    yield* asRecords(
      'logbook-reviews',
      page(
        `SELECT v.id, v.entry_id AS "entryId", v.revision, u.name AS "reviewer", v.decision, v.feedback,
                v.created_at AS "reviewedAt"
           FROM logbook_reviews v JOIN logbook_entries l ON l.id = v.entry_id
           JOIN enrolments e ON e.id = l.enrolment_id JOIN users u ON u.id = v.reviewer_id
          WHERE e.trainee_id = $1 AND ($2::uuid IS NULL OR v.id > $2) ORDER BY v.id LIMIT $3`,
      ),
    );
    // The feedback is left out with the trainee: it is about their entry, and part of their logbook.
    yield* asRecords(
      'logbook-reviews-made',
      page(
        `SELECT v.id, l.kind AS "entryKind", v.decision, v.created_at AS "reviewedAt", co.title AS "cohort"
           FROM logbook_reviews v JOIN logbook_entries l ON l.id = v.entry_id
           JOIN enrolments e ON e.id = l.enrolment_id JOIN cohorts co ON co.id = e.cohort_id
          WHERE v.reviewer_id = $1 AND ($2::uuid IS NULL OR v.id > $2) ORDER BY v.id LIMIT $3`,
      ),
    );
  }

  /**
   * The person's logbook is free text about their practice (and families), which nothing requires keeping: its
   * entries go with every revision and review of them. Reviews the person wrote of other trainees' entries stay, as
   * part of those trainees' logbooks (the feedback is what a returned entry is to be changed by); the reviewer then
   * reads as the erased account's name, and so does an observer of a co-facilitation that trainees named by their
   * name.
   */
  async erase(subject: DataSubject, manager: EntityManager): Promise<ErasedRows> {
    const own = `SELECT l.id FROM logbook_entries l JOIN enrolments e ON e.id = l.enrolment_id WHERE e.trainee_id = $1`;
    return erasedRows({
      logbook_reviews: {
        deleted: await changedRows(manager, `DELETE FROM logbook_reviews WHERE entry_id IN (${own})`, [
          subject.id,
        ]),
      },
      logbook_revisions: {
        deleted: await changedRows(manager, `DELETE FROM logbook_revisions WHERE entry_id IN (${own})`, [
          subject.id,
        ]),
      },
      logbook_entries: {
        deleted: await changedRows(manager, `DELETE FROM logbook_entries WHERE id IN (${own})`, [subject.id]),
        anonymised: await changedRows(
          manager,
          `UPDATE logbook_entries SET observed_by = $2 WHERE observed_by = $1`,
          [subject.name, ERASED_NAME],
        ),
      },
    });
  }
}
