import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CompetenciesRepository } from 'src/competencies/competencies.repository';
import type { ProgressFactProvider, ProgressScope } from 'src/courses/progress-fact.provider';
import type { CompetencyFacts } from 'src/courses/progress-facts';

/** How many items of the course version's framework each trainee has met, in one query for the whole scope. */
@Injectable()
export class CompetenciesFactProvider implements ProgressFactProvider<'competencies'> {
  readonly fact = 'competencies';

  constructor(private readonly repository: CompetenciesRepository) {}

  async gather(scope: ProgressScope, manager: EntityManager): Promise<Map<string, CompetencyFacts>> {
    return this.repository.metCounts(
      scope.courseVersionId,
      scope.enrolments.map((enrolment) => enrolment.enrolmentId),
      manager,
    );
  }
}
