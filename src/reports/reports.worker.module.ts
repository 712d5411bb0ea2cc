import { Module } from '@nestjs/common';
import { JobHandlersModule } from 'src/common/job-handlers.module';
import { CoverageRefreshProcessor } from 'src/reports/coverage-refresh.processor';
import { ReportsModule } from 'src/reports/reports.module';

/** The coverage refresh processor, for the worker process only. */
@Module({
  imports: [ReportsModule, JobHandlersModule],
  providers: [CoverageRefreshProcessor],
})
export class ReportsWorkerModule {}
