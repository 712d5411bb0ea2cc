import { InjectQueue } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { JobProcessor, JobProcessorHost, OnJob } from 'src/common/job-handlers';
import { JOBS, JobQueue, keepJobScheduler, QUEUES, QueueJob } from 'src/common/queues';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { EventsService } from 'src/events/events.service';

/** Delivers domain events to their handlers, and sweeps up any whose job never reached the queue. */
@JobProcessor(QUEUES.events)
export class EventsProcessor extends JobProcessorHost implements OnApplicationBootstrap {
  constructor(
    private readonly events: EventsService,
    @InjectQueue(QUEUES.events) private readonly queue: JobQueue<'events'>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await keepJobScheduler(
      this.queue,
      'events-sweep',
      { every: this.config.SWEEP_INTERVAL_MS },
      { name: JOBS.events.sweep },
    );
  }

  @OnJob(QUEUES.events, JOBS.events.sweep)
  async sweep(): Promise<void> {
    await this.events.sweep();
  }

  @OnJob(QUEUES.events, JOBS.events.deliver)
  async deliver(job: QueueJob<'events', 'deliver'>): Promise<void> {
    await this.events.deliver(job.data.eventId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
  }
}
