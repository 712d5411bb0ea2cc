import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CourseCode } from 'src/courses/course-code';
import { QualificationsService } from 'src/courses/qualifications.service';
import type { ProgressFactProvider, ProgressScope } from 'src/courses/progress-fact.provider';

/** The courses each trainee holds (prerequisites), in one query for the whole scope. */
@Injectable()
export class CompletedCoursesFactProvider implements ProgressFactProvider<'completedCourses'> {
  readonly fact = 'completedCourses';

  constructor(private readonly qualifications: QualificationsService) {}

  async gather(scope: ProgressScope, manager: EntityManager): Promise<Map<string, ReadonlySet<CourseCode>>> {
    const completed = await this.qualifications.completedCourses(
      scope.enrolments.map((enrolment) => enrolment.traineeId),
      manager,
    );
    return new Map(
      scope.enrolments.map(({ enrolmentId, traineeId }) => [
        enrolmentId,
        completed.get(traineeId) ?? new Set(),
      ]),
    );
  }
}
