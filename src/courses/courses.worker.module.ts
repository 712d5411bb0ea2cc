import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { JobHandlersModule } from 'src/common/job-handlers.module';
import { QUEUES } from 'src/common/queues';
import { AccreditationRemindersProcessor } from 'src/courses/accreditation-reminders.processor';
import { CoursesModule } from 'src/courses/courses.module';

/** The accreditation reminder processor, for the worker process only. */
@Module({
  imports: [CoursesModule, JobHandlersModule, BullModule.registerQueue({ name: QUEUES.accreditations })],
  providers: [AccreditationRemindersProcessor],
})
export class CoursesWorkerModule {}
