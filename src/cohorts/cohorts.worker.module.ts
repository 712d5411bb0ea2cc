import { Module } from '@nestjs/common';
import { CohortsModule } from 'src/cohorts/cohorts.module';
import { RemindersProcessor } from 'src/cohorts/reminders.processor';
import { JobHandlersModule } from 'src/common/job-handlers.module';

/** The session reminder processor, for the worker process only: the web process enqueues and never consumes. */
@Module({ imports: [CohortsModule, JobHandlersModule], providers: [RemindersProcessor] })
export class CohortsWorkerModule {}
