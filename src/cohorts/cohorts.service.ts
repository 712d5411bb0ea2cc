import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { conflict, DomainErrorCode, DomainException, forbidden, notFound } from 'src/common/domain.exception';
import { providedFields } from 'src/common/validation';
import { AuthUser, hasRole } from 'src/common/request-context';
import { canRunRegister, CohortAccess, cohortAccess } from 'src/cohorts/cohort-access';
import { Cohort, CohortStatus, DeliveryMode } from 'src/cohorts/cohort.entity';
import { CohortFacilitator, FacilitatorRole } from 'src/cohorts/cohort-facilitator.entity';
import { CohortSession } from 'src/cohorts/cohort-session.entity';
import type {
  AddFacilitatorDto,
  CreateCohortDto,
  ListCohortsQuery,
  SessionsInputDto,
  UpdateCohortDto,
  UpdateSessionDto,
} from 'src/cohorts/dto/cohort.dto';
import { ACTIVE_ENROLMENT_STATUSES, Enrolment } from 'src/cohorts/enrolment.entity';
import { ProgressCalculator } from 'src/cohorts/progress.calculator';
import { RemindersService } from 'src/cohorts/reminders.service';
import {
  describeSessionTime,
  expandWeekly,
  sessionLengthProblem,
  sessionStartProblem,
  SessionTimes,
} from 'src/cohorts/schedule';
import { COURSE_NAMES } from 'src/courses/course-code';
import { londonToday } from 'src/common/london-date';
import { CoursesService } from 'src/courses/courses.service';
import { NotificationsService } from 'src/notifications/notifications.service';
import type { EmailMessage } from 'src/notifications/email-message.entity';
import { OrganisationsService } from 'src/organisations/organisations.service';
import { UsersService } from 'src/users/users.service';

const TRANSITIONS: Record<CohortStatus, CohortStatus[]> = {
  draft: ['open', 'cancelled'],
  open: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

const spoken = (status: CohortStatus) => status.replace('_', ' ');
const withArticle = (status: CohortStatus) => `${/^[aeiou]/.test(status) ? 'An' : 'A'} ${spoken(status)}`;

// Serialises schedule changes so that two bookings made at the same moment cannot both miss each other's clash.
const SCHEDULING_LOCK = 'SELECT pg_advisory_xact_lock(727001)';

interface PlannedSession extends SessionTimes {
  title: string;
  venue: string | null;
}

/** A cohort's schedule as it would be after a change; `cohortId` is null for one not yet created. */
interface ScheduleProposal {
  cohortId: string | null;
  deliveryMode: DeliveryMode;
  venue: string | null;
  sessions: Array<SessionTimes & { id?: string; venue: string | null }>;
  facilitatorIds: string[];
}

export interface CohortDetail {
  cohort: Cohort;
  sessions: CohortSession[];
  facilitators: Array<{
    userId: string;
    name: string;
    email?: string;
    role: FacilitatorRole;
    accredited: boolean;
  }>;
  counts: { enrolled: number; waitlisted: number; requested: number };
  access: CohortAccess;
}

@Injectable()
export class CohortsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
    private readonly organisations: OrganisationsService,
    private readonly notifications: NotificationsService,
    private readonly reminders: RemindersService,
    private readonly progress: ProgressCalculator,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  async create(actor: AuthUser, dto: CreateCohortDto): Promise<CohortDetail> {
    this.assertMayCreateFor(actor, dto.organisationId);
    const organisation = await this.organisations.getOrganisation(dto.organisationId);
    await this.organisations.getArea(dto.areaId);
    if (!hasRole(actor, 'admin') && organisation.id !== actor.organisationId) throw forbidden();
    const version = await this.courses.currentVersion(dto.courseCode);
    const planned = this.plan(dto, 0);
    const facilitatorIds = dto.facilitatorIds ?? [];
    await this.assertFacilitatorsExist(facilitatorIds);

    const { cohortId, sessions } = await this.dataSource.transaction(async (manager) => {
      await this.lockAndAssertNoClash(manager, {
        cohortId: null,
        deliveryMode: dto.deliveryMode,
        venue: dto.venue ?? null,
        sessions: planned,
        facilitatorIds,
      });
      const cohort = await manager.save(
        manager.create(Cohort, {
          courseVersionId: version.id,
          title: dto.title,
          organisationId: dto.organisationId,
          areaId: dto.areaId,
          capacity: dto.capacity,
          deliveryMode: dto.deliveryMode,
          venue: dto.venue ?? null,
          status: 'draft',
          createdBy: actor.id,
        }),
      );
      const sessions = await this.insertSessions(manager, cohort.id, planned);
      if (facilitatorIds.length > 0) {
        await manager.insert(
          CohortFacilitator,
          facilitatorIds.map((userId, index) => ({
            cohortId: cohort.id,
            userId,
            role: index === 0 ? 'lead' : 'co',
          })),
        );
      }
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'cohort.created',
          subjectType: 'cohort',
          subjectId: cohort.id,
          details: {
            title: dto.title,
            courseCode: dto.courseCode,
            courseVersion: version.version,
            sessions: sessions.length,
            facilitatorIds,
          },
        },
        manager,
      );
      return { cohortId: cohort.id, sessions };
    });
    await this.reminders.schedule(sessions);
    return this.detail(actor, cohortId);
  }

  async list(
    actor: AuthUser,
    query: ListCohortsQuery,
  ): Promise<Array<Cohort & { enrolledCount: number; nextSessionAt: Date | null }>> {
    const builder = this.dataSource
      .getRepository(Cohort)
      .createQueryBuilder('cohort')
      .leftJoinAndSelect('cohort.courseVersion', 'version')
      .leftJoinAndSelect('cohort.organisation', 'organisation')
      .leftJoinAndSelect('cohort.area', 'area')
      .orderBy('cohort.createdAt', 'DESC')
      .take(500);
    if (!hasRole(actor, 'admin')) {
      builder.andWhere(
        new Brackets((scope) => {
          if (hasRole(actor, 'training_lead') && actor.organisationId) {
            scope.orWhere('cohort.organisationId = :own', { own: actor.organisationId });
          }
          if (hasRole(actor, 'facilitator')) {
            scope.orWhere('cohort.id IN (SELECT cohort_id FROM cohort_facilitators WHERE user_id = :me)', {
              me: actor.id,
            });
          }
          if (hasRole(actor, 'trainee')) {
            scope.orWhere(`cohort.status = 'open'`);
            scope.orWhere(
              `cohort.id IN (SELECT cohort_id FROM enrolments WHERE trainee_id = :me AND status IN (:...active))`,
              { me: actor.id, active: ACTIVE_ENROLMENT_STATUSES },
            );
          }
          scope.orWhere('false');
        }),
      );
    }
    if (query.status) builder.andWhere('cohort.status = :status', { status: query.status });
    if (query.course) builder.andWhere('version.courseCode = :course', { course: query.course });
    if (query.areaId) builder.andWhere('cohort.areaId = :areaId', { areaId: query.areaId });
    if (query.q)
      builder.andWhere('cohort.title ILIKE :q', { q: `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    const cohorts = await builder.getMany();
    const ids = cohorts.map((cohort) => cohort.id);
    const stats: Array<{ cohort_id: string; enrolled: string; next_session_at: Date | null }> = ids.length
      ? await this.dataSource.query(
          `SELECT c.id AS cohort_id,
                  (SELECT count(*) FROM enrolments e WHERE e.cohort_id = c.id AND e.status IN ('enrolled', 'completed')) AS enrolled,
                  (SELECT min(s.starts_at) FROM cohort_sessions s WHERE s.cohort_id = c.id AND s.status = 'scheduled' AND s.starts_at > now()) AS next_session_at
             FROM cohorts c WHERE c.id = ANY($1)`,
          [ids],
        )
      : [];
    const byId = new Map(stats.map((row) => [row.cohort_id, row]));
    return cohorts.map((cohort) => ({
      ...cohort,
      enrolledCount: Number(byId.get(cohort.id)?.enrolled ?? 0),
      nextSessionAt: byId.get(cohort.id)?.next_session_at ?? null,
    }));
  }

  /** The cohort with what the viewer may see of it; 404 when it does not exist, 403 when it is not theirs. */
  async detail(actor: AuthUser, id: string): Promise<CohortDetail> {
    const [{ cohort, access }, sessions, facilitatorRows, counts] = await Promise.all([
      this.access(actor, id),
      this.dataSource
        .getRepository(CohortSession)
        .find({ where: { cohortId: id }, order: { startsAt: 'ASC' } }),
      this.dataSource
        .getRepository(CohortFacilitator)
        .find({ where: { cohortId: id }, order: { createdAt: 'ASC' } }),
      this.counts(id),
    ]);
    const browsing = hasRole(actor, 'trainee') && cohort.status === 'open';
    if (!access.manage && !access.facilitate && !access.enrolled && !browsing) {
      throw forbidden('This cohort is not one of yours');
    }
    const facilitatorIds = facilitatorRows.map((row) => row.userId);
    const [accredited, contacts] = await Promise.all([
      this.courses.currentlyAccredited(facilitatorIds, cohort.courseVersion!.courseCode),
      this.users.contacts(facilitatorIds),
    ]);
    return {
      cohort,
      sessions,
      facilitators: facilitatorRows.map((row) => ({
        userId: row.userId,
        name: contacts.get(row.userId)?.name ?? '',
        // Trainees, and anyone browsing, see who runs the cohort but not how to reach them privately.
        ...(access.manage || access.facilitate ? { email: contacts.get(row.userId)?.email ?? '' } : {}),
        role: row.role,
        accredited: accredited.has(row.userId),
      })),
      counts,
      access,
    };
  }

  /** For other parts of the cohorts module: the cohort and the viewer's access, refusing those with none. */
  async access(actor: AuthUser, cohortId: string): Promise<{ cohort: Cohort; access: CohortAccess }> {
    // Two look-ups side by side: this sits on every register and progress request.
    const [cohort, [link]] = await Promise.all([
      this.findCohort(cohortId),
      this.dataSource.query<Array<{ facilitator_ids: string[]; enrolled: boolean }>>(
        `SELECT array(SELECT user_id FROM cohort_facilitators WHERE cohort_id = $1) AS facilitator_ids,
                EXISTS (SELECT 1 FROM enrolments WHERE cohort_id = $1 AND trainee_id = $2 AND status = ANY($3)) AS enrolled`,
        [cohortId, actor.id, ACTIVE_ENROLMENT_STATUSES],
      ),
    ]);
    return { cohort, access: cohortAccess(actor, cohort, link.facilitator_ids, link.enrolled) };
  }

  async assertCanManage(actor: AuthUser, cohortId: string): Promise<Cohort> {
    const { cohort, access } = await this.access(actor, cohortId);
    if (!access.manage) throw forbidden('Only a training lead of the host organisation can do this');
    return cohort;
  }

  async assertCanRunRegister(
    actor: AuthUser,
    cohortId: string,
  ): Promise<{ cohort: Cohort; access: CohortAccess }> {
    const { cohort, access } = await this.access(actor, cohortId);
    if (!canRunRegister(access))
      throw forbidden('Only this cohort’s facilitators and training leads can do this');
    return { cohort, access };
  }

  /**
   * Changes a cohort's details and, in the same step, its status. Every rule applies whatever else the request
   * changes: capacity against the people enrolled, clashes for a new venue or delivery mode, and the lifecycle.
   */
  async update(actor: AuthUser, id: string, dto: UpdateCohortDto): Promise<CohortDetail> {
    const cohort = await this.assertCanManage(actor, id);
    const { status, ...fields } = providedFields(dto);
    const to = status !== undefined && status !== cohort.status ? status : null;
    if (to) await this.assertMayBecome(cohort, to);
    else this.assertEditable(cohort);
    const reschedules = fields.venue !== undefined || fields.deliveryMode !== undefined;
    const { messages, cancelledSessions } = await this.dataSource.transaction(async (manager) => {
      if (reschedules && to !== 'cancelled') {
        await this.lockAndAssertNoClash(manager, {
          ...(await this.scheduleOf(manager, id)),
          deliveryMode: fields.deliveryMode ?? cohort.deliveryMode,
          venue: fields.venue !== undefined ? fields.venue : cohort.venue,
        });
      }
      await manager.query('SELECT id FROM cohorts WHERE id = $1 FOR UPDATE', [id]);
      if (fields.capacity !== undefined) await this.assertCapacityHolds(manager, id, fields.capacity);
      if (Object.keys(fields).length > 0 || to)
        await manager.update(Cohort, { id }, { ...fields, ...(to ? { status: to } : {}) });
      if (Object.keys(fields).length > 0) {
        await this.audit.record(
          {
            actorId: actor.id,
            action: 'cohort.updated',
            subjectType: 'cohort',
            subjectId: id,
            details: { ...fields },
          },
          manager,
        );
      }
      if (to) {
        await this.audit.record(
          {
            actorId: actor.id,
            action: 'cohort.status_changed',
            subjectType: 'cohort',
            subjectId: id,
            details: { from: cohort.status, to },
          },
          manager,
        );
      }
      if (to === 'cancelled') return this.cancelWithin(manager, cohort);
      if (to === 'completed') await this.recordCompletions(manager, cohort);
      // Places freed by a larger capacity go to the people waiting, in order.
      const promotions =
        fields.capacity !== undefined && to !== 'completed'
          ? await this.fillFreePlaces(manager, actor, { ...cohort, ...fields })
          : [];
      return { messages: promotions, cancelledSessions: [] as CohortSession[] };
    });
    for (const message of messages) await this.notifications.dispatch(message);
    await this.reminders.cancel(cancelledSessions);
    return this.detail(actor, id);
  }

  private async assertCapacityHolds(
    manager: EntityManager,
    cohortId: string,
    capacity: number,
  ): Promise<void> {
    const enrolled = await manager.count(Enrolment, {
      where: { cohortId, status: In(['enrolled', 'completed']) },
    });
    if (capacity < enrolled) {
      throw new DomainException(
        DomainErrorCode.RuleRefused,
        `Capacity cannot be below the ${enrolled} people already enrolled; withdraw someone first`,
      );
    }
  }

  async addSessions(actor: AuthUser, id: string, dto: SessionsInputDto): Promise<CohortDetail> {
    const cohort = await this.assertCanManage(actor, id);
    this.assertEditable(cohort);
    const existing = await this.dataSource.getRepository(CohortSession).countBy({ cohortId: id });
    const planned = this.plan(dto, existing);
    if (planned.length === 0)
      throw new DomainException(DomainErrorCode.RuleRefused, 'Give sessions or a schedule to add');
    const sessions = await this.dataSource.transaction(async (manager) => {
      const schedule = await this.scheduleOf(manager, id);
      await this.lockAndAssertNoClash(manager, {
        ...schedule,
        deliveryMode: cohort.deliveryMode,
        venue: cohort.venue,
        sessions: [...schedule.sessions, ...planned],
      });
      const created = await this.insertSessions(manager, id, planned);
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'cohort.sessions_added',
          subjectType: 'cohort',
          subjectId: id,
          details: { count: created.length },
        },
        manager,
      );
      return created;
    });
    await this.reminders.schedule(sessions);
    return this.detail(actor, id);
  }

  /** Moving a session re-checks clashes and raises its calendar SEQUENCE; its reminder moves with it. */
  async updateSession(actor: AuthUser, sessionId: string, dto: UpdateSessionDto): Promise<CohortSession> {
    const session = await this.findSession(sessionId);
    const cohort = await this.assertCanManage(actor, session.cohortId);
    this.assertEditable(cohort);
    if (session.status === 'cancelled')
      throw new DomainException(DomainErrorCode.RuleRefused, 'This session was cancelled');
    const startsAt = dto.startsAt ? new Date(dto.startsAt) : session.startsAt;
    const endsAt = dto.endsAt ? new Date(dto.endsAt) : session.endsAt;
    const problem = sessionLengthProblem({ startsAt, endsAt });
    if (problem) throw new DomainException(DomainErrorCode.RuleRefused, problem);
    const venue = dto.venue !== undefined ? dto.venue : session.venue;
    const moved =
      startsAt.getTime() !== session.startsAt.getTime() || endsAt.getTime() !== session.endsAt.getTime();
    const cancelling = dto.status === 'cancelled';
    const updated = await this.dataSource.transaction(async (manager) => {
      if (!cancelling) {
        const schedule = await this.scheduleOf(manager, cohort.id);
        await this.lockAndAssertNoClash(manager, {
          ...schedule,
          deliveryMode: cohort.deliveryMode,
          venue: cohort.venue,
          sessions: schedule.sessions.map((s) =>
            s.id === session.id ? { ...s, startsAt, endsAt, venue } : s,
          ),
        });
      }
      const changes: Partial<CohortSession> = { startsAt, endsAt, venue, title: dto.title ?? session.title };
      if (moved || cancelling || venue !== session.venue) changes.sequence = session.sequence + 1;
      if (cancelling) changes.status = 'cancelled';
      await manager.update(CohortSession, { id: session.id }, changes);
      await this.audit.record(
        {
          actorId: actor.id,
          action: cancelling ? 'session.cancelled' : 'session.updated',
          subjectType: 'session',
          subjectId: session.id,
          details: {
            cohortId: cohort.id,
            from: { startsAt: session.startsAt, endsAt: session.endsAt },
            ...dto,
          },
        },
        manager,
      );
      return manager.findOneByOrFail(CohortSession, { id: session.id });
    });
    await this.reminders.reschedule(session, updated);
    return updated;
  }

  async addFacilitator(actor: AuthUser, cohortId: string, dto: AddFacilitatorDto): Promise<CohortDetail> {
    const cohort = await this.assertCanManage(actor, cohortId);
    this.assertEditable(cohort);
    await this.assertFacilitatorsExist([dto.userId]);
    await this.dataSource.transaction(async (manager) => {
      const schedule = await this.scheduleOf(manager, cohortId);
      await this.lockAndAssertNoClash(manager, {
        ...schedule,
        deliveryMode: cohort.deliveryMode,
        venue: cohort.venue,
        facilitatorIds: [...new Set([...schedule.facilitatorIds, dto.userId])],
      });
      await manager.upsert(CohortFacilitator, { cohortId, userId: dto.userId, role: dto.role }, [
        'cohortId',
        'userId',
      ]);
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'cohort.facilitator_assigned',
          subjectType: 'cohort',
          subjectId: cohortId,
          details: { ...dto },
        },
        manager,
      );
    });
    return this.detail(actor, cohortId);
  }

  async removeFacilitator(actor: AuthUser, cohortId: string, userId: string): Promise<CohortDetail> {
    const cohort = await this.assertCanManage(actor, cohortId);
    this.assertEditable(cohort);
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.delete(CohortFacilitator, { cohortId, userId });
      if (!result.affected) throw notFound('That facilitator on this cohort');
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'cohort.facilitator_removed',
          subjectType: 'cohort',
          subjectId: cohortId,
          details: { userId },
        },
        manager,
      );
    });
    return this.detail(actor, cohortId);
  }

  /** A cohort's scheduled sessions and its facilitators, as the clash check takes them. */
  private async scheduleOf(
    manager: EntityManager,
    cohortId: string,
  ): Promise<Pick<ScheduleProposal, 'cohortId' | 'sessions' | 'facilitatorIds'>> {
    const [sessions, facilitators] = await Promise.all([
      manager.find(CohortSession, {
        where: { cohortId, status: 'scheduled' },
        select: { id: true, startsAt: true, endsAt: true, venue: true },
      }),
      manager.find(CohortFacilitator, { where: { cohortId }, select: { userId: true } }),
    ]);
    return { cohortId, sessions, facilitatorIds: facilitators.map((row) => row.userId) };
  }

  async findSession(id: string): Promise<CohortSession> {
    const session = await this.dataSource.getRepository(CohortSession).findOneBy({ id });
    if (!session) throw notFound('The session');
    return session;
  }

  async findCohort(id: string): Promise<Cohort> {
    // A query builder's getOne is one query; find with relations adds a second to page the joined rows.
    const cohort = await this.dataSource
      .getRepository(Cohort)
      .createQueryBuilder('cohort')
      .innerJoinAndSelect('cohort.courseVersion', 'courseVersion')
      .innerJoinAndSelect('cohort.organisation', 'organisation')
      .innerJoinAndSelect('cohort.area', 'area')
      .where('cohort.id = :id', { id })
      .getOne();
    if (!cohort) throw notFound('The cohort');
    return cohort;
  }

  /** Gives free places to the first people waiting; returns their e-mails to dispatch after commit. */
  async fillFreePlaces(
    manager: EntityManager,
    actor: AuthUser | null,
    cohort: Cohort,
  ): Promise<EmailMessage[]> {
    const enrolled = await manager.count(Enrolment, {
      where: { cohortId: cohort.id, status: In(['enrolled', 'completed']) },
    });
    const free = cohort.capacity - enrolled;
    if (free <= 0) return [];
    const promoted: Array<{ id: string; trainee_id: string }> = await manager
      .query(
        `UPDATE enrolments SET status = 'enrolled', waitlist_position = NULL, enrolled_at = now(), updated_at = now()
          WHERE cohort_id = $1 AND status = 'waitlisted' AND waitlist_position <= $2
          RETURNING id, trainee_id`,
        [cohort.id, free],
      )
      .then((result: [Array<{ id: string; trainee_id: string }>, number]) => result[0]);
    if (promoted.length === 0) return [];
    await manager.query(
      `UPDATE enrolments SET waitlist_position = waitlist_position - $2 WHERE cohort_id = $1 AND status = 'waitlisted'`,
      [cohort.id, promoted.length],
    );
    const contacts = await this.users.contacts(
      promoted.map((row) => row.trainee_id),
      manager,
    );
    const messages: EmailMessage[] = [];
    for (const row of promoted) {
      await this.audit.record(
        {
          actorId: actor?.id ?? null,
          action: 'enrolment.promoted',
          subjectType: 'enrolment',
          subjectId: row.id,
          details: { cohortId: cohort.id, traineeId: row.trainee_id },
        },
        manager,
      );
      messages.push(
        await this.notifications.compose(
          {
            to: contacts.get(row.trainee_id)!.email,
            template: 'enrolment-promoted',
            context: {
              name: contacts.get(row.trainee_id)!.name,
              cohortTitle: cohort.title,
              cohortId: cohort.id,
            },
          },
          manager,
        ),
      );
    }
    return messages;
  }

  private async assertMayBecome(cohort: Cohort, to: CohortStatus): Promise<void> {
    if (!TRANSITIONS[cohort.status].includes(to)) {
      const allowed = TRANSITIONS[cohort.status];
      throw new DomainException(
        DomainErrorCode.RuleRefused,
        allowed.length
          ? `${withArticle(cohort.status)} cohort can become ${allowed.map(spoken).join(' or ')}, not ${spoken(to)}`
          : `${withArticle(cohort.status)} cohort cannot change status`,
      );
    }
    if (to === 'open') await this.assertReadyToOpen(cohort);
    if (to === 'completed') await this.assertAllSessionsHeld(cohort);
  }

  private async assertReadyToOpen(cohort: Cohort): Promise<void> {
    const rules = cohort.courseVersion!.rules;
    const sessions = await this.dataSource
      .getRepository(CohortSession)
      .countBy({ cohortId: cohort.id, status: 'scheduled' });
    if (sessions === 0)
      throw new DomainException(DomainErrorCode.RuleRefused, 'Add the sessions before opening the cohort');
    const deliverers = await this.dataSource
      .getRepository(CohortFacilitator)
      .find({ where: { cohortId: cohort.id, role: In(['lead', 'co']) }, select: { userId: true } });
    const accredited = await this.courses.currentlyAccredited(
      deliverers.map((row) => row.userId),
      cohort.courseVersion!.courseCode,
    );
    if (accredited.size < rules.minAccreditedFacilitators) {
      throw new DomainException(
        DomainErrorCode.RuleRefused,
        `A ${COURSE_NAMES[cohort.courseVersion!.courseCode]} cohort opens only with at least ${rules.minAccreditedFacilitators} facilitators holding a current accreditation; it has ${accredited.size}`,
        { required: rules.minAccreditedFacilitators, accredited: [...accredited] },
      );
    }
  }

  private async assertAllSessionsHeld(cohort: Cohort): Promise<void> {
    const upcoming = await this.dataSource
      .getRepository(CohortSession)
      .createQueryBuilder('session')
      .where(`session.cohortId = :id AND session.status = 'scheduled' AND session.endsAt > now()`, {
        id: cohort.id,
      })
      .getCount();
    if (upcoming > 0) {
      throw new DomainException(
        DomainErrorCode.RuleRefused,
        `${upcoming} session${upcoming === 1 ? ' has' : 's have'} not finished yet`,
      );
    }
  }

  /** Every enrolled trainee whose progress report is eligible completes the course. */
  private async recordCompletions(manager: EntityManager, cohort: Cohort): Promise<void> {
    const eligible: Array<{ enrolmentId: string; traineeId: string }> = [];
    const reports = await this.progress.reports(cohort, manager);
    for (const report of reports) if (report.eligible) eligible.push(report);
    if (eligible.length === 0) return;
    await manager.update(Enrolment, { id: In(eligible.map((e) => e.enrolmentId)) }, { status: 'completed' });
    await this.courses.recordCohortCompletion(
      eligible.map((e) => ({
        userId: e.traineeId,
        enrolmentId: e.enrolmentId,
        courseCode: cohort.courseVersion!.courseCode,
      })),
      londonToday(),
      manager,
    );
  }

  private async cancelWithin(manager: EntityManager, cohort: Cohort) {
    const cancelledSessions: CohortSession[] = await manager
      .query(
        `UPDATE cohort_sessions SET status = 'cancelled', sequence = sequence + 1, updated_at = now()
          WHERE cohort_id = $1 AND status = 'scheduled' RETURNING id, starts_at AS "startsAt", sequence`,
        [cohort.id],
      )
      .then((result: [CohortSession[], number]) => result[0]);
    const ids: Array<{ user_id: string }> = await manager.query(
      `SELECT trainee_id AS user_id FROM enrolments WHERE cohort_id = $1 AND status IN ('requested', 'enrolled', 'waitlisted')
       UNION SELECT user_id FROM cohort_facilitators WHERE cohort_id = $1`,
      [cohort.id],
    );
    const people = [
      ...(
        await this.users.contacts(
          ids.map((row) => row.user_id),
          manager,
        )
      ).values(),
    ];
    const messages: EmailMessage[] = [];
    for (const person of people) {
      messages.push(
        await this.notifications.compose(
          {
            to: person.email,
            template: 'cohort-cancelled',
            context: { name: person.name, cohortTitle: cohort.title },
          },
          manager,
        ),
      );
    }
    return { messages, cancelledSessions };
  }

  private async counts(cohortId: string) {
    const rows: Array<{ status: string; count: string }> = await this.dataSource.query(
      `SELECT status, count(*) AS count FROM enrolments WHERE cohort_id = $1 GROUP BY status`,
      [cohortId],
    );
    const of = (status: string) => Number(rows.find((row) => row.status === status)?.count ?? 0);
    return {
      enrolled: of('enrolled') + of('completed'),
      waitlisted: of('waitlisted'),
      requested: of('requested'),
    };
  }

  /** Sessions to add; each keeps a venue of its own only when it is not the cohort's. */
  private plan(dto: SessionsInputDto, numberFrom: number): PlannedSession[] {
    if (dto.sessions && dto.schedule) {
      throw new DomainException(
        DomainErrorCode.RuleRefused,
        'Give either sessions one by one or a weekly schedule, not both',
      );
    }
    const times: Array<SessionTimes & { title?: string; venue?: string }> = dto.schedule
      ? expandWeekly({ ...dto.schedule, firstStartsAt: new Date(dto.schedule.firstStartsAt) })
      : (dto.sessions ?? []).map((s) => ({
          ...s,
          startsAt: new Date(s.startsAt),
          endsAt: new Date(s.endsAt),
        }));
    return times.map((time, index) => {
      const problem = sessionLengthProblem(time) ?? sessionStartProblem(time.startsAt);
      if (problem)
        throw new DomainException(
          DomainErrorCode.RuleRefused,
          `Session ${numberFrom + index + 1}: ${problem}`,
        );
      return {
        startsAt: time.startsAt,
        endsAt: time.endsAt,
        title: time.title ?? `Session ${numberFrom + index + 1}`,
        venue: time.venue ?? null,
      };
    });
  }

  private async insertSessions(
    manager: EntityManager,
    cohortId: string,
    planned: PlannedSession[],
  ): Promise<CohortSession[]> {
    if (planned.length === 0) return [];
    const sessions = planned.map((p) =>
      manager.create(CohortSession, {
        cohortId,
        title: p.title,
        startsAt: p.startsAt,
        endsAt: p.endsAt,
        venue: p.venue === null ? null : p.venue,
      }),
    );
    return manager.save(sessions);
  }

  /**
   * The one clash check, under the one lock: the cohort as it will be after a change (its scheduled sessions, each
   * at its own venue unless the cohort is online, and its facilitators) against every other booking. 409 naming
   * the first clash. Every change that can create a clash goes through here.
   */
  private async lockAndAssertNoClash(manager: EntityManager, proposal: ScheduleProposal): Promise<void> {
    await manager.query(SCHEDULING_LOCK);
    const { sessions, facilitatorIds } = proposal;
    if (sessions.length === 0) return;
    const venues = sessions.map((session) =>
      proposal.deliveryMode === 'online'
        ? null
        : (session.venue ?? proposal.venue)?.trim().toLowerCase() || null,
    );
    const others = `s.status = 'scheduled' AND c.status <> 'cancelled' AND c.id IS DISTINCT FROM $4::uuid`;
    const proposed = `unnest($1::timestamptz[], $2::timestamptz[], $3::text[]) AS r(starts_at, ends_at, venue)`;
    const params = [
      sessions.map((session) => session.startsAt.toISOString()),
      sessions.map((session) => session.endsAt.toISOString()),
      venues,
      proposal.cohortId,
    ];
    if (facilitatorIds.length > 0) {
      const [clash]: Array<{ user_id: string; title: string; starts_at: Date; ends_at: Date }> =
        await manager.query(
          `SELECT f.user_id, c.title, s.starts_at, s.ends_at
             FROM ${proposed}
             JOIN cohort_sessions s ON s.starts_at < r.ends_at AND r.starts_at < s.ends_at
             JOIN cohorts c ON c.id = s.cohort_id
             JOIN cohort_facilitators f ON f.cohort_id = c.id
            WHERE f.user_id = ANY($5::uuid[]) AND ${others}
            ORDER BY s.starts_at LIMIT 1`,
          [...params, facilitatorIds],
        );
      if (clash) {
        const name =
          (await this.users.contacts([clash.user_id], manager)).get(clash.user_id)?.name ?? 'A facilitator';
        throw conflict(
          `${name} is already booked for ${clash.title} at that time (${describeSessionTime(clash.starts_at, clash.ends_at)})`,
          {
            clash: {
              kind: 'facilitator',
              userId: clash.user_id,
              cohortTitle: clash.title,
              startsAt: clash.starts_at,
              endsAt: clash.ends_at,
            },
          },
        );
      }
    }
    if (venues.every((venue) => venue === null)) return;
    const [clash]: Array<{ venue: string; title: string; starts_at: Date; ends_at: Date }> =
      await manager.query(
        `SELECT coalesce(s.venue, c.venue) AS venue, c.title, s.starts_at, s.ends_at
         FROM ${proposed}
         JOIN cohort_sessions s ON s.starts_at < r.ends_at AND r.starts_at < s.ends_at
         JOIN cohorts c ON c.id = s.cohort_id
        WHERE r.venue IS NOT NULL AND c.delivery_mode <> 'online'
          AND lower(trim(coalesce(s.venue, c.venue))) = r.venue AND ${others}
        ORDER BY s.starts_at LIMIT 1`,
        params,
      );
    if (clash) {
      throw conflict(
        `${clash.venue} is already booked for ${clash.title} at that time (${describeSessionTime(clash.starts_at, clash.ends_at)})`,
        {
          clash: {
            kind: 'venue',
            venue: clash.venue,
            cohortTitle: clash.title,
            startsAt: clash.starts_at,
            endsAt: clash.ends_at,
          },
        },
      );
    }
  }

  private async assertFacilitatorsExist(userIds: string[]): Promise<void> {
    await this.users.assertActiveWithRole(userIds, 'facilitator', 'facilitator');
  }

  private assertMayCreateFor(actor: AuthUser, organisationId: string): void {
    if (hasRole(actor, 'admin')) return;
    if (!hasRole(actor, 'training_lead') || actor.organisationId !== organisationId) {
      throw forbidden('A training lead can create cohorts only for their own organisation');
    }
  }

  private assertEditable(cohort: Cohort): void {
    if (cohort.status === 'completed' || cohort.status === 'cancelled') {
      throw new DomainException(DomainErrorCode.RuleRefused, `A ${cohort.status} cohort cannot be changed`);
    }
  }
}
