import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { factsByEnrolment, ProgressFactProvider, ProgressScope } from 'src/courses/progress-fact.provider';
import type { AttendanceFacts } from 'src/courses/progress-facts';

const ATTENDANCE_BY_ENROLMENT = `
  WITH sessions AS (
    SELECT count(*)::int AS scheduled, count(*) FILTER (WHERE starts_at <= now())::int AS held
      FROM cohort_sessions WHERE cohort_id = $1 AND status = 'scheduled')
  SELECT e.id AS "enrolmentId", (SELECT scheduled FROM sessions), (SELECT held FROM sessions),
         count(s.id) FILTER (WHERE a.status = 'present')::int AS present,
         count(s.id) FILTER (WHERE a.status = 'late')::int AS late,
         count(s.id) FILTER (WHERE a.status = 'absent')::int AS absent,
         count(s.id) FILTER (WHERE a.status = 'excused')::int AS excused,
         count(s.id) FILTER (WHERE a.status = 'excused' AND a.made_up)::int AS "excusedMadeUp"
    FROM enrolments e
    LEFT JOIN attendance a ON a.enrolment_id = e.id
    LEFT JOIN cohort_sessions s ON s.id = a.session_id AND s.status = 'scheduled'
   WHERE e.cohort_id = $1 AND e.id = ANY($2::uuid[])
   GROUP BY e.id`;

/** Each trainee's register marks against the cohort's scheduled sessions, in one query for the whole scope. */
@Injectable()
export class AttendanceFactProvider implements ProgressFactProvider<'attendance'> {
  readonly fact = 'attendance';

  gather(scope: ProgressScope, manager: EntityManager): Promise<Map<string, AttendanceFacts>> {
    return factsByEnrolment<AttendanceFacts>(ATTENDANCE_BY_ENROLMENT, scope, manager);
  }
}
