import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { forbidden, notFound, refuse } from 'src/common/refusal';
import type { AuthUser } from 'src/common/request-context';
import { Attendance, AttendanceStatus } from 'src/cohorts/attendance.entity';
import { canRecordAttendance } from 'src/cohorts/cohort-access';
import { CohortSession } from 'src/cohorts/cohort-session.entity';
import { CohortsService } from 'src/cohorts/cohorts.service';
import type { AttendanceEntryDto } from 'src/cohorts/dto/cohort.dto';
import { Enrolment } from 'src/cohorts/enrolment.entity';
import { UsersService } from 'src/users/users.service';

export interface RegisterRow {
  enrolmentId: string;
  traineeId: string;
  traineeName: string;
  status: AttendanceStatus | null;
  madeUp: boolean;
}

// A register can be taken from an hour before the session starts.
/** A register opens an hour before its session starts; pages read this to say when. */
export const REGISTER_OPENS_BEFORE_START_MS = 60 * 60 * 1000;

@Injectable()
export class AttendanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cohorts: CohortsService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  /** Sessions of the enrolment's cohort the trainee attended: present or late, or an excused absence made up. */
  async attendedSessionIds(enrolmentId: string): Promise<Set<string>> {
    const rows: Array<{ session_id: string }> = await this.dataSource.query(
      `SELECT session_id FROM attendance
        WHERE enrolment_id = $1 AND (status IN ('present', 'late') OR (status = 'excused' AND made_up))`,
      [enrolmentId],
    );
    return new Set(rows.map((row) => row.session_id));
  }

  async register(
    actor: AuthUser,
    sessionId: string,
  ): Promise<{ session: CohortSession; rows: RegisterRow[]; canRecord: boolean }> {
    const session = await this.findSession(sessionId);
    const { cohort, access } = await this.cohorts.assertCanRunRegister(actor, session.cohortId);
    const enrolments = await this.dataSource.getRepository(Enrolment).find({
      where: { cohortId: session.cohortId, status: In(['enrolled', 'completed']) },
      order: { createdAt: 'ASC' },
    });
    const marks = await this.dataSource.getRepository(Attendance).findBy({ sessionId });
    const byEnrolment = new Map(marks.map((mark) => [mark.enrolmentId, mark]));
    const contacts = await this.users.contacts(enrolments.map((e) => e.traineeId));
    const rows = enrolments.map((e) => ({
      enrolmentId: e.id,
      traineeId: e.traineeId,
      traineeName: contacts.get(e.traineeId)?.name ?? '',
      status: byEnrolment.get(e.id)?.status ?? null,
      madeUp: byEnrolment.get(e.id)?.madeUp ?? false,
    }));
    return {
      session,
      rows: rows.sort((a, b) => a.traineeName.localeCompare(b.traineeName)),
      canRecord: canRecordAttendance(access, cohort),
    };
  }

  /** Records the register for the whole group (or part of it); only marks that change are audited. */
  async record(actor: AuthUser, sessionId: string, entries: AttendanceEntryDto[]): Promise<RegisterRow[]> {
    const { cohortId } = await this.findSession(sessionId);
    const { access } = await this.cohorts.assertCanRunRegister(actor, cohortId);
    await this.dataSource.transaction(async (manager) => {
      // Under the cohort's lock, so that a register saved while the cohort is being completed sees the outcome.
      const cohort = await this.cohorts.lockCohort(manager, cohortId);
      if (!canRecordAttendance(access, cohort))
        throw forbidden('This cohort is completed: only a training lead can correct its registers');
      const session = await manager.findOneByOrFail(CohortSession, { id: sessionId });
      if (session.status === 'cancelled') throw refuse('SESSION_CANCELLED', 'This session was cancelled');
      if (session.startsAt.getTime() - REGISTER_OPENS_BEFORE_START_MS > Date.now()) {
        throw refuse('REGISTER_NOT_OPEN', 'The register opens an hour before the session starts');
      }
      const ids = entries.map((entry) => entry.enrolmentId);
      if (new Set(ids).size !== ids.length) {
        throw refuse('REGISTER_ENTRY_INVALID', 'Each trainee may appear once in a register');
      }
      const valid = await manager.find(Enrolment, {
        where: { id: In(ids), cohortId, status: In(['enrolled', 'completed']) },
        select: { id: true },
      });
      const unknown = ids.filter((id) => !valid.some((e) => e.id === id));
      if (unknown.length > 0) {
        throw refuse('REGISTER_ENTRY_INVALID', 'Some entries are not enrolments of this cohort', {
          details: { unknown },
        });
      }
      const before = await manager.findBy(Attendance, { sessionId, enrolmentId: In(ids) });
      const previous = new Map(before.map((mark) => [mark.enrolmentId, mark]));
      const changes = entries.filter((entry) => {
        const old = previous.get(entry.enrolmentId);
        return (
          !old || old.status !== entry.status || old.madeUp !== (entry.status === 'excused' && !!entry.madeUp)
        );
      });
      if (changes.length === 0) return;
      await manager.upsert(
        Attendance,
        changes.map((entry) => ({
          sessionId,
          enrolmentId: entry.enrolmentId,
          status: entry.status,
          madeUp: entry.status === 'excused' && !!entry.madeUp,
          recordedBy: actor.id,
        })),
        ['sessionId', 'enrolmentId'],
      );
      await this.audit.record(
        {
          actorId: actor.id,
          // A change after completion can alter who was eligible for a certificate, so it is told apart.
          action: cohort.status === 'completed' ? 'attendance.corrected' : 'attendance.recorded',
          subjectType: 'session',
          subjectId: sessionId,
          details: {
            cohortId,
            changes: changes.map((entry) => ({
              enrolmentId: entry.enrolmentId,
              from: previous.get(entry.enrolmentId)?.status ?? null,
              to: entry.status,
              madeUp: entry.status === 'excused' && !!entry.madeUp,
            })),
          },
        },
        manager,
      );
    });
    return (await this.register(actor, sessionId)).rows;
  }

  private async findSession(sessionId: string): Promise<CohortSession> {
    const session = await this.dataSource.getRepository(CohortSession).findOneBy({ id: sessionId });
    if (!session) throw notFound('The session');
    return session;
  }
}
