import { InjectQueue } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';
import { JobProcessor, JobProcessorHost, OnJob } from 'src/common/job-handlers';
import { JOBS, JobQueue, keepJobScheduler, QUEUES, QueueJob } from 'src/common/queues';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { EventsService } from 'src/events/events.service';
import { Certificate } from 'src/certificates/certificate.entity';
import { CertificatesService } from 'src/certificates/certificates.service';
import type { RenderPool } from 'src/certificates/render-pool';

export const RENDER_POOL = Symbol('certificate render pool');

/** The render job's id, which CertificatesService gives it when `certificate.issued` is delivered. */
const renderJobId = (certificateId: string) => `certificate-${certificateId}`;

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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
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

  /**
   * A render job lost after its `certificate.issued` was delivered (with Redis's data, when Redis restarts without
   * it; or failed by BullMQ for stalling twice) would leave its certificate queued for ever, and the events sweeper
   * cannot see it. A certificate queued for a sweep interval with no job is announced again, as a retry does.
   */
  @OnJob(QUEUES.certificates, JOBS.certificates.sweep)
  async sweep(): Promise<void> {
    const queued = await this.dataSource.getRepository(Certificate).find({
      where: { status: 'queued', issuedAt: LessThan(new Date(Date.now() - this.config.SWEEP_INTERVAL_MS)) },
      select: { id: true },
      order: { issuedAt: 'ASC' },
      take: 500,
    });
    const lost: string[] = [];
    for (const { id } of queued) if (!(await this.queue.getJob(renderJobId(id)))) lost.push(id);
    if (lost.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      for (const certificateId of lost)
        await this.events.publish(manager, 'certificate.issued', { certificateId });
    });
  }
}
