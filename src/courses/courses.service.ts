import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { notFound } from 'src/common/refusal';
import type { AuthUser } from 'src/common/request-context';
import { CompletionPolicyRegistry } from 'src/courses/completion-policy.registry';
import type { CompletionPolicy } from 'src/courses/completion-policy';
import { COURSE_EVENTS } from 'src/courses/course.events';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';
import { CourseVersion } from 'src/courses/course-version.entity';
import type { CreateCourseVersionDto } from 'src/courses/dto/course.dto';
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
}
