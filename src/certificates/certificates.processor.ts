import { Inject, OnModuleDestroy } from '@nestjs/common';
import { JobProcessor, JobProcessorHost, OnJob } from 'src/common/job-handlers';
import { QUEUES, JOBS, QueueJob } from 'src/common/queues';
import { CertificatesService } from 'src/certificates/certificates.service';
import type { RenderPool } from 'src/certificates/render-pool';

export const RENDER_POOL = Symbol('certificate render pool');

/** Makes certificates' PDFs, on worker threads so that the job locks keep being renewed during a bulk run. */
@JobProcessor(QUEUES.certificates)
export class CertificatesProcessor extends JobProcessorHost implements OnModuleDestroy {
  constructor(
    private readonly certificates: CertificatesService,
    @Inject(RENDER_POOL) private readonly pool: RenderPool,
  ) {
    super();
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
}
