import { Injectable, OnModuleInit } from '@nestjs/common';
import { CompetenciesRepository } from 'src/competencies/competencies.repository';
import { EventsService } from 'src/events/events.service';

/** A new course version starts with the framework of the version it replaces; running cohorts keep theirs. */
@Injectable()
export class CompetenciesListener implements OnModuleInit {
  constructor(
    private readonly events: EventsService,
    private readonly repository: CompetenciesRepository,
  ) {}

  onModuleInit(): void {
    this.events.on(
      'course.version_created',
      'competencies.copy-framework',
      async ({ versionId, previousVersionId }, { manager }) => {
        await this.repository.copyFramework(previousVersionId, versionId, manager);
      },
    );
  }
}
