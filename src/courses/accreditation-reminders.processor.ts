import { InjectQueue } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { JobProcessor, JobProcessorHost, OnJob } from 'src/common/job-handlers';
import { JOBS, JobQueue, keepJobScheduler, QUEUES } from 'src/common/queues';
import { QualificationsService } from 'src/courses/qualifications.service';

/** Once a day, tells facilitators whose accreditation expires in 90 or 30 days. */
@JobProcessor(QUEUES.accreditations)
export class AccreditationRemindersProcessor extends JobProcessorHost implements OnApplicationBootstrap {
  constructor(
    private readonly qualifications: QualificationsService,
    @InjectQueue(QUEUES.accreditations) private readonly queue: JobQueue<'accreditations'>,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await keepJobScheduler(
      this.queue,
      'accreditation-reminders',
      { pattern: '0 7 * * *', tz: 'Europe/London' },
      { name: JOBS.accreditations.remind },
    );
  }

  @OnJob(QUEUES.accreditations, JOBS.accreditations.remind)
  async remind(): Promise<void> {
    await this.qualifications.remindExpiring();
  }
}
