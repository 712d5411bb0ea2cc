import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FACILITATOR_ROLE_TEXT, WITHDRAWABLE } from 'src/cohorts/cohorts.presenter';
import type { FacilitatorRole } from 'src/cohorts/cohort-facilitator.entity';
import type { EnrolmentStatus } from 'src/cohorts/enrolment.entity';
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

/** How a place still under way is put to the admin about to erase its holder. */
const UNDERWAY_PLACES: Partial<Record<EnrolmentStatus, string>> = {
  requested: 'Has asked for a place on',
  enrolled: 'Has a place on',
  waitlisted: 'Is on the waiting list of',
};

/**
 * Enrolments with the facilitators' names the trainee sees on their cohort, their attendance, the cohorts they
 * facilitate and the reminders sent to them. Who took a register is not given: the trainee never sees it.
 */
@Injectable()
export class CohortsPersonalData implements PersonalDataSource {
  readonly name = 'cohorts';
  readonly recordTypes = [
    { name: 'enrolments', description: 'Your places on cohorts, asked for, held, waitlisted or withdrawn' },
    { name: 'attendance', description: 'Your attendance at each session of your cohorts' },
    { name: 'facilitated-cohorts', description: 'The cohorts you facilitate, and your role in each' },
    { name: 'session-reminders', description: 'Session reminders sent to you' },
  ];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async *export(subject: DataSubject): AsyncGenerator<PersonalDataItem> {
    const query = <Row>(sql: string, after: unknown[], limit: number) =>
      this.dataSource.query<Row[]>(sql, [subject.id, ...after, limit]);
    yield* asRecords(
      'enrolments',
      keysetPages<{ id: string }>((after, limit) =>
        query(
          `SELECT e.id, c.title AS "cohort", v.course_code AS "courseCode", e.status,
                  e.waitlist_position AS "waitlistPosition", e.enrolled_at AS "enrolledAt",
                  e.withdrawn_at AS "withdrawnAt", e.created_at AS "createdAt",
                  ARRAY(SELECT u.name FROM cohort_facilitators f JOIN users u ON u.id = f.user_id
                         WHERE f.cohort_id = c.id ORDER BY u.name) AS "facilitators"
             FROM enrolments e JOIN cohorts c ON c.id = e.cohort_id
             JOIN course_versions v ON v.id = c.course_version_id
            WHERE e.trainee_id = $1 AND ($2::uuid IS NULL OR e.id > $2) ORDER BY e.id LIMIT $3`,
          [after?.id ?? null],
          limit,
        ),
      ),
    );
    yield* asRecords(
      'attendance',
      keysetPages<{ sessionId: string; enrolmentId: string }>((after, limit) =>
        query(
          `SELECT a.session_id AS "sessionId", a.enrolment_id AS "enrolmentId", c.title AS "cohort",
                  s.title AS "session", s.starts_at AS "startsAt", a.status, a.made_up AS "madeUp",
                  a.recorded_at AS "recordedAt"
             FROM attendance a JOIN enrolments e ON e.id = a.enrolment_id
             JOIN cohort_sessions s ON s.id = a.session_id JOIN cohorts c ON c.id = s.cohort_id
            WHERE e.trainee_id = $1 AND ($2::uuid IS NULL OR (a.session_id, a.enrolment_id) > ($2, $3::uuid))
            ORDER BY a.session_id, a.enrolment_id LIMIT $4`,
          [after?.sessionId ?? null, after?.enrolmentId ?? null],
          limit,
        ),
      ),
    );
    yield* asRecords(
      'facilitated-cohorts',
      keysetPages<{ cohortId: string }>((after, limit) =>
        query(
          `SELECT f.cohort_id AS "cohortId", c.title AS "cohort", f.role, f.created_at AS "assignedAt"
             FROM cohort_facilitators f JOIN cohorts c ON c.id = f.cohort_id
            WHERE f.user_id = $1 AND ($2::uuid IS NULL OR f.cohort_id > $2) ORDER BY f.cohort_id LIMIT $3`,
          [after?.cohortId ?? null],
          limit,
        ),
      ),
    );
    yield* asRecords(
      'session-reminders',
      keysetPages<{ sessionId: string; sequence: number }>((after, limit) =>
        query(
          `SELECT r.session_id AS "sessionId", r.sequence, s.title AS "session", s.starts_at AS "startsAt",
                  r.sent_at AS "sentAt"
             FROM session_reminders r JOIN cohort_sessions s ON s.id = r.session_id
            WHERE r.user_id = $1 AND ($2::uuid IS NULL OR (r.session_id, r.sequence) > ($2, $3::int))
            ORDER BY r.session_id, r.sequence LIMIT $4`,
          [after?.sessionId ?? null, after?.sequence ?? null],
          limit,
        ),
      ),
    );
  }

  /** Places on cohorts not yet finished, and cohorts not yet finished that the person facilitates. */
  async stillUnderway(subject: DataSubject): Promise<string[]> {
    const rows: Array<{ cohort: string; status: string; role: string | null }> = await this.dataSource.query(
      `SELECT c.title AS cohort, e.status, NULL AS role
         FROM enrolments e JOIN cohorts c ON c.id = e.cohort_id
        WHERE e.trainee_id = $1 AND e.status = ANY($2)
          AND c.status NOT IN ('completed', 'cancelled')
       UNION ALL
       SELECT c.title, NULL, f.role
         FROM cohort_facilitators f JOIN cohorts c ON c.id = f.cohort_id
        WHERE f.user_id = $1 AND c.status NOT IN ('completed', 'cancelled')
        ORDER BY 1`,
      [subject.id, WITHDRAWABLE],
    );
    return rows.map(({ cohort, status, role }) =>
      role === null
        ? `${UNDERWAY_PLACES[status as EnrolmentStatus]} ${cohort}, which has not finished`
        : `Is ${FACILITATOR_ROLE_TEXT[role as FacilitatorRole]} of ${cohort}, which has not finished`,
    );
  }

  /**
   * Enrolments, attendance and facilitation stay: they hold no free text, and the coverage reports count them
   * (in training, certified). The person's calendar subscription goes. The record of reminders sent stays: it holds
   * only a session and a time, and it is what stops a reminder from being claimed for them again.
   */
  async erase(subject: DataSubject, manager: EntityManager): Promise<ErasedRows> {
    return erasedRows({
      calendar_feeds: {
        deleted: await changedRows(manager, `DELETE FROM calendar_feeds WHERE user_id = $1`, [subject.id]),
      },
    });
  }
}
