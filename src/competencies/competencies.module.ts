import { Module, OnModuleInit } from '@nestjs/common';
import { CohortsModule } from 'src/cohorts/cohorts.module';
import { CompetenciesController } from 'src/competencies/competencies.controller';
import { CompetenciesFactProvider } from 'src/competencies/competencies.fact-provider';
import { CompetenciesListener } from 'src/competencies/competencies.listener';
import { CompetenciesPagesController } from 'src/competencies/competencies.pages.controller';
import { CompetenciesRepository } from 'src/competencies/competencies.repository';
import { CompetenciesService } from 'src/competencies/competencies.service';
import { CompletionPolicyModule } from 'src/courses/completion-policy.module';
import { CoursesModule } from 'src/courses/courses.module';
import { ProgressFactRegistry } from 'src/courses/progress-fact.registry';
import { EventsModule } from 'src/events/events.module';
import { LogbooksModule } from 'src/logbooks/logbooks.module';
import { UsersModule } from 'src/users/users.module';
import { CompetenciesPersonalData } from 'src/competencies/competencies.personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { CompetenciesRetention } from 'src/competencies/competencies.retention';
import { RetentionRegistry } from 'src/privacy/retention.registry';

/**
 * Competency frameworks (per course version) and the append-only sign-offs of each trainee's competencies.
 * Supplies the competencies fact to progress; copies the framework when a course gets a new version.
 */
@Module({
  imports: [CompletionPolicyModule, CoursesModule, CohortsModule, EventsModule, LogbooksModule, UsersModule],
  controllers: [CompetenciesController, CompetenciesPagesController],
  providers: [
    CompetenciesPersonalData,
    CompetenciesRetention,
    CompetenciesService,
    CompetenciesRepository,
    CompetenciesFactProvider,
    CompetenciesListener,
  ],
  exports: [CompetenciesService],
})
export class CompetenciesModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly competenciesPersonalData: CompetenciesPersonalData,
    private readonly retention: RetentionRegistry,
    private readonly competenciesRetention: CompetenciesRetention,
    private readonly facts: ProgressFactRegistry,
    private readonly competencies: CompetenciesFactProvider,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.competenciesPersonalData);
    this.retention.register(this.competenciesRetention);
    this.facts.register(this.competencies);
  }
}
