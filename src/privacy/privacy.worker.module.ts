import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { JobHandlersModule } from 'src/common/job-handlers.module';
import { QUEUES } from 'src/common/queues';
import { RetentionProcessor } from 'src/privacy/retention.processor';

/** The nightly retention run, for the worker process only. */
@Module({
  imports: [JobHandlersModule, BullModule.registerQueue({ name: QUEUES.retention })],
  providers: [RetentionProcessor],
})
export class PrivacyWorkerModule {}
