import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { excelCsvOfLines } from 'src/common/excel-csv';
import { forbidden } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import { ValidationFailedException } from 'src/common/validation';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';
import { CoverageRefreshService } from 'src/reports/coverage-refresh.service';
import { coverageCsvHeader, CoverageRow } from 'src/reports/coverage-rows';
import type { CoverageQuery } from 'src/reports/dto/coverage-query.dto';
import type { Profession } from 'src/users/profession';

export interface CoverageReport {
  /** When the summary the numbers come from was made. */
  refreshedAt: string | null;
  threshold: number;
  filters: {
    areas: string[];
    course: CourseCode | null;
    profession: Profession | null;
    from: string | null;
    to: string | null;
  };
  quarterEnds: string[];
  quarterStarts: string[];
  /** Every area, region and England shown, each course, all professions (or the one asked for). */
  rows: CoverageRow[];
  /** The same places and courses by profession (none when a profession is asked for: the rows are it). */
  byProfession: CoverageRow[];
}

/** What a report shows, as its head (the report without its rows) and the parameters that select its rows. */
interface Selection {
  report: Omit<CoverageReport, 'rows' | 'byProfession'>;
  /** Areas, regions, England, courses and profession: $1 to $5 of `selectedRows`. */
  parameters: [string[], string[], boolean, CourseCode[], Profession | null];
  /** Whether the whole trend is shown, else its quarters as a slice (1-based, inclusive) of each row's. */
  trend: [boolean, number, number];
}

// The report's rows of a selection ($1 areas, $2 regions, $3 England, $4 courses, $5 profession or none for all),
// with the columns a format needs. Three indexed reads rather than one scan for an OR of them.
const selectedRows = (columns: string) =>
  [
    `level = 'area' AND area_id = ANY($1)`,
    `level = 'region' AND region = ANY($2)`,
    `level = 'england' AND $3`,
  ]
    .map(
      (place) => `SELECT position, ${columns} FROM coverage_report_rows
                   WHERE ${place} AND course_code = ANY($4) AND profession IS NOT DISTINCT FROM $5`,
    )
    .join(' UNION ALL ');

/**
 * The workforce coverage report, read from the summary the refresh keeps: never from the base tables, never a
 * person. A commissioner sees the areas they cover, a training lead their organisation's area, an admin all; a
 * region (or England) is shown only to someone who may see every area in it, so no total takes in an area its
 * reader may not see.
 */
@Injectable()
export class CoverageReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly refreshes: CoverageRefreshService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The areas the actor may report on, by id, with code, name and region. */
  async visibleAreas(actor: AuthUser): Promise<Area[]> {
    return (await this.areas(actor)).filter((area) => area.visible);
  }

  /** Every area, in the order reports list them, marked with whether the actor may report on it. */
  private async areas(actor: AuthUser): Promise<Array<Area & { visible: boolean }>> {
    if (!hasRole(actor, 'admin', 'commissioner', 'training_lead'))
      throw forbidden('Coverage reports are for commissioners, training leads and administrators');
    // One query on every request, whichever roles the actor holds: the areas they commission, and their
    // organisation's area when they lead training.
    return this.dataSource.query(
      `SELECT id, code, name, region,
              ($1
               OR ($2 AND id IN (SELECT area_id FROM commissioner_areas WHERE user_id = $4))
               OR ($3 AND id IS NOT DISTINCT FROM (SELECT area_id FROM organisations WHERE id = $5))) AS visible
         FROM areas
        ORDER BY region, name`,
      [
        hasRole(actor, 'admin'),
        hasRole(actor, 'commissioner'),
        hasRole(actor, 'training_lead'),
        actor.id,
        actor.organisationId,
      ],
    );
  }

  /** The report for a page: the JSON the API sends, read back. */
  async report(actor: AuthUser, query: CoverageQuery): Promise<CoverageReport> {
    return JSON.parse(await this.json(await this.selection(actor, query))) as CoverageReport;
  }

  /** The report for the API in either format, audited as an export. */
  async exported(
    actor: AuthUser,
    query: CoverageQuery,
    format: 'csv' | 'json',
  ): Promise<{ content: string; fileName: string }> {
    const selection = await this.selection(actor, query);
    const { report } = selection;
    // The event is written while the rows are read, a round trip the less; an export failing after it is still on
    // the record as asked for.
    const [content] = await Promise.all([
      format === 'csv' ? this.csv(selection) : this.json(selection),
      this.audit.record({
        actorId: actor.id,
        action: 'report.exported',
        subjectType: 'report',
        details: { report: 'coverage', format, filters: report.filters },
      }),
    ]);
    const day = (report.refreshedAt ?? new Date().toISOString()).slice(0, 10);
    return { content, fileName: `coverage-${day}.${format}` };
  }

  /** The report as the API's JSON, put together from the rows the refresh made. */
  private async json(selection: Selection): Promise<string> {
    // Rows, not one aggregated text: the driver reads many modest values far faster than one of megabytes.
    const rows: Array<{ json: string; breakdown: string | null }> = await this.dataSource.query(
      `SELECT CASE WHEN $6 THEN json_whole
                   ELSE json_head || array_to_string(json_trend[$7:$8], ',') || json_tail END AS json,
              json_breakdown AS breakdown
         FROM (${selectedRows('json_whole, json_head, json_trend, json_tail, json_breakdown')}) AS selected
        ORDER BY position`,
      [...selection.parameters, ...selection.trend],
    );
    const main = rows.map((row) => row.json).join(',');
    // A place without professions has an empty breakdown.
    const breakdown = rows
      .filter((row) => row.breakdown)
      .map((row) => row.breakdown)
      .join(',');
    const head = JSON.stringify(selection.report);
    return `${head.slice(0, -1)},"rows":[${main}],"byProfession":[${breakdown}]}`;
  }

  /** The report as a CSV that opens in Excel, one header row and one row per figure set. */
  private async csv(selection: Selection): Promise<string> {
    const { report } = selection;
    // The profession breakdown's lines leave the trend's columns empty (it has no trend): when the period narrows
    // the trend, they are made again with as many empty columns as quarters shown.
    const rows: Array<{ line: string; breakdown: string | null }> = await this.dataSource.query(
      `SELECT CASE WHEN $6 THEN csv_whole
                   ELSE csv_head || array_to_string(csv_trend[$7:$8], '') || csv_tail END AS line,
              CASE WHEN $6 OR csv_breakdown IS NULL THEN csv_breakdown
                   ELSE (SELECT string_agg(p.csv_head || repeat(',', $8 - $7 + 1) || p.csv_tail, E'\\r\\n'
                                           ORDER BY p.position)
                           FROM coverage_report_rows p
                          WHERE p.level = selected.level AND p.area_id IS NOT DISTINCT FROM selected.area_id
                            AND p.region IS NOT DISTINCT FROM selected.region
                            AND p.course_code = selected.course_code AND p.profession IS NOT NULL) END AS breakdown
         FROM (${selectedRows('level, area_id, region, course_code, csv_whole, csv_head, csv_trend, csv_tail, csv_breakdown')}) AS selected
        ORDER BY position`,
      [...selection.parameters, ...selection.trend],
    );
    return excelCsvOfLines([
      coverageCsvHeader(report.quarterEnds, report.quarterStarts),
      ...rows.map((row) => row.line),
      ...rows.filter((row) => row.breakdown).map((row) => row.breakdown!),
    ]);
  }

  /**
   * What a report shows: the places (areas chosen, the regions and England only when every area in them is), the
   * courses, the profession, and the quarters of the trend within the period; refused when it reaches past the
   * actor's areas.
   */
  private async selection(actor: AuthUser, query: CoverageQuery): Promise<Selection> {
    if (query.from && query.to && query.from > query.to)
      throw new ValidationFailedException({ to: ['The end of the period must not be before its start'] });
    const [allAreas, last] = await Promise.all([this.areas(actor), this.refreshes.lastRefresh()]);
    const chosen = query.area?.length
      ? chosenAreas(query.area, allAreas)
      : allAreas.filter((area) => area.visible);
    const chosenIds = new Set(chosen.map((area) => area.id));
    const regions = [...new Set(chosen.map((area) => area.region))].filter((region) =>
      allAreas.filter((area) => area.region === region).every((area) => chosenIds.has(area.id)),
    );
    const england = allAreas.length > 0 && allAreas.every((area) => chosenIds.has(area.id));
    const courses = query.course ? [query.course] : [...COURSE_CODES];
    const profession = query.profession ?? null;
    const ends = last?.quarterEnds ?? [];
    const first = ends.findIndex((day) => !query.from || day >= query.from);
    const shown = ends.filter((day) => (!query.from || day >= query.from) && (!query.to || day <= query.to));
    const report: Selection['report'] = {
      refreshedAt: last ? last.finishedAt.toISOString() : null,
      threshold: last?.threshold ?? this.config.SUPPRESSION_THRESHOLD,
      filters: {
        areas: chosen.map((area) => area.code),
        course: query.course ?? null,
        profession,
        from: query.from ?? null,
        to: query.to ?? null,
      },
      quarterEnds: shown,
      quarterStarts: last?.quarterStarts ?? [],
    };
    return {
      report,
      parameters: [[...chosenIds], regions, england, courses, profession],
      trend: [shown.length === ends.length, first + 1, first + shown.length],
    };
  }
}

interface Area {
  id: string;
  code: string;
  name: string;
  region: string;
}

/** The areas asked for by code: refused when a code is unknown (400) or the actor may not see the area (403). */
function chosenAreas(codes: string[], areas: Array<Area & { visible: boolean }>): Area[] {
  const unknown = codes.filter((code) => !areas.some((area) => area.code === code));
  if (unknown.length > 0)
    throw new ValidationFailedException({ area: [`No area has the code ${unknown.join(', ')}`] });
  const outside = codes.filter((code) => !areas.some((area) => area.code === code && area.visible));
  if (outside.length > 0)
    throw forbidden(`You cannot see coverage for ${outside.join(', ')}: it is not one of your areas`);
  return areas.filter((area) => codes.includes(area.code));
}
