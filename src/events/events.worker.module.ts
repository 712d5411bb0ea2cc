import { Module } from '@nestjs/common';
import { JobHandlersModule } from 'src/common/job-handlers.module';
import { EventsModule } from 'src/events/events.module';
import { EventsProcessor } from 'src/events/events.processor';

/** The event delivery processor, for the worker process only: the web process publishes and never consumes. */
@Module({ imports: [EventsModule, JobHandlersModule], providers: [EventsProcessor] })
export class EventsWorkerModule {}
