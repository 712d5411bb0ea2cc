import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, MoreThanOrEqual } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { forbidden, notFound } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import { CompletionPolicyRegistry } from 'src/courses/completion-policy.registry';
import type { CompletionPolicy } from 'src/courses/completion-policy';
import { CourseCompletion } from 'src/courses/course-completion.entity';
import { COURSE_EVENTS } from 'src/courses/course.events';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';
import { CourseVersion } from 'src/courses/course-version.entity';
import type {
  CreateCourseVersionDto,
  RecordAccreditationDto,
  RecordCompletionDto,
} from 'src/courses/dto/course.dto';
import { FacilitatorAccreditation } from 'src/courses/facilitator-accreditation.entity';
import { londonToday } from 'src/common/london-date';
import { EventsService } from 'src/events/events.service';

@Injectable()
export class CoursesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policies: CompletionPolicyRegistry,
    private readonly events: EventsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.events.declare('courses', COURSE_EVENTS);
  }

  policyFor(courseCode: CourseCode): CompletionPolicy {
    return this.policies.for(courseCode);
  }

  /** The catalogue: the current version of each course. */
  async listCurrent(): Promise<CourseVersion[]> {
    const versions = await this.dataSource.getRepository(CourseVersion).findBy({ isCurrent: true });
    return COURSE_CODES.map((code) => versions.find((version) => version.courseCode === code)).filter(
      (version): version is CourseVersion => version !== undefined,
    );
  }

  async versions(courseCode: CourseCode): Promise<CourseVersion[]> {
    return this.dataSource
      .getRepository(CourseVersion)
      .find({ where: { courseCode }, order: { version: 'DESC' } });
  }

  async currentVersion(courseCode: CourseCode): Promise<CourseVersion> {
    const version = await this.dataSource
      .getRepository(CourseVersion)
      .findOneBy({ courseCode, isCurrent: true });
    if (!version) throw notFound(`The ${courseCode} course`);
    return version;
  }

  async version(id: string): Promise<CourseVersion> {
    const version = await this.dataSource.getRepository(CourseVersion).findOneBy({ id });
    if (!version) throw notFound('The course version');
    return version;
  }

  async versionsByIds(ids: string[]): Promise<Map<string, CourseVersion>> {
    const versions = ids.length
      ? await this.dataSource.getRepository(CourseVersion).findBy({ id: In(ids) })
      : [];
    return new Map(versions.map((version) => [version.id, version]));
  }

  /**
   * Changing a course's rules makes a new version; cohorts keep the version they were created with. Features that
   * keep data per version (the competency framework) copy theirs when told of the new one.
   */
  async createVersion(
    actor: AuthUser,
    courseCode: CourseCode,
    dto: CreateCourseVersionDto,
  ): Promise<CourseVersion> {
    return this.dataSource.transaction(async (manager) => {
      const current = await manager
        .createQueryBuilder(CourseVersion, 'version')
        .setLock('pessimistic_write')
        .where('version.courseCode = :courseCode AND version.isCurrent', { courseCode })
        .getOne();
      if (!current) throw notFound(`The ${courseCode} course`);
      await manager.update(CourseVersion, { id: current.id }, { isCurrent: false });
      const created = await manager.save(
        manager.create(CourseVersion, {
          courseCode,
          version: current.version + 1,
          title: dto.title,
          rules: { ...dto.rules },
          isCurrent: true,
          createdBy: actor.id,
        }),
      );
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'course.version_created',
          subjectType: 'course_version',
          subjectId: created.id,
          details: { courseCode, version: created.version, rules: dto.rules },
        },
        manager,
      );
      await this.events.publish(manager, 'course.version_created', {
        courseCode,
        versionId: created.id,
        version: created.version,
        previousVersionId: current.id,
      });
      return created;
    });
  }

  async recordAccreditation(
    actor: AuthUser,
    userId: string,
    dto: RecordAccreditationDto,
  ): Promise<FacilitatorAccreditation> {
    assertRecordsHistory(actor);
    return this.dataSource.transaction(async (manager) => {
      const accreditation = await manager.save(
        manager.create(FacilitatorAccreditation, { userId, ...dto, recordedBy: actor.id }),
      );
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'accreditation.recorded',
          subjectType: 'user',
          subjectId: userId,
          details: { ...dto },
        },
        manager,
      );
      return accreditation;
    });
  }

  async accreditations(userId: string): Promise<FacilitatorAccreditation[]> {
    return this.dataSource
      .getRepository(FacilitatorAccreditation)
      .find({ where: { userId }, order: { expiresOn: 'DESC' } });
  }

  /** Of these people, those accredited to deliver the course today. */
  async currentlyAccredited(
    userIds: string[],
    courseCode: CourseCode,
    on = londonToday(),
  ): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.dataSource.getRepository(FacilitatorAccreditation).find({
      where: { userId: In(userIds), courseCode, expiresOn: MoreThanOrEqual(on) },
      select: { userId: true, grantedOn: true },
    });
    return new Set(rows.filter((row) => row.grantedOn <= on).map((row) => row.userId));
  }

  async recordCompletion(
    actor: AuthUser,
    userId: string,
    dto: RecordCompletionDto,
  ): Promise<CourseCompletion> {
    assertRecordsHistory(actor);
    return this.dataSource.transaction(async (manager) => {
      const completion = await manager.save(
        manager.create(CourseCompletion, { userId, ...dto, recordedBy: actor.id }),
      );
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'completion.recorded',
          subjectType: 'user',
          subjectId: userId,
          details: { ...dto },
        },
        manager,
      );
      return completion;
    });
  }

  /** Called when a cohort completes, inside its transaction; one completion per enrolment at most. */
  async recordCohortCompletion(
    entries: Array<{ userId: string; enrolmentId: string; courseCode: CourseCode }>,
    completedOn: string,
    manager: EntityManager,
  ): Promise<void> {
    if (entries.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(CourseCompletion)
      .values(entries.map((entry) => ({ ...entry, completedOn })))
      .orIgnore()
      .execute();
  }

  /** The courses each person has completed, in one query for the lot. */
  async completedCourses(
    userIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, Set<CourseCode>>> {
    const map = new Map<string, Set<CourseCode>>(userIds.map((id) => [id, new Set<CourseCode>()]));
    if (userIds.length === 0) return map;
    const rows = await manager.find(CourseCompletion, {
      where: { userId: In(userIds) },
      select: { userId: true, courseCode: true },
    });
    for (const row of rows) map.get(row.userId)?.add(row.courseCode);
    return map;
  }

  async completions(userId: string): Promise<CourseCompletion[]> {
    return this.dataSource
      .getRepository(CourseCompletion)
      .find({ where: { userId }, order: { completedOn: 'DESC' } });
  }
}

/** What someone held before the platform is taken on an administrator's word only, never a lead's about themselves. */
function assertRecordsHistory(actor: AuthUser): void {
  if (!hasRole(actor, 'admin')) {
    throw forbidden(
      'Accreditations and completions held before the platform are recorded by an administrator',
    );
  }
}
