import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { forbidden, notFound, refuse } from 'src/common/refusal';
import { providedFields } from 'src/common/validation';
import { AuthUser, hasRole } from 'src/common/request-context';
import { canRunRegister, CohortAccess, cohortAccess } from 'src/cohorts/cohort-access';
import { Cohort, CohortStatus, PLACES_CHANGE_WHILE } from 'src/cohorts/cohort.entity';
import { CohortFacilitator, FacilitatorRole } from 'src/cohorts/cohort-facilitator.entity';
import { CohortSession } from 'src/cohorts/cohort-session.entity';
import type {
  AddFacilitatorDto,
  CreateCohortDto,
  ListCohortsQuery,
  OpenCohortsQuery,
  SessionsInputDto,
  UpdateCohortDto,
  UpdateSessionDto,
} from 'src/cohorts/dto/cohort.dto';
import { ACTIVE_ENROLMENT_STATUSES, Enrolment } from 'src/cohorts/enrolment.entity';
import { ProgressCalculator } from 'src/cohorts/progress.calculator';
import { RemindersService } from 'src/cohorts/reminders.service';
import {
  assertBookable,
  describeSessionTime,
  expandWeekly,
  SessionTimes,
  weeklyScheduleFields,
} from 'src/cohorts/schedule';
import { COURSE_NAMES, CourseCode } from 'src/courses/course-code';
import { CoursesService } from 'src/courses/courses.service';
import { QualificationsService } from 'src/courses/qualifications.service';
import { EventsService } from 'src/events/events.service';
import { COHORT_EVENTS } from 'src/cohorts/cohort.events';
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

// Serialises every change that can double-book, so that two made at the same moment cannot both miss the clash.
const SCHEDULING_LOCK = 'SELECT pg_advisory_xact_lock(727001)';

/** A venue as compared for clashes: "Room 4 " and "room  4" are the same room; a blank venue is none. */
const venueKey = (sql: string) => `nullif(regexp_replace(lower(btrim(${sql})), '\\s+', ' ', 'g'), '')`;

/** Each scheduled session of cohort $1 beside every other scheduled session at an overlapping time, its own included. */
const OVERLAPPING_SESSIONS = `cohort_sessions mine
  JOIN cohorts mc ON mc.id = mine.cohort_id
  JOIN cohort_sessions s ON s.id <> mine.id AND s.starts_at < mine.ends_at AND mine.starts_at < s.ends_at
  JOIN cohorts c ON c.id = s.cohort_id`;
const BOTH_BOOKED = `mine.cohort_id = $1 AND mine.status = 'scheduled' AND mc.status <> 'cancelled'
  AND s.status = 'scheduled' AND c.status <> 'cancelled'`;

interface PlannedSession extends SessionTimes {
  title?: string;
  venue: string | null;
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
  /** What the viewer may do with the cohort now, so that a page offers only that. */
  actions: CohortActions;
}

/** Someone taking part in a running cohort: a trainee with a place (and its enrolment), or a facilitator. */
export interface CohortParticipant {
  cohortId: string;
  organisationId: string;
  courseCode: CourseCode;
  userId: string;
  enrolmentId: string | null;
  role: 'trainee' | 'facilitator';
}

export interface CohortActions {
  /** Change details, sessions, facilitators and places. */
  edit: boolean;
  /** The statuses it may move on to, cancelling aside. */
  statuses: CohortStatus[];
  cancel: boolean;
}

const isEditable = (status: CohortStatus) => status !== 'completed' && status !== 'cancelled';

function cohortActions(cohort: Cohort, access: CohortAccess): CohortActions {
  if (!access.manage) return { edit: false, statuses: [], cancel: false };
  const next = TRANSITIONS[cohort.status];
  return {
    edit: isEditable(cohort.status),
    statuses: next.filter((status) => status !== 'cancelled'),
    cancel: next.includes('cancelled'),
  };
}

@Injectable()
export class CohortsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
    private readonly qualifications: QualificationsService,
    private readonly organisations: OrganisationsService,
    private readonly events: EventsService,
    private readonly reminders: RemindersService,
    private readonly progress: ProgressCalculator,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.events.declare('cohorts', COHORT_EVENTS);
  }

  async create(actor: AuthUser, dto: CreateCohortDto): Promise<CohortDetail> {
    this.assertMayCreateFor(actor, dto.organisationId);
    const organisation = await this.organisations.getOrganisation(dto.organisationId);
    await this.organisations.getArea(dto.areaId);
    if (!hasRole(actor, 'admin') && organisation.id !== actor.organisationId) throw forbidden();
    const version = await this.courses.currentVersion(dto.courseCode);
    const planned = this.plan(dto);
    const facilitatorIds = dto.facilitatorIds ?? [];
    await this.assertFacilitatorsExist(facilitatorIds);

    const { cohortId, sessions } = await this.dataSource.transaction((manager) =>
      this.changeSchedule(manager, async () => {
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
        const sessions = await this.insertSessions(manager, cohort.id, planned, 0);
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
        if (facilitatorIds.length > 0)
          await this.events.publish(manager, 'cohort.facilitators_assigned', {
            cohortId: cohort.id,
            userIds: facilitatorIds,
          });
        return { cohortId: cohort.id, sessions };
      }),
    );
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

  /** Open cohorts with places left, soonest first: what a trainee can ask to join. */
  async listOpen(actor: AuthUser, query: OpenCohortsQuery) {
    const cohorts = await this.list(actor, { status: 'open', areaId: query.area, course: query.course });
    const soonest = (cohort: { nextSessionAt: Date | null }) => cohort.nextSessionAt?.getTime() ?? Infinity;
    return cohorts
      .filter((cohort) => cohort.enrolledCount < cohort.capacity)
      .sort((a, b) => soonest(a) - soonest(b) || a.title.localeCompare(b.title));
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
      this.qualifications.currentlyAccredited(facilitatorIds, cohort.courseVersion!.courseCode),
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
      actions: cohortActions(cohort, access),
    };
  }

  /** The cohort's detail for someone who may manage it; refuses anyone else. */
  async managedDetail(actor: AuthUser, id: string): Promise<CohortDetail> {
    const detail = await this.detail(actor, id);
    if (!detail.access.manage) throw forbidden('Only a training lead of the host organisation can do this');
    return detail;
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
   * The rules read the cohort under its row lock, so a change made meanwhile (a cancellation) is the one they see.
   */
  async update(
    actor: AuthUser,
    id: string,
    dto: UpdateCohortDto,
  ): Promise<CohortDetail & { promoted: string[] }> {
    await this.assertCanManage(actor, id);
    const { status, ...fields } = providedFields(dto);
    const apply = async (manager: EntityManager) => {
      const cohort = await this.lockCohort(manager, id);
      const to = status !== undefined && status !== cohort.status ? status : null;
      if (to) await this.assertMayBecome(manager, cohort, to);
      else this.assertEditable(cohort);
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
        await this.events.publish(manager, 'cohort.status_changed', {
          cohortId: id,
          from: cohort.status,
          to,
        });
      }
      if (to === 'cancelled')
        return { cohortId: id, promoted: [], cancelledSessions: await this.cancelSessions(manager, cohort) };
      if (to === 'completed') await this.recordCompletions(manager, cohort);
      // Places freed by a larger capacity go to the people waiting, in order.
      const promoted =
        fields.capacity !== undefined
          ? await this.fillFreePlaces(manager, actor, { ...cohort, ...fields, status: to ?? cohort.status })
          : [];
      return { cohortId: id, promoted, cancelledSessions: [] as CohortSession[] };
    };
    // A cancelled cohort books nothing, so cancelling needs no clash check whatever else changes with it.
    const reschedules =
      (fields.venue !== undefined || fields.deliveryMode !== undefined) && status !== 'cancelled';
    const { cancelledSessions, promoted } = await this.dataSource.transaction((manager) =>
      reschedules ? this.changeSchedule(manager, () => apply(manager)) : apply(manager),
    );
    await this.reminders.cancel(cancelledSessions);
    return { ...(await this.detail(actor, id)), promoted };
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
      throw refuse(
        'CAPACITY_BELOW_ENROLLED',
        `Capacity cannot be below the ${enrolled} people already enrolled; withdraw someone first`,
      );
    }
  }

  async addSessions(
    actor: AuthUser,
    id: string,
    dto: SessionsInputDto,
  ): Promise<CohortDetail & { added: CohortSession[] }> {
    await this.assertCanManage(actor, id);
    const planned = this.plan(dto);
    if (planned.length === 0)
      throw refuse('SESSIONS_MISSING', 'Give sessions or a schedule to add', { field: 'sessions' });
    const sessions = await this.dataSource.transaction((manager) =>
      this.changeSchedule(manager, async () => {
        this.assertEditable(await this.lockCohort(manager, id));
        const existing = await manager.countBy(CohortSession, { cohortId: id });
        const created = await this.insertSessions(manager, id, planned, existing);
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
        return { cohortId: id, sessions: created };
      }),
    );
    await this.reminders.schedule(sessions.sessions);
    return { ...(await this.detail(actor, id)), added: sessions.sessions };
  }

  /** Moving a session re-checks clashes and raises its calendar SEQUENCE; its reminder moves with it. */
  async updateSession(actor: AuthUser, sessionId: string, dto: UpdateSessionDto): Promise<CohortSession> {
    const { cohortId } = await this.findSession(sessionId);
    await this.assertCanManage(actor, cohortId);
    const cancelling = dto.status === 'cancelled';
    const apply = async (manager: EntityManager) => {
      this.assertEditable(await this.lockCohort(manager, cohortId));
      // Read under the cohort's lock, so that two changes made at once each raise the sequence.
      const session = await manager.findOneByOrFail(CohortSession, { id: sessionId });
      if (session.status === 'cancelled') throw refuse('SESSION_CANCELLED', 'This session was cancelled');
      const startsAt = dto.startsAt ? new Date(dto.startsAt) : session.startsAt;
      const endsAt = dto.endsAt ? new Date(dto.endsAt) : session.endsAt;
      const moved =
        startsAt.getTime() !== session.startsAt.getTime() || endsAt.getTime() !== session.endsAt.getTime();
      if (moved) {
        assertBookable([{ startsAt, endsAt }], () => ({
          startsAt: 'startsAt',
          endsAt: dto.endsAt ? 'endsAt' : 'startsAt',
        }));
      }
      const venue = dto.venue !== undefined ? dto.venue : session.venue;
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
            cohortId,
            from: { startsAt: session.startsAt, endsAt: session.endsAt },
            ...dto,
          },
        },
        manager,
      );
      return {
        cohortId,
        before: session,
        after: await manager.findOneByOrFail(CohortSession, { id: session.id }),
      };
    };
    const { before, after } = await this.dataSource.transaction((manager) =>
      cancelling ? apply(manager) : this.changeSchedule(manager, () => apply(manager)),
    );
    await this.reminders.reschedule(before, after);
    return after;
  }

  async addFacilitator(actor: AuthUser, cohortId: string, dto: AddFacilitatorDto): Promise<CohortDetail> {
    await this.assertCanManage(actor, cohortId);
    await this.assertFacilitatorsExist([dto.userId]);
    await this.dataSource.transaction((manager) =>
      this.changeSchedule(manager, async () => {
        this.assertEditable(await this.lockCohort(manager, cohortId));
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
        await this.events.publish(manager, 'cohort.facilitators_assigned', {
          cohortId,
          userIds: [dto.userId],
        });
        return { cohortId };
      }),
    );
    return this.detail(actor, cohortId);
  }

  /** Takes a facilitator off the cohort; `removed` is their name, for the message. */
  async removeFacilitator(
    actor: AuthUser,
    cohortId: string,
    userId: string,
  ): Promise<CohortDetail & { removed: string }> {
    await this.assertCanManage(actor, cohortId);
    const removed = (await this.users.contacts([userId])).get(userId)?.name ?? 'The facilitator';
    await this.dataSource.transaction(async (manager) => {
      this.assertEditable(await this.lockCohort(manager, cohortId));
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
      await this.events.publish(manager, 'cohort.facilitator_removed', { cohortId, userId });
    });
    return { ...(await this.detail(actor, cohortId)), removed };
  }

  /** The cohort's facilitators, lead first, in the order they were added. */
  async facilitatorIdsOf(cohortId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(CohortFacilitator)
      .find({ where: { cohortId }, order: { createdAt: 'ASC' }, select: { userId: true, role: true } });
    return [...rows.filter((row) => row.role === 'lead'), ...rows.filter((row) => row.role !== 'lead')].map(
      (row) => row.userId,
    );
  }

  /** The cohort's sessions in order, cancelled ones included. */
  sessionsOf(cohortId: string): Promise<CohortSession[]> {
    return this.dataSource
      .getRepository(CohortSession)
      .find({ where: { cohortId }, order: { startsAt: 'ASC' } });
  }

  /** Sessions, held or not cancelled, of cohorts of this course that the person is a facilitator of. */
  async sessionsFacilitatedBy(userId: string, courseCode: CourseCode): Promise<CohortSession[]> {
    return this.dataSource
      .getRepository(CohortSession)
      .createQueryBuilder('session')
      .innerJoin(CohortFacilitator, 'link', 'link.cohortId = session.cohortId AND link.userId = :userId', {
        userId,
      })
      .innerJoin('session.cohort', 'cohort')
      .innerJoin('cohort.courseVersion', 'version')
      .where('version.courseCode = :courseCode AND session.status = :scheduled', {
        courseCode,
        scheduled: 'scheduled',
      })
      .orderBy('session.startsAt', 'ASC')
      .getMany();
  }

  async findSession(id: string): Promise<CohortSession> {
    const session = await this.dataSource.getRepository(CohortSession).findOneBy({ id });
    if (!session) throw notFound('The session');
    return session;
  }

  async findCohort(id: string): Promise<Cohort> {
    const cohort = await this.cohortQuery(this.dataSource.manager, id).getOne();
    if (!cohort) throw notFound('The cohort');
    return cohort;
  }

  /**
   * The cohort as it is now, its row locked until the transaction ends: rules about its status, capacity or venue
   * read it here, so that two changes made at once are decided one after the other.
   */
  async lockCohort(manager: EntityManager, id: string): Promise<Cohort> {
    const cohort = await this.cohortQuery(manager, id)
      .setLock('pessimistic_write', undefined, ['cohort'])
      .getOne();
    if (!cohort) throw notFound('The cohort');
    return cohort;
  }

  private cohortQuery(manager: EntityManager, id: string) {
    // A query builder's getOne is one query; find with relations adds a second to page the joined rows.
    return manager
      .getRepository(Cohort)
      .createQueryBuilder('cohort')
      .innerJoinAndSelect('cohort.courseVersion', 'courseVersion')
      .innerJoinAndSelect('cohort.organisation', 'organisation')
      .innerJoinAndSelect('cohort.area', 'area')
      .where('cohort.id = :id', { id });
  }

  /**
   * Gives free places to the first people waiting, in order, and returns their enrolments. A cancelled or
   * completed cohort has no places to give, so nobody is promoted into it. Call with the cohort locked.
   */
  async fillFreePlaces(manager: EntityManager, actor: AuthUser | null, cohort: Cohort): Promise<string[]> {
    if (!PLACES_CHANGE_WHILE.includes(cohort.status)) return [];
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
      await this.events.publish(manager, 'enrolment.promoted', {
        enrolmentId: row.id,
        cohortId: cohort.id,
        traineeId: row.trainee_id,
      });
    }
    return promoted.map((row) => row.id);
  }

  private async assertMayBecome(manager: EntityManager, cohort: Cohort, to: CohortStatus): Promise<void> {
    if (!TRANSITIONS[cohort.status].includes(to)) {
      const allowed = TRANSITIONS[cohort.status];
      throw refuse(
        'STATUS_CHANGE_REFUSED',
        allowed.length
          ? `${withArticle(cohort.status)} cohort can become ${allowed.map(spoken).join(' or ')}, not ${spoken(to)}`
          : `${withArticle(cohort.status)} cohort cannot change status`,
      );
    }
    if (to === 'open') await this.assertReadyToOpen(manager, cohort);
    if (to === 'completed') await this.assertAllSessionsHeld(manager, cohort);
  }

  private async assertReadyToOpen(manager: EntityManager, cohort: Cohort): Promise<void> {
    const rules = cohort.courseVersion!.rules;
    const sessions = await manager.countBy(CohortSession, { cohortId: cohort.id, status: 'scheduled' });
    if (sessions === 0) throw refuse('SESSIONS_MISSING', 'Add the sessions before opening the cohort');
    const deliverers = await manager.find(CohortFacilitator, {
      where: { cohortId: cohort.id, role: In(['lead', 'co']) },
      select: { userId: true },
    });
    const accredited = await this.qualifications.currentlyAccredited(
      deliverers.map((row) => row.userId),
      cohort.courseVersion!.courseCode,
    );
    if (accredited.size < rules.minAccreditedFacilitators) {
      throw refuse(
        'FACILITATORS_NOT_ACCREDITED',
        `A ${COURSE_NAMES[cohort.courseVersion!.courseCode]} cohort opens only with at least ${rules.minAccreditedFacilitators} facilitators holding a current accreditation; it has ${accredited.size}`,
        { details: { required: rules.minAccreditedFacilitators, accredited: [...accredited] } },
      );
    }
  }

  private async assertAllSessionsHeld(manager: EntityManager, cohort: Cohort): Promise<void> {
    const upcoming = await manager
      .getRepository(CohortSession)
      .createQueryBuilder('session')
      .where(`session.cohortId = :id AND session.status = 'scheduled' AND session.endsAt > now()`, {
        id: cohort.id,
      })
      .getCount();
    if (upcoming > 0) {
      throw refuse(
        'SESSIONS_NOT_FINISHED',
        `${upcoming} session${upcoming === 1 ? ' has' : 's have'} not finished yet`,
      );
    }
  }

  /**
   * Every enrolled trainee whose progress report is eligible completes the cohort. That issues nothing: what the
   * completion proves elsewhere (prerequisites, accreditation) comes with the certificate a lead issues.
   */
  private async recordCompletions(manager: EntityManager, cohort: Cohort): Promise<void> {
    const reports = await this.progress.reports(cohort, manager);
    const eligible = reports.filter((report) => report.eligible).map((report) => report.enrolmentId);
    if (eligible.length === 0) return;
    await manager.update(Enrolment, { id: In(eligible) }, { status: 'completed' });
  }

  private async cancelSessions(manager: EntityManager, cohort: Cohort): Promise<CohortSession[]> {
    return manager
      .query(
        `UPDATE cohort_sessions SET status = 'cancelled', sequence = sequence + 1, updated_at = now()
          WHERE cohort_id = $1 AND status = 'scheduled' RETURNING id, starts_at AS "startsAt", sequence`,
        [cohort.id],
      )
      .then((result: [CohortSession[], number]) => result[0]);
  }

  /** Everyone a change to the cohort concerns: trainees with a place, a request or a position, and facilitators. */
  async peopleOn(cohortId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: Array<{ user_id: string }> = await manager.query(
      `SELECT trainee_id AS user_id FROM enrolments WHERE cohort_id = $1 AND status IN ('requested', 'enrolled', 'waitlisted')
       UNION SELECT user_id FROM cohort_facilitators WHERE cohort_id = $1`,
      [cohortId],
    );
    return rows.map((row) => row.user_id);
  }

  /** Cohorts' titles by id, for listings that name them. */
  async titlesOf(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(Cohort)
      .find({ where: { id: In(ids) }, select: { id: true, title: true } });
    return new Map(rows.map((row) => [row.id, row.title]));
  }

  /**
   * Who takes part now in cohorts of these courses that are still running: trainees with a place and facilitators.
   * Materials entitles them when a material gets a new edition.
   */
  async activeParticipants(courseCodes: CourseCode[]): Promise<CohortParticipant[]> {
    const rows: Array<{
      cohort_id: string;
      organisation_id: string;
      course_code: CourseCode;
      user_id: string;
      enrolment_id: string | null;
      role: 'trainee' | 'facilitator';
    }> = await this.dataSource.query(
      `SELECT c.id AS cohort_id, c.organisation_id, v.course_code, p.user_id, p.enrolment_id, p.role
         FROM cohorts c
         JOIN course_versions v ON v.id = c.course_version_id
         JOIN LATERAL (
           SELECT e.trainee_id AS user_id, e.id AS enrolment_id, 'trainee' AS role
             FROM enrolments e WHERE e.cohort_id = c.id AND e.status = 'enrolled'
           UNION ALL
           SELECT f.user_id, NULL, 'facilitator' FROM cohort_facilitators f WHERE f.cohort_id = c.id
         ) p ON true
        WHERE v.course_code = ANY($1) AND c.status = ANY($2)`,
      [courseCodes, PLACES_CHANGE_WHILE],
    );
    return rows.map((row) => ({
      cohortId: row.cohort_id,
      organisationId: row.organisation_id,
      courseCode: row.course_code,
      userId: row.user_id,
      enrolmentId: row.enrolment_id,
      role: row.role,
    }));
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

  /** Sessions to add, their times checked; each keeps a venue of its own only when it is not the cohort's. */
  private plan(dto: SessionsInputDto): PlannedSession[] {
    if (dto.sessions && dto.schedule) {
      throw refuse('SCHEDULE_AMBIGUOUS', 'Give either sessions one by one or a weekly schedule, not both', {
        field: 'schedule',
      });
    }
    if (dto.schedule) {
      const times = expandWeekly({ ...dto.schedule, firstStartsAt: new Date(dto.schedule.firstStartsAt) });
      assertBookable(times, weeklyScheduleFields('schedule.'));
      return times.map((time) => ({ ...time, venue: null }));
    }
    const sessions = (dto.sessions ?? []).map((session) => ({
      startsAt: new Date(session.startsAt),
      endsAt: new Date(session.endsAt),
      title: session.title,
      venue: session.venue ?? null,
    }));
    assertBookable(sessions, (index) => ({
      startsAt: `sessions.${index}.startsAt`,
      endsAt: `sessions.${index}.endsAt`,
    }));
    return sessions;
  }

  /** Stores planned sessions; one without a title is named by its number in the cohort, after `existing`. */
  private async insertSessions(
    manager: EntityManager,
    cohortId: string,
    planned: PlannedSession[],
    existing: number,
  ): Promise<CohortSession[]> {
    if (planned.length === 0) return [];
    const sessions = planned.map((p, index) =>
      manager.create(CohortSession, {
        cohortId,
        title: p.title ?? `Session ${existing + index + 1}`,
        startsAt: p.startsAt,
        endsAt: p.endsAt,
        venue: p.venue,
      }),
    );
    return manager.save(sessions);
  }

  /**
   * The one way to make a change that can double-book a facilitator or a venue: creating a cohort, its venue or
   * delivery mode, adding or moving sessions, adding facilitators. The scheduling lock is taken before anything is
   * read; `change` then writes, and the cohort as it now stands is compared with every other booking. A clash (409,
   * naming it) rolls the change back. Checking what was written, not a picture of the cohort taken earlier, is what
   * keeps two changes made at once, to one cohort or to two, from missing each other.
   */
  private async changeSchedule<T extends { cohortId: string }>(
    manager: EntityManager,
    change: () => Promise<T>,
  ): Promise<T> {
    await manager.query(SCHEDULING_LOCK);
    const result = await change();
    await this.assertNoClash(manager, result.cohortId);
    return result;
  }

  /**
   * Each scheduled session of the cohort against every other one, its own sessions included: a facilitator of both,
   * or the same venue when neither is online, at an overlapping time is a clash.
   */
  private async assertNoClash(manager: EntityManager, cohortId: string): Promise<void> {
    const [facilitatorClash]: Array<{ user_id: string; title: string; starts_at: Date; ends_at: Date }> =
      await manager.query(
        `SELECT f.user_id, c.title, s.starts_at, s.ends_at
           FROM ${OVERLAPPING_SESSIONS}
           JOIN cohort_facilitators f ON f.cohort_id = c.id
           JOIN cohort_facilitators mf ON mf.cohort_id = mc.id AND mf.user_id = f.user_id
          WHERE ${BOTH_BOOKED}
          ORDER BY s.starts_at LIMIT 1`,
        [cohortId],
      );
    if (facilitatorClash) {
      const { user_id: userId, title, starts_at: startsAt, ends_at: endsAt } = facilitatorClash;
      const name = (await this.users.contacts([userId], manager)).get(userId)?.name ?? 'A facilitator';
      throw refuse(
        'FACILITATOR_CLASH',
        `${name} is already booked for ${title} at that time (${describeSessionTime(startsAt, endsAt)})`,
        { field: 'facilitatorIds', details: { clash: { userId, cohortTitle: title, startsAt, endsAt } } },
      );
    }
    const [venueClash]: Array<{ venue: string; title: string; starts_at: Date; ends_at: Date }> =
      await manager.query(
        `SELECT coalesce(s.venue, c.venue) AS venue, c.title, s.starts_at, s.ends_at
           FROM ${OVERLAPPING_SESSIONS}
          WHERE ${BOTH_BOOKED} AND mc.delivery_mode <> 'online' AND c.delivery_mode <> 'online'
            AND ${venueKey('coalesce(s.venue, c.venue)')} = ${venueKey('coalesce(mine.venue, mc.venue)')}
          ORDER BY s.starts_at LIMIT 1`,
        [cohortId],
      );
    if (venueClash) {
      const { venue, title, starts_at: startsAt, ends_at: endsAt } = venueClash;
      throw refuse(
        'VENUE_CLASH',
        `${venue} is already booked for ${title} at that time (${describeSessionTime(startsAt, endsAt)})`,
        { field: 'venue', details: { clash: { venue, cohortTitle: title, startsAt, endsAt } } },
      );
    }
  }

  private async assertFacilitatorsExist(userIds: string[]): Promise<void> {
    await this.users.assertActiveWithRole(userIds, 'facilitator', 'facilitator');
  }

  /** The organisations the actor may create cohorts for: any, for an admin; a lead's own. */
  async hostsFor(actor: AuthUser) {
    const organisations = await this.organisations.listOrganisations();
    return organisations.filter((organisation) => this.mayHost(actor, organisation.id));
  }

  private mayHost(actor: AuthUser, organisationId: string): boolean {
    return (
      hasRole(actor, 'admin') || (hasRole(actor, 'training_lead') && actor.organisationId === organisationId)
    );
  }

  private assertMayCreateFor(actor: AuthUser, organisationId: string): void {
    if (!this.mayHost(actor, organisationId)) {
      throw refuse(
        'ORGANISATION_NOT_YOURS',
        'A training lead can create cohorts only for their own organisation',
        {
          field: 'organisationId',
        },
      );
    }
  }

  private assertEditable(cohort: Cohort): void {
    if (!isEditable(cohort.status)) {
      throw refuse('COHORT_NOT_EDITABLE', `A ${cohort.status} cohort cannot be changed`);
    }
  }
}
