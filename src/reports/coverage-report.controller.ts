import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import type { AuthUser } from 'src/common/request-context';
import { CoverageReportService } from 'src/reports/coverage-report.service';
import { CoverageQuery } from 'src/reports/dto/coverage-query.dto';

@ApiTags('reports')
@Controller('api/v1/reports/coverage')
@Roles('admin', 'training_lead', 'commissioner')
export class CoverageReportController {
  constructor(private readonly reports: CoverageReportService) {}

  /** Coverage per area and course, by profession, with the quarterly trend and places coming; audited. */
  @Get()
  @ApiProduces('application/json', 'text/csv')
  async report(
    @CurrentUser() actor: AuthUser,
    @Query() query: CoverageQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (query.format !== 'csv') {
      const { content } = await this.reports.exported(actor, query, 'json');
      void reply.header('content-type', 'application/json; charset=utf-8');
      return content;
    }
    const { fileName, content } = await this.reports.exported(actor, query, 'csv');
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName}"`);
    return content;
  }
}
