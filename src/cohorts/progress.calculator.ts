import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Cohort } from 'src/cohorts/cohort.entity';
import type { AttendanceFacts, ProgressReport } from 'src/courses/completion-policy';
import type { CourseCode } from 'src/courses/course-code';
import { CoursesService } from 'src/courses/courses.service';
import { UsersService } from 'src/users/users.service';

export interface EnrolmentProgress extends ProgressReport {
  enrolmentId: string;
  traineeId: string;
  traineeName: string;
  status: string;
}

interface AttendanceRow {
  enrolment_id: string;
  trainee_id: string;
  status: string;
  present: number;
  late: number;
  absent: number;
  excused: number;
  excused_made_up: number;
  scheduled: number;
  held: number;
}

export interface ProgressFactsRows {
  rows: AttendanceRow[];
  completed: Map<string, Set<CourseCode>>;
  contacts: Map<string, { name: string }>;
}

const ATTENDANCE_BY_ENROLMENT = `
  WITH sessions AS (
    SELECT count(*)::int AS scheduled, count(*) FILTER (WHERE starts_at <= now())::int AS held
      FROM cohort_sessions WHERE cohort_id = $1 AND status = 'scheduled')
  SELECT e.id AS enrolment_id, e.trainee_id, e.status, (SELECT scheduled FROM sessions), (SELECT held FROM sessions),
         count(s.id) FILTER (WHERE a.status = 'present')::int AS present,
         count(s.id) FILTER (WHERE a.status = 'late')::int AS late,
         count(s.id) FILTER (WHERE a.status = 'absent')::int AS absent,
         count(s.id) FILTER (WHERE a.status = 'excused')::int AS excused,
         count(s.id) FILTER (WHERE a.status = 'excused' AND a.made_up)::int AS excused_made_up
    FROM enrolments e
    LEFT JOIN attendance a ON a.enrolment_id = e.id
    LEFT JOIN cohort_sessions s ON s.id = a.session_id AND s.status = 'scheduled'
   WHERE e.cohort_id = $1 AND e.status IN ('enrolled', 'completed') AND ($2::uuid IS NULL OR e.id = $2)
   GROUP BY e.id
   ORDER BY e.created_at`;

/**
 * Gathers the facts for every enrolment of a cohort in a fixed number of queries, whatever the group size,
 * and asks the course's completion policy for each report. Independent queries run side by side.
 */
@Injectable()
export class ProgressCalculator {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
    private readonly users: UsersService,
  ) {}

  async reports(
    cohort: Cohort,
    manager: EntityManager = this.dataSource.manager,
    enrolmentId?: string,
  ): Promise<EnrolmentProgress[]> {
    return this.evaluate(cohort, await this.gather(cohort.id, manager, enrolmentId));
  }

  /** The facts alone, which need only the cohort's id: callers may fetch them while checking access. */
  async gather(
    cohortId: string,
    manager: EntityManager = this.dataSource.manager,
    enrolmentId?: string,
  ): Promise<ProgressFactsRows> {
    const rows: AttendanceRow[] = await manager.query(ATTENDANCE_BY_ENROLMENT, [
      cohortId,
      enrolmentId ?? null,
    ]);
    const traineeIds = rows.map((row) => row.trainee_id);
    const [completed, contacts] = await Promise.all([
      this.courses.completedCourses(traineeIds, manager),
      this.users.contacts(traineeIds, manager),
    ]);
    return { rows, completed, contacts };
  }

  evaluate(cohort: Cohort, { rows, completed, contacts }: ProgressFactsRows): EnrolmentProgress[] {
    const policy = this.courses.policyFor(cohort.courseVersion!.courseCode);
    return rows.map((row) => {
      const attendance: AttendanceFacts = {
        scheduled: row.scheduled,
        held: row.held,
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
      return {
        enrolmentId: row.enrolment_id,
        traineeId: row.trainee_id,
        traineeName: contacts.get(row.trainee_id)?.name ?? '',
        status: row.status,
        ...report,
      };
    });
  }
}
