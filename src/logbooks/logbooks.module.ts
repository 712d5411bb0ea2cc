import { Module, OnModuleInit } from '@nestjs/common';
import { CohortsModule } from 'src/cohorts/cohorts.module';
import { CompletionPolicyModule } from 'src/courses/completion-policy.module';
import { ProgressFactRegistry } from 'src/courses/progress-fact.registry';
import { EventsModule } from 'src/events/events.module';
import { UsersModule } from 'src/users/users.module';
import { LogbookFactProvider } from 'src/logbooks/logbook.fact-provider';
import { LogbooksController } from 'src/logbooks/logbooks.controller';
import { LogbooksPagesController } from 'src/logbooks/logbooks.pages.controller';
import { LogbooksService } from 'src/logbooks/logbooks.service';
import { LogbooksPersonalData } from 'src/logbooks/logbooks.personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { LogbooksRetention } from 'src/logbooks/logbooks.retention';
import { RetentionRegistry } from 'src/privacy/retention.registry';

/** Reflective practice logbooks: entries, their revisions and reviews, the identifier screener, progress facts. */
@Module({
  imports: [CohortsModule, CompletionPolicyModule, EventsModule, UsersModule],
  controllers: [LogbooksController, LogbooksPagesController],
  providers: [LogbooksPersonalData, LogbooksRetention, LogbooksService, LogbookFactProvider],
  exports: [LogbooksService],
})
export class LogbooksModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly logbooksPersonalData: LogbooksPersonalData,
    private readonly retention: RetentionRegistry,
    private readonly logbooksRetention: LogbooksRetention,
    private readonly facts: ProgressFactRegistry,
    private readonly logbook: LogbookFactProvider,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.logbooksPersonalData);
    this.retention.register(this.logbooksRetention);
    this.facts.register(this.logbook);
  }
}
