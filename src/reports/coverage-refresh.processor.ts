import { InjectQueue } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobProcessor, JobProcessorHost, OnJob } from 'src/common/job-handlers';
import { JOBS, JobQueue, keepJobScheduler, QUEUES } from 'src/common/queues';
import { CoverageRefreshService } from 'src/reports/coverage-refresh.service';

/** Refreshes the coverage summary when changes ask for it, and every hour besides (quarters turn, cohorts start). */
@JobProcessor(QUEUES.reports)
export class CoverageRefreshProcessor extends JobProcessorHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(CoverageRefreshProcessor.name);

  constructor(
    private readonly refreshes: CoverageRefreshService,
    @InjectQueue(QUEUES.reports) private readonly queue: JobQueue<'reports'>,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await keepJobScheduler(
      this.queue,
      'coverage-refresh-hourly',
      { pattern: '5 * * * *', tz: 'Europe/London' },
      { name: JOBS.reports.refresh },
    );
    // A new installation (or one whose summary predates this worker) has numbers from its first minute.
    if (!(await this.refreshes.lastRefresh())) await this.refreshes.schedule();
  }

  @OnJob(QUEUES.reports, JOBS.reports.refresh)
  async refresh(): Promise<void> {
    const { cells, durationMs } = await this.refreshes.refresh();
    this.logger.log(`Coverage summary refreshed: ${cells} cells in ${durationMs} ms`);
  }
}
