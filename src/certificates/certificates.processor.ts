import { InjectQueue } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { WorkerOptions } from 'bullmq';
import { JobProcessor, JobProcessorHost, OnJob } from 'src/common/job-handlers';
import { JOBS, JobQueue, keepJobScheduler, QUEUES, QueueJob } from 'src/common/queues';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { CertificatesService } from 'src/certificates/certificates.service';
import type { RenderPool } from 'src/certificates/render-pool';

export const RENDER_POOL = Symbol('certificate render pool');

/** Makes certificates' PDFs, on worker threads so that the job locks keep being renewed during a bulk run. */
@JobProcessor(QUEUES.certificates)
export class CertificatesProcessor
  extends JobProcessorHost
  implements OnApplicationBootstrap, OnModuleDestroy
{
  constructor(
    private readonly certificates: CertificatesService,
    @Inject(RENDER_POOL) private readonly pool: RenderPool,
    @InjectQueue(QUEUES.certificates) private readonly queue: JobQueue<'certificates'>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  /** Twice as many jobs as render threads: one job's reads and writes overlap another's render. */
  override workerOptions(): Partial<WorkerOptions> {
    return { concurrency: this.config.RENDER_THREADS * 2 };
  }

  async onApplicationBootstrap(): Promise<void> {
    await keepJobScheduler(
      this.queue,
      'certificates-sweep',
      { every: this.config.SWEEP_INTERVAL_MS },
      { name: JOBS.certificates.sweep },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }

  @OnJob(QUEUES.certificates, JOBS.certificates.render)
  async render(job: QueueJob<'certificates', 'render'>): Promise<void> {
    await this.certificates.render(
      job.data.certificateId,
      this.pool,
      job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
    );
  }

  @OnJob(QUEUES.certificates, JOBS.certificates.sweep)
  async sweep(): Promise<void> {
    await this.certificates.announceLostRenders(this.config.SWEEP_INTERVAL_MS);
  }
}
