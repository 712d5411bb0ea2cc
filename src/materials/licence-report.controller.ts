import { Controller, Get, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { errorSummary } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { ValidationFailedException, validateForm } from 'src/common/validation';
import { LicenceReportQuery } from 'src/materials/dto/licence-report.dto';
import { LicenceReportService } from 'src/materials/licence-report.service';

/** The licence report: copies issued per material, edition and organisation over a period, as JSON, CSV or a page. */
@ApiTags('reports')
@Controller()
@Roles('admin', 'training_lead')
export class LicenceReportController {
  constructor(private readonly reports: LicenceReportService) {}

  @Get('api/v1/reports/licences')
  @ApiProduces('application/json', 'text/csv')
  async report(
    @CurrentUser() actor: AuthUser,
    @Query() query: LicenceReportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (query.format !== 'csv') return this.reports.report(actor, query);
    const { fileName, content } = await this.reports.csv(actor, query);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName}"`);
    return content;
  }

  /** The period is a GET form, so a report can be bookmarked; a wrong date is shown beside its field. */
  @Get('reports/licences')
  @ApiExcludeEndpoint()
  @Render('reports/licences')
  async page(@CurrentUser() actor: AuthUser, @Query() raw: Record<string, unknown>) {
    const page = { title: 'Licence report', values: raw };
    const { value, errors } = await validateForm(LicenceReportQuery, {
      from: raw.from || undefined,
      to: raw.to || undefined,
    });
    if (errors) return { ...page, ...errorSummary(errors) };
    try {
      const report = await this.reports.report(actor, value);
      const period = new URLSearchParams({ from: report.from, to: report.to });
      return {
        ...page,
        values: { from: report.from, to: report.to },
        report,
        csvLink: `/api/v1/reports/licences?${period.toString()}&format=csv`,
      };
    } catch (error) {
      if (error instanceof ValidationFailedException) return { ...page, ...errorSummary(error.errors) };
      throw error;
    }
  }
}
