import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { factsByEnrolment, ProgressFactProvider, ProgressScope } from 'src/courses/progress-fact.provider';
import type { LogbookFacts } from 'src/courses/progress-facts';

const LOGBOOK_BY_ENROLMENT = `
  SELECT e.id AS "enrolmentId",
         (SELECT count(*)::int FROM attendance a JOIN cohort_sessions s ON s.id = a.session_id AND s.status = 'scheduled'
           WHERE a.enrolment_id = e.id AND (a.status IN ('present', 'late') OR (a.status = 'excused' AND a.made_up)))
           AS "attendedSessions",
         (SELECT count(DISTINCT a.session_id)::int FROM attendance a
            JOIN cohort_sessions s ON s.id = a.session_id AND s.status = 'scheduled'
            JOIN logbook_entries r ON r.enrolment_id = e.id AND r.session_id = a.session_id
             AND r.kind = 'session_reflection' AND r.status = 'accepted'
           WHERE a.enrolment_id = e.id AND (a.status IN ('present', 'late') OR (a.status = 'excused' AND a.made_up)))
           AS "reflectedSessions",
         count(l.id) FILTER (WHERE l.kind = 'session_reflection')::int AS "acceptedReflections",
         count(l.id) FILTER (WHERE l.kind = 'practice_contact')::int AS "acceptedPracticeContacts",
         count(l.id) FILTER (WHERE l.kind = 'supervision_session')::int AS "acceptedSupervisionSessions",
         count(l.id) FILTER (WHERE l.kind = 'co_facilitation' AND l.observed)::int AS "observedCoFacilitations"
    FROM enrolments e
    LEFT JOIN logbook_entries l ON l.enrolment_id = e.id AND l.status = 'accepted'
   WHERE e.cohort_id = $1 AND e.id = ANY($2::uuid[])
   GROUP BY e.id`;

/** What each trainee's logbook counts towards the course rules, in one query for the whole scope. */
@Injectable()
export class LogbookFactProvider implements ProgressFactProvider<'logbook'> {
  readonly fact = 'logbook';

  gather(scope: ProgressScope, manager: EntityManager): Promise<Map<string, LogbookFacts>> {
    return factsByEnrolment<LogbookFacts>(LOGBOOK_BY_ENROLMENT, scope, manager);
  }
}
