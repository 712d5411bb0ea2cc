import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from 'src/common/queues';
import { EventsModule } from 'src/events/events.module';
import { CoverageRefreshService } from 'src/reports/coverage-refresh.service';
import { CoveragePagesController } from 'src/reports/coverage.pages.controller';
import { CoverageReportController } from 'src/reports/coverage-report.controller';
import { CoverageReportService } from 'src/reports/coverage-report.service';

/** Workforce coverage for commissioners: a summary kept from the changes, read per area, course and profession. */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.reports }), EventsModule],
  controllers: [CoverageReportController, CoveragePagesController],
  providers: [CoverageRefreshService, CoverageReportService],
  exports: [CoverageRefreshService, CoverageReportService, BullModule],
})
export class ReportsModule {}
