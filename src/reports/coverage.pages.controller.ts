import { Controller, Get, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { londonMoment } from 'src/common/london-date';
import { errorSummary } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { ValidationFailedException, validateForm } from 'src/common/validation';
import { COURSE_CODES, COURSE_NAMES } from 'src/courses/course-code';
import { coverageBarChart, trendChart } from 'src/reports/coverage-charts';
import { CoverageReport, CoverageReportService } from 'src/reports/coverage-report.service';
import { CoverageQuery } from 'src/reports/dto/coverage-query.dto';
import { quarterLabel } from 'src/reports/quarters';
import { PROFESSION_LABELS, PROFESSIONS } from 'src/users/profession';

/** The coverage report as a page: filters in a GET form (so a report can be bookmarked), charts and their tables. */
@ApiExcludeController()
@Controller('reports/coverage')
@Roles('admin', 'training_lead', 'commissioner')
export class CoveragePagesController {
  constructor(private readonly reports: CoverageReportService) {}

  @Get()
  @Render('reports/coverage')
  async page(@CurrentUser() actor: AuthUser, @Query() raw: Record<string, unknown>) {
    const areas = await this.reports.visibleAreas(actor);
    const input = {
      area: toList(raw.area),
      course: raw.course || undefined,
      profession: raw.profession || undefined,
      from: raw.from || undefined,
      to: raw.to || undefined,
    };
    const chosen = new Set(input.area);
    const form = {
      areaOptions: areas.map((area) => ({
        value: area.code,
        text: `${area.name} (${area.region})`,
        selected: chosen.has(area.code),
      })),
      courseOptions: COURSE_CODES.map((code) => ({
        value: code,
        text: COURSE_NAMES[code],
        selected: code === input.course,
      })),
      professionOptions: PROFESSIONS.map((profession) => ({
        value: profession,
        text: PROFESSION_LABELS[profession],
        selected: profession === input.profession,
      })),
    };
    const page = { title: 'Workforce coverage', ...form, values: { from: input.from, to: input.to } };
    const { value, errors } = await validateForm(CoverageQuery, input);
    if (errors) return { ...page, ...errorSummary(errors) };
    let report: CoverageReport;
    try {
      report = await this.reports.report(actor, value);
    } catch (error) {
      if (error instanceof ValidationFailedException) return { ...page, ...errorSummary(error.errors) };
      throw error;
    }
    const query = new URLSearchParams(
      Object.entries({ ...input, area: input.area.join(',') }).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
      ),
    );
    query.set('format', 'csv');
    const courses = [...new Set(report.rows.map((row) => row.course))];
    return {
      ...page,
      report,
      refreshed: report.refreshedAt ? londonMoment(new Date(report.refreshedAt)) : null,
      csvLink: `/api/v1/reports/coverage?${query.toString()}`,
      quarterLabels: report.quarterEnds.map(quarterLabel),
      startLabels: report.quarterStarts.map(quarterLabel),
      charts: courses.map((course) => {
        const rows = report.rows.filter((row) => row.course === course);
        const areaRows = rows.filter((row) => row.level === 'area');
        const trendRows =
          rows.filter((row) => row.level !== 'area').length > 0
            ? rows.filter((row) => row.level !== 'area')
            : areaRows;
        return {
          course: COURSE_NAMES[course],
          coverage: coverageBarChart(`${COURSE_NAMES[course]}: coverage of the workforce by area`, areaRows),
          trend: trendChart(
            `${COURSE_NAMES[course]}: practitioners certified at each quarter's end`,
            trendRows,
          ),
        };
      }),
    };
  }
}

const toList = (value: unknown): string[] =>
  (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [])
    .map((item) => String(item).trim())
    .filter((item) => item !== '');
