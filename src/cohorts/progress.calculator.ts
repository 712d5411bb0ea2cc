import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Cohort } from 'src/cohorts/cohort.entity';
import type { AttendanceFacts, ProgressReport } from 'src/courses/completion-policy';
import { CoursesService } from 'src/courses/courses.service';

export interface EnrolmentProgress extends ProgressReport {
  enrolmentId: string;
  traineeId: string;
  status: string;
}

/**
 * Gathers the facts for every enrolment of a cohort in a fixed number of queries, whatever the group size,
 * and asks the course's completion policy for each report.
 */
@Injectable()
export class ProgressCalculator {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
  ) {}

  async reports(
    cohort: Cohort,
    manager: EntityManager = this.dataSource.manager,
    enrolmentId?: string,
  ): Promise<EnrolmentProgress[]> {
    const rows: Array<{
      enrolment_id: string;
      trainee_id: string;
      status: string;
      present: number;
      late: number;
      absent: number;
      excused: number;
      excused_made_up: number;
    }> = await manager.query(
      `SELECT e.id AS enrolment_id, e.trainee_id, e.status,
              count(*) FILTER (WHERE a.status = 'present')::int AS present,
              count(*) FILTER (WHERE a.status = 'late')::int AS late,
              count(*) FILTER (WHERE a.status = 'absent')::int AS absent,
              count(*) FILTER (WHERE a.status = 'excused')::int AS excused,
              count(*) FILTER (WHERE a.status = 'excused' AND a.made_up)::int AS excused_made_up
         FROM enrolments e
         LEFT JOIN attendance a ON a.enrolment_id = e.id
         LEFT JOIN cohort_sessions s ON s.id = a.session_id AND s.status = 'scheduled'
        WHERE e.cohort_id = $1 AND e.status IN ('enrolled', 'completed') AND ($2::uuid IS NULL OR e.id = $2)
          AND (a.session_id IS NULL OR s.id IS NOT NULL)
        GROUP BY e.id
        ORDER BY e.created_at`,
      [cohort.id, enrolmentId ?? null],
    );
    const [sessionCounts]: Array<{ scheduled: number; held: number }> = await manager.query(
      `SELECT count(*)::int AS scheduled, count(*) FILTER (WHERE starts_at <= now())::int AS held
         FROM cohort_sessions WHERE cohort_id = $1 AND status = 'scheduled'`,
      [cohort.id],
    );
    const completed = await this.courses.completedCourses(
      rows.map((row) => row.trainee_id),
      manager,
    );
    const policy = this.courses.policyFor(cohort.courseVersion!.courseCode);
    return rows.map((row) => {
      const attendance: AttendanceFacts = {
        scheduled: sessionCounts.scheduled,
        held: sessionCounts.held,
        present: row.present,
        late: row.late,
        absent: row.absent,
        excused: row.excused,
        excusedMadeUp: row.excused_made_up,
      };
      const report = policy.evaluate({
        rules: cohort.courseVersion!.rules,
        attendance,
        completedCourses: completed.get(row.trainee_id) ?? new Set(),
      });
      return { enrolmentId: row.enrolment_id, traineeId: row.trainee_id, status: row.status, ...report };
    });
  }
}
