import { InjectQueue } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobProcessor, JobProcessorHost, OnJob } from 'src/common/job-handlers';
import { JOBS, JobQueue, keepJobScheduler, QUEUES } from 'src/common/queues';
import { NIGHTLY_RUN } from 'src/privacy/retention';
import { RetentionService } from 'src/privacy/retention.service';

export const RETENTION_SCHEDULER = 'retention-nightly';

/** Once a night, when the platform is quiet, removes what is past its retention period. */
@JobProcessor(QUEUES.retention)
export class RetentionProcessor extends JobProcessorHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionProcessor.name);

  constructor(
    private readonly retention: RetentionService,
    @InjectQueue(QUEUES.retention) private readonly queue: JobQueue<'retention'>,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await keepJobScheduler(
      this.queue,
      RETENTION_SCHEDULER,
      { pattern: `${NIGHTLY_RUN.minute} ${NIGHTLY_RUN.hour} * * *`, tz: NIGHTLY_RUN.zone },
      { name: JOBS.retention.run },
    );
  }

  @OnJob(QUEUES.retention, JOBS.retention.run)
  async run(): Promise<void> {
    const { recordTypes } = await this.retention.run();
    const removed = recordTypes.map((type) => `${type.recordType} ${type.removed}`).join(', ');
    this.logger.log(`Retention run: ${removed}`);
  }
}
