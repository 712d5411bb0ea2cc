import { InjectQueue } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { JobProcessor, JobProcessorHost, OnJob } from 'src/common/job-handlers';
import { JOBS, JobQueue, keepJobScheduler, QUEUES, QueueJob } from 'src/common/queues';
import { RemindersService } from 'src/cohorts/reminders.service';

@JobProcessor(QUEUES.reminders)
export class RemindersProcessor extends JobProcessorHost implements OnApplicationBootstrap {
  constructor(
    private readonly reminders: RemindersService,
    @InjectQueue(QUEUES.reminders) private readonly queue: JobQueue<'reminders'>,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await keepJobScheduler(
      this.queue,
      'reminders-sweep',
      { every: 10 * 60_000 },
      { name: JOBS.reminders.sweep },
    );
  }

  @OnJob(QUEUES.reminders, JOBS.reminders.sweep)
  async sweep(): Promise<void> {
    await this.reminders.sweep();
  }

  @OnJob(QUEUES.reminders, JOBS.reminders.send)
  async send(job: QueueJob<'reminders', 'send'>): Promise<void> {
    await this.reminders.send(job.data);
  }
}
