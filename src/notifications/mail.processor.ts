import { InjectQueue } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { JobProcessor, JobProcessorHost, OnJob } from 'src/common/job-handlers';
import { JOBS, JobQueue, QUEUES, QueueJob } from 'src/common/queues';
import { NotificationsService } from 'src/notifications/notifications.service';

@JobProcessor(QUEUES.mail)
export class MailProcessor extends JobProcessorHost implements OnApplicationBootstrap {
  constructor(
    private readonly notifications: NotificationsService,
    @InjectQueue(QUEUES.mail) private readonly queue: JobQueue<'mail'>,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('mail-sweep', { every: 60_000 }, { name: JOBS.mail.sweep });
  }

  @OnJob(QUEUES.mail, JOBS.mail.sweep)
  async sweep(): Promise<void> {
    await this.notifications.sweep();
  }

  @OnJob(QUEUES.mail, JOBS.mail.send)
  async send(job: QueueJob<'mail', 'send'>): Promise<void> {
    try {
      await this.notifications.deliver(job.data.messageId);
    } catch (error) {
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await this.notifications.recordFailure(job.data.messageId, (error as Error).message, final);
      throw error;
    }
  }
}
