import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { forbidden, notFound, refuse } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import { Cohort, CohortStatus, PLACES_CHANGE_WHILE } from 'src/cohorts/cohort.entity';
import { CohortsService } from 'src/cohorts/cohorts.service';
import type { ListEnrolmentsQuery } from 'src/cohorts/dto/cohort.dto';
import { ACTIVE_ENROLMENT_STATUSES, Enrolment } from 'src/cohorts/enrolment.entity';
import { canRunRegister } from 'src/cohorts/cohort-access';
import type { RequirementRow } from 'src/courses/completion-policy';
import type { CourseCode } from 'src/courses/course-code';
import { CoursesService } from 'src/courses/courses.service';
import { QualificationsService } from 'src/courses/qualifications.service';
import { EventsService } from 'src/events/events.service';
import { UsersService } from 'src/users/users.service';

export interface EnrolmentView {
  id: string;
  cohortId: string;
  traineeId: string;
  traineeName: string;
  traineeEmail: string;
  status: Enrolment['status'];
  waitlistPosition: number | null;
  enrolledAt: Date | null;
  createdAt: Date;
}

/**
 * Places, the waiting list and requests. Every change locks the cohort row first, so parallel requests queue
 * behind each other: no over-booking, no gaps or duplicates in waiting-list positions.
 */

export interface WithdrawalOutcome {
  withdrawn: EnrolmentView;
  /** People on the waiting list who now have the place. */
  promoted: EnrolmentView[];
}
@Injectable()
export class EnrolmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cohorts: CohortsService,
    private readonly courses: CoursesService,
    private readonly qualifications: QualificationsService,
    private readonly users: UsersService,
    private readonly events: EventsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * A training lead (or admin) places a trainee; a trainee asking for themselves on an open cohort makes a
   * request that a lead approves.
   */
  async enrol(actor: AuthUser, cohortId: string, traineeId: string): Promise<EnrolmentView> {
    const { cohort: seen, access } = await this.cohorts.access(actor, cohortId);
    const selfRequest = !access.manage && actor.id === traineeId && hasRole(actor, 'trainee');
    if (!access.manage && !selfRequest)
      throw forbidden('Only a training lead of the host organisation can enrol someone');
    const allowed: readonly CohortStatus[] = selfRequest ? ['open'] : PLACES_CHANGE_WHILE;
    assertStatusAllows(seen.status, allowed, selfRequest ? 'requests' : 'enrolments');
    await this.users.assertEnrollable([traineeId]);
    await this.assertPrerequisites(seen, traineeId);

    const enrolmentId = await this.dataSource.transaction(async (manager) => {
      const cohort = await this.cohorts.lockCohort(manager, cohortId);
      assertStatusAllows(cohort.status, allowed, selfRequest ? 'requests' : 'enrolments');
      if (await manager.existsBy(Enrolment, { cohortId, traineeId, status: In(ACTIVE_ENROLMENT_STATUSES) })) {
        throw refuse(
          'ALREADY_ENROLLED',
          'This trainee already has a place, a request or a waiting-list position on this cohort',
          { field: 'traineeId' },
        );
      }
      const enrolment = selfRequest
        ? await manager.save(manager.create(Enrolment, { cohortId, traineeId, status: 'requested' }))
        : await manager.save(
            manager.create(Enrolment, { cohortId, traineeId, ...(await this.nextPlace(manager, cohort)) }),
          );
      await this.audit.record(
        {
          actorId: actor.id,
          action: selfRequest ? 'enrolment.requested' : `enrolment.${enrolment.status}`,
          subjectType: 'enrolment',
          subjectId: enrolment.id,
          details: { cohortId, traineeId, waitlistPosition: enrolment.waitlistPosition },
        },
        manager,
      );
      if (!selfRequest) await this.publishPlaced(manager, enrolment);
      return enrolment.id;
    });
    return this.view(enrolmentId);
  }

  async approve(actor: AuthUser, enrolmentId: string): Promise<EnrolmentView> {
    const enrolment = await this.find(enrolmentId);
    await this.cohorts.assertCanManage(actor, enrolment.cohortId);
    await this.dataSource.transaction(async (manager) => {
      const cohort = await this.cohorts.lockCohort(manager, enrolment.cohortId);
      assertStatusAllows(cohort.status, PLACES_CHANGE_WHILE, 'enrolments');
      const current = await this.lockRequest(manager, enrolmentId);
      const placed = { ...current, ...(await this.nextPlace(manager, cohort)) };
      await manager.update(
        Enrolment,
        { id: enrolmentId },
        { status: placed.status, waitlistPosition: placed.waitlistPosition, enrolledAt: placed.enrolledAt },
      );
      await this.audit.record(
        {
          actorId: actor.id,
          action: `enrolment.${placed.status}`,
          subjectType: 'enrolment',
          subjectId: enrolmentId,
          details: {
            cohortId: cohort.id,
            traineeId: current.traineeId,
            approvedRequest: true,
            waitlistPosition: placed.waitlistPosition,
          },
        },
        manager,
      );
      await this.publishPlaced(manager, placed);
    });
    return this.view(enrolmentId);
  }

  async decline(actor: AuthUser, enrolmentId: string): Promise<EnrolmentView> {
    const enrolment = await this.find(enrolmentId);
    await this.cohorts.assertCanManage(actor, enrolment.cohortId);
    await this.dataSource.transaction(async (manager) => {
      await this.lockRequest(manager, enrolmentId);
      await manager.update(Enrolment, { id: enrolmentId }, { status: 'declined' });
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'enrolment.declined',
          subjectType: 'enrolment',
          subjectId: enrolmentId,
          details: { cohortId: enrolment.cohortId },
        },
        manager,
      );
    });
    return this.view(enrolmentId);
  }

  /** Frees the place (or waiting-list position) and, in the same transaction, gives a freed place to the first waiting. */
  /** The enrolment, when it is one of this cohort's. */
  async findInCohort(cohortId: string, enrolmentId: string): Promise<Enrolment> {
    const enrolment = await this.find(enrolmentId);
    if (enrolment.cohortId !== cohortId) throw notFound('The enrolment');
    return enrolment;
  }

  /** Withdraws a place, request or waiting-list position; a place freed goes to the first person waiting. */
  async withdraw(actor: AuthUser, cohortId: string, enrolmentId: string): Promise<WithdrawalOutcome> {
    const enrolment = await this.findInCohort(cohortId, enrolmentId);
    const { access } = await this.cohorts.access(actor, cohortId);
    if (!access.manage && enrolment.traineeId !== actor.id)
      throw forbidden('Only the trainee or a training lead can withdraw this place');
    const promotedIds = await this.dataSource.transaction(async (manager) => {
      const cohort = await this.cohorts.lockCohort(manager, cohortId);
      // A completed cohort's places are the record of who took the course. Leaving a cancelled one is recorded
      // (it tidies the trainee's list), and its place goes to nobody.
      if (cohort.status === 'completed') {
        throw refuse('COHORT_NOT_TAKING_PLACES', 'This cohort is completed; its places cannot change');
      }
      const current = await this.lockEnrolment(manager, enrolmentId);
      if (!['requested', 'enrolled', 'waitlisted'].includes(current.status)) {
        throw refuse('ENROLMENT_STATUS_CONFLICT', `This enrolment is already ${current.status}`);
      }
      await manager.update(
        Enrolment,
        { id: enrolmentId },
        { status: 'withdrawn', waitlistPosition: null, withdrawnAt: new Date() },
      );
      if (current.status === 'waitlisted') {
        await manager.query(
          `UPDATE enrolments SET waitlist_position = waitlist_position - 1
            WHERE cohort_id = $1 AND status = 'waitlisted' AND waitlist_position > $2`,
          [cohortId, current.waitlistPosition],
        );
      }
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'enrolment.withdrawn',
          subjectType: 'enrolment',
          subjectId: enrolmentId,
          details: { cohortId, traineeId: current.traineeId, was: current.status },
        },
        manager,
      );
      await this.events.publish(manager, 'enrolment.withdrawn', {
        enrolmentId,
        cohortId,
        traineeId: current.traineeId,
        was: current.status,
        byId: actor.id,
      });
      return current.status === 'enrolled' ? this.cohorts.fillFreePlaces(manager, actor, cohort) : [];
    });
    const [withdrawn, ...promoted] = await Promise.all(
      [enrolmentId, ...promotedIds].map((id) => this.view(id)),
    );
    return { withdrawn, promoted };
  }

  /** Managers and facilitators see the whole list; a trainee sees only their own enrolment. */
  async list(actor: AuthUser, cohortId: string, query: ListEnrolmentsQuery): Promise<EnrolmentView[]> {
    const { access } = await this.cohorts.access(actor, cohortId);
    const own = !canRunRegister(access);
    if (own && !access.enrolled) throw forbidden('This cohort is not one of yours');
    const enrolments = await this.dataSource.getRepository(Enrolment).find({
      where: {
        cohortId,
        ...(query.status ? { status: query.status } : {}),
        ...(own ? { traineeId: actor.id } : {}),
      },
      order: { createdAt: 'ASC' },
    });
    const ordered = enrolments.sort((a, b) => rank(a) - rank(b));
    return this.views(ordered);
  }

  async mine(actor: AuthUser): Promise<Array<EnrolmentView & { cohort: Cohort }>> {
    const enrolments = await this.dataSource.getRepository(Enrolment).find({
      where: { traineeId: actor.id, status: In(ACTIVE_ENROLMENT_STATUSES) },
      relations: { cohort: { courseVersion: true, organisation: true } },
      order: { createdAt: 'DESC' },
    });
    const views = await this.views(enrolments);
    return views.map((view, index) => ({ ...view, cohort: enrolments[index].cohort! }));
  }

  async find(enrolmentId: string): Promise<Enrolment> {
    const enrolment = await this.dataSource.getRepository(Enrolment).findOneBy({ id: enrolmentId });
    if (!enrolment) throw notFound('The enrolment');
    return enrolment;
  }

  /** A place while the cohort has room, otherwise the next waiting-list position. Call with the cohort locked. */
  private async nextPlace(
    manager: EntityManager,
    cohort: Cohort,
  ): Promise<Pick<Enrolment, 'status' | 'waitlistPosition' | 'enrolledAt'>> {
    const enrolled = await manager.count(Enrolment, {
      where: { cohortId: cohort.id, status: In(['enrolled', 'completed']) },
    });
    if (enrolled < cohort.capacity)
      return { status: 'enrolled', waitlistPosition: null, enrolledAt: new Date() };
    const [{ last }]: Array<{ last: number | null }> = await manager.query(
      `SELECT max(waitlist_position) AS last FROM enrolments WHERE cohort_id = $1 AND status = 'waitlisted'`,
      [cohort.id],
    );
    return { status: 'waitlisted', waitlistPosition: (last ?? 0) + 1, enrolledAt: null };
  }

  private async publishPlaced(
    manager: EntityManager,
    enrolment: Pick<Enrolment, 'id' | 'cohortId' | 'traineeId' | 'status' | 'waitlistPosition'>,
  ): Promise<void> {
    await this.events.publish(manager, 'enrolment.placed', {
      enrolmentId: enrolment.id,
      cohortId: enrolment.cohortId,
      traineeId: enrolment.traineeId,
      status: enrolment.status === 'waitlisted' ? 'waitlisted' : 'enrolled',
      waitlistPosition: enrolment.waitlistPosition,
    });
  }

  /** What the course asks before enrolment that this person (or, with null, someone new) has not done. */
  async unmetPrerequisites(cohort: Cohort, traineeId: string | null): Promise<RequirementRow[]> {
    const completed = traineeId
      ? ((await this.qualifications.completedCourses([traineeId])).get(traineeId) ?? new Set<CourseCode>())
      : new Set<CourseCode>();
    return this.courses
      .policyFor(cohort.courseVersion!.courseCode)
      .prerequisites(cohort.courseVersion!.rules, completed)
      .filter((row) => !row.met);
  }

  private async assertPrerequisites(cohort: Cohort, traineeId: string): Promise<void> {
    const unmet = await this.unmetPrerequisites(cohort, traineeId);
    if (unmet.length > 0) {
      throw refuse(
        'PREREQUISITE_NOT_MET',
        `Prerequisite not met: ${unmet.map((row) => row.detail).join('; ')}`,
        { details: { unmet } },
      );
    }
  }

  /**
   * The enrolment as it is now, its row locked until commit: of two actions racing on one enrolment (approve,
   * decline, withdraw), the second waits and then sees what the first did.
   */
  private lockEnrolment(manager: EntityManager, enrolmentId: string): Promise<Enrolment> {
    return manager.findOneOrFail(Enrolment, {
      where: { id: enrolmentId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  private async lockRequest(manager: EntityManager, enrolmentId: string): Promise<Enrolment> {
    const current = await this.lockEnrolment(manager, enrolmentId);
    if (current.status !== 'requested')
      throw refuse('ENROLMENT_STATUS_CONFLICT', `This enrolment is ${current.status}, not a request`);
    return current;
  }

  private async view(id: string): Promise<EnrolmentView> {
    const [view] = await this.views([await this.find(id)]);
    return view;
  }

  private async views(enrolments: Enrolment[]): Promise<EnrolmentView[]> {
    const contacts = await this.users.contacts(enrolments.map((e) => e.traineeId));
    return enrolments.map((e) => ({
      id: e.id,
      cohortId: e.cohortId,
      traineeId: e.traineeId,
      traineeName: contacts.get(e.traineeId)?.name ?? '',
      traineeEmail: contacts.get(e.traineeId)?.email ?? '',
      status: e.status,
      waitlistPosition: e.waitlistPosition,
      enrolledAt: e.enrolledAt,
      createdAt: e.createdAt,
    }));
  }
}

const STATUS_ORDER = ['enrolled', 'completed', 'waitlisted', 'requested', 'withdrawn', 'declined'];

export function assertStatusAllows(
  status: CohortStatus,
  allowed: readonly CohortStatus[],
  what: string,
): void {
  if (!allowed.includes(status)) {
    throw refuse(
      'COHORT_NOT_TAKING_PLACES',
      `This cohort is ${status.replace('_', ' ')} and takes no ${what}`,
    );
  }
}

const rank = (e: Enrolment) => STATUS_ORDER.indexOf(e.status) * 10_000 + (e.waitlistPosition ?? 0);
