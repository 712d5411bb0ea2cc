import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { QUEUES } from 'src/common/queues';
import { ReminderJob, RemindersService } from 'src/cohorts/reminders.service';

type RemindersQueueJob = Job<ReminderJob, void, 'send'> | Job<Record<string, never>, void, 'sweep'>;

@Processor(QUEUES.reminders)
export class RemindersProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly reminders: RemindersService,
    @InjectQueue(QUEUES.reminders) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('reminders-sweep', { every: 10 * 60_000 }, { name: 'sweep' });
  }

  async process(job: RemindersQueueJob): Promise<void> {
    switch (job.name) {
      case 'sweep':
        await this.reminders.sweep();
        return;
      case 'send':
        await this.reminders.send(job.data);
        return;
    }
  }
}
