import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RetentionSource, sqlRetentionRule } from 'src/privacy/retention';

/**
 * When the enrolment `enrolment` (on the cohort `cohort`) ended, as SQL: when the trainee withdrew or was declined,
 * or when the cohort was completed or cancelled (its last session, or the cancellation if that came first). NULL
 * while the enrolment is still going, so that a rule counting from it never touches a course in progress.
 */
export function enrolmentEndedAt(enrolment: string, cohort: string): string {
  return `CASE
      WHEN ${enrolment}.status IN ('withdrawn', 'declined') THEN coalesce(${enrolment}.withdrawn_at, ${enrolment}.updated_at)
      WHEN ${cohort}.status IN ('completed', 'cancelled') THEN
        least((SELECT max(s.ends_at) FROM cohort_sessions s WHERE s.cohort_id = ${cohort}.id), ${cohort}.updated_at)
    END`;
}

/**
 * Registers: who attended each session, deleted some years after the session. The record of which reminders went
 * out, kept only so that none is sent twice, goes much sooner: a session over is never reminded of again.
 */
@Injectable()
export class CohortsRetention implements RetentionSource {
  readonly name = 'cohorts';
  readonly recordTypes;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.recordTypes = [
      sqlRetentionRule(dataSource, {
        recordType: 'attendance',
        description: 'Session registers: who was present, late, absent or excused, and who recorded it',
        clock: 'after the session',
        action: 'delete',
        defaultKeepMonths: 72,
        minimumKeepMonths: 12,
        due: `FROM attendance a JOIN cohort_sessions s ON s.id = a.session_id WHERE s.ends_at < $1`,
        purge: (due) =>
          `DELETE FROM attendance WHERE (session_id, enrolment_id) IN (
             SELECT a.session_id, a.enrolment_id ${due} LIMIT $2 FOR UPDATE OF a SKIP LOCKED)`,
      }),
      sqlRetentionRule(dataSource, {
        recordType: 'session-reminders',
        description:
          'Which session reminders were e-mailed to whom and when, kept so that none is sent twice',
        clock: 'after the session',
        action: 'delete',
        defaultKeepMonths: 3,
        minimumKeepMonths: 1,
        due: `FROM session_reminders r JOIN cohort_sessions s ON s.id = r.session_id WHERE s.ends_at < $1`,
        purge: (due) =>
          `DELETE FROM session_reminders WHERE (session_id, user_id, sequence) IN (
             SELECT r.session_id, r.user_id, r.sequence ${due} LIMIT $2 FOR UPDATE OF r SKIP LOCKED)`,
      }),
    ];
  }
}
