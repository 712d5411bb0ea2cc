import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { QUEUES } from 'src/common/queues';
import { MailJob, NotificationsService } from 'src/notifications/notifications.service';

type MailQueueJob = Job<MailJob, void, 'send'> | Job<Record<string, never>, void, 'sweep'>;

@Processor(QUEUES.mail)
export class MailProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly notifications: NotificationsService,
    @InjectQueue(QUEUES.mail) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('mail-sweep', { every: 60_000 }, { name: 'sweep' });
  }

  async process(job: MailQueueJob): Promise<void> {
    switch (job.name) {
      case 'sweep':
        await this.notifications.sweep();
        return;
      case 'send':
        try {
          await this.notifications.deliver(job.data.messageId);
        } catch (error) {
          const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          await this.notifications.recordFailure(job.data.messageId, (error as Error).message, final);
          throw error;
        }
        return;
    }
  }
}
