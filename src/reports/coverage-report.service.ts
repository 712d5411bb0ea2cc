import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { excelCsv } from 'src/common/excel-csv';
import { forbidden } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import { ValidationFailedException } from 'src/common/validation';
import { COURSE_CODES, COURSE_NAMES, CourseCode } from 'src/courses/course-code';
import type { CoverageLevel, CoverageMeasure } from 'src/reports/coverage-cell.entity';
import { CoverageRefreshService } from 'src/reports/coverage-refresh.service';
import type { CoverageQuery } from 'src/reports/dto/coverage-query.dto';
import { shownCount, Suppression } from 'src/reports/suppression';
import { PROFESSION_LABELS, Profession } from 'src/users/profession';

/** A count of people as the report may show it: the number, or only that it is small or withheld. */
export interface ShownCount {
  /** Null when withheld. */
  count: number | null;
  shown: string;
  withheld: boolean;
}

export interface CoverageFigures {
  certified: ShownCount;
  inTraining: ShownCount;
  headcount: number;
  /** Certified as a percentage of headcount, one decimal; null when withheld or without a baseline. */
  coveragePercent: number | null;
  coverageShown: string;
}

export interface CoveragePlace {
  level: CoverageLevel;
  /** The area's ONS code and name, the region's name, or England. */
  code: string | null;
  name: string;
  region: string | null;
}

export interface CoverageRow extends CoveragePlace, CoverageFigures {
  course: CourseCode;
  courseName: string;
  profession: Profession | null;
  professionName: string;
  /** Certified at each quarter's end; on the rows of the report, not on its profession breakdown. */
  trend: Array<{ quarterEnd: string; certified: ShownCount }>;
  /** Places in cohorts starting in each quarter (by the cohort's area); only on rows of every profession. */
  upcomingPlaces: Array<{ quarterStart: string; places: number }> | null;
}

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

interface CellRow {
  measure: CoverageMeasure;
  course_code: CourseCode | null;
  level: CoverageLevel;
  area_id: string | null;
  region: string | null;
  profession: string | null;
  on_date: string | null;
  value: number;
  suppression: Suppression;
}

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
  ) {}

  /** The areas the actor may report on, by id, with code, name and region. */
  async visibleAreas(
    actor: AuthUser,
  ): Promise<Array<{ id: string; code: string; name: string; region: string }>> {
    if (!hasRole(actor, 'admin', 'commissioner', 'training_lead'))
      throw forbidden('Coverage reports are for commissioners, training leads and administrators');
    // One query on every request, whichever roles the actor holds: the areas they commission, and their
    // organisation's area when they lead training.
    return this.dataSource.query(
      `SELECT id, code, name, region FROM areas
        WHERE $1
           OR ($2 AND id IN (SELECT area_id FROM commissioner_areas WHERE user_id = $4))
           OR ($3 AND id = (SELECT area_id FROM organisations WHERE id = $5))
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

  async report(actor: AuthUser, query: CoverageQuery): Promise<CoverageReport> {
    if (query.from && query.to && query.from > query.to)
      throw new ValidationFailedException({ to: ['The end of the period must not be before its start'] });
    const [visible, allAreas, last] = await Promise.all([
      this.visibleAreas(actor),
      this.dataSource.query<Array<{ id: string; region: string }>>(`SELECT id, region FROM areas`),
      this.refreshes.lastRefresh(),
    ]);
    const chosen = query.area?.length ? await this.chosenAreas(query.area, visible) : visible;
    const chosenIds = new Set(chosen.map((area) => area.id));
    // A region is summed over all its areas: it is shown only when all of them are.
    const regions = [...new Set(chosen.map((area) => area.region))].filter((region) =>
      allAreas.filter((area) => area.region === region).every((area) => chosenIds.has(area.id)),
    );
    const england = allAreas.length > 0 && allAreas.every((area) => chosenIds.has(area.id));
    const courses = query.course ? [query.course] : [...COURSE_CODES];
    const profession = query.profession ?? null;
    const cells = await this.cells([...chosenIds], regions, england, courses, profession);
    const threshold = last?.threshold ?? 5;
    const quarterEnds = [
      ...new Set(cells.filter((cell) => cell.measure === 'certified_at').map((cell) => cell.on_date!)),
    ]
      .filter((day) => (!query.from || day >= query.from) && (!query.to || day <= query.to))
      .sort();
    const quarterStarts = [
      ...new Set(cells.filter((cell) => cell.measure === 'places').map((cell) => cell.on_date!)),
    ].sort();
    const byKey = new Map<string, CellRow>();
    const keyOf = (
      measure: string,
      course: string | null,
      level: string,
      place: string | null,
      prof: string | null,
      day: string | null,
    ) => `${measure}|${course}|${level}|${place}|${prof}|${day}`;
    for (const cell of cells)
      byKey.set(
        keyOf(
          cell.measure,
          cell.course_code,
          cell.level,
          cell.area_id ?? cell.region,
          cell.profession,
          cell.on_date,
        ),
        cell,
      );
    const places: Array<CoveragePlace & { key: string | null }> = [
      ...chosen.map((area) => ({
        level: 'area' as const,
        code: area.code,
        name: area.name,
        region: area.region,
        key: area.id,
      })),
      ...regions.map((region) => ({
        level: 'region' as const,
        code: null,
        name: region,
        region,
        key: region,
      })),
      ...(england
        ? [{ level: 'england' as const, code: null, name: 'England', region: null, key: null }]
        : []),
    ];
    const shown = (cell: CellRow | undefined): ShownCount => {
      const value = cell?.value ?? 0;
      const suppression = cell?.suppression ?? null;
      return {
        count: suppression ? null : value,
        shown: shownCount(value, suppression, threshold),
        withheld: suppression !== null,
      };
    };
    const rowFor = (
      place: (typeof places)[number],
      course: CourseCode,
      prof: string | null,
      withTrend: boolean,
    ): CoverageRow => {
      const find = (
        measure: CoverageMeasure,
        p: string | null,
        day: string | null = null,
        withCourse = true,
      ) => byKey.get(keyOf(measure, withCourse ? course : null, place.level, place.key, p, day));
      const certified = shown(find('certified', prof));
      const headcount = find('headcount', prof, null, false)?.value ?? 0;
      const coveragePercent =
        certified.count === null || headcount === 0
          ? null
          : Math.round((certified.count / headcount) * 1000) / 10;
      return {
        level: place.level,
        code: place.code,
        name: place.name,
        region: place.region,
        course,
        courseName: COURSE_NAMES[course],
        profession: prof as Profession | null,
        professionName: prof ? (PROFESSION_LABELS[prof as Profession] ?? prof) : 'All professions',
        certified,
        inTraining: shown(find('in_training', prof)),
        headcount,
        coveragePercent,
        coverageShown:
          coveragePercent !== null
            ? `${coveragePercent.toFixed(1)}%`
            : certified.withheld
              ? 'withheld'
              : 'no baseline',
        trend: (withTrend ? quarterEnds : []).map((quarterEnd) => ({
          quarterEnd,
          certified: shown(find('certified_at', prof, quarterEnd)),
        })),
        upcomingPlaces:
          prof === null
            ? quarterStarts.map((quarterStart) => ({
                quarterStart,
                places: find('places', null, quarterStart)?.value ?? 0,
              }))
            : null,
      };
    };
    const professions = [
      ...new Set(cells.filter((cell) => cell.profession !== null).map((cell) => cell.profession!)),
    ].sort((a, b) =>
      (PROFESSION_LABELS[a as Profession] ?? a).localeCompare(PROFESSION_LABELS[b as Profession] ?? b),
    );
    return {
      refreshedAt: last ? last.finishedAt.toISOString() : null,
      threshold,
      filters: {
        areas: chosen.map((area) => area.code),
        course: query.course ?? null,
        profession,
        from: query.from ?? null,
        to: query.to ?? null,
      },
      quarterEnds,
      quarterStarts,
      rows: places.flatMap((place) => courses.map((course) => rowFor(place, course, profession, true))),
      byProfession: profession
        ? []
        : places.flatMap((place) =>
            courses.flatMap((course) => professions.map((prof) => rowFor(place, course, prof, false))),
          ),
    };
  }

  /** The report as a CSV that opens in Excel, one header row and one row per figure set; the export is audited. */
  async csv(actor: AuthUser, query: CoverageQuery): Promise<{ fileName: string; content: string }> {
    const report = await this.exported(actor, query, 'csv');
    const header = [
      'Level',
      'Region',
      'Area code',
      'Area',
      'Course',
      'Profession',
      'Certified',
      'In training',
      'Headcount',
      'Coverage %',
      ...report.quarterEnds.map((day) => `Certified on ${day}`),
      ...report.quarterStarts.map((day) => `Places starting in the quarter from ${day}`),
      'Numbers as of',
    ];
    const lines = [...report.rows, ...report.byProfession].map((row) => [
      row.level,
      row.region ?? '',
      row.code ?? '',
      row.name,
      row.courseName,
      row.professionName,
      row.certified.shown,
      row.inTraining.shown,
      row.headcount,
      row.coveragePercent === null ? '' : row.coveragePercent.toFixed(1),
      ...report.quarterEnds.map(
        (day) => row.trend.find((quarter) => quarter.quarterEnd === day)?.certified.shown ?? '',
      ),
      ...(row.upcomingPlaces ?? report.quarterStarts.map(() => null)).map((quarter) => quarter?.places ?? ''),
      report.refreshedAt ?? '',
    ]);
    const day = (report.refreshedAt ?? new Date().toISOString()).slice(0, 10);
    return { fileName: `coverage-${day}.csv`, content: excelCsv([header, ...lines]) };
  }

  /** The report for the API, audited as an export. */
  async exported(actor: AuthUser, query: CoverageQuery, format: 'csv' | 'json'): Promise<CoverageReport> {
    const report = await this.report(actor, query);
    await this.audit.record({
      actorId: actor.id,
      action: 'report.exported',
      subjectType: 'report',
      details: { report: 'coverage', format, filters: report.filters, rows: report.rows.length },
    });
    return report;
  }

  private async chosenAreas(
    codes: string[],
    visible: Array<{ id: string; code: string; name: string; region: string }>,
  ) {
    const known: Array<{ code: string }> = await this.dataSource.query(
      `SELECT code FROM areas WHERE code = ANY($1)`,
      [codes],
    );
    const unknown = codes.filter((code) => !known.some((area) => area.code === code));
    if (unknown.length > 0)
      throw new ValidationFailedException({ area: [`No area has the code ${unknown.join(', ')}`] });
    const outside = codes.filter((code) => !visible.some((area) => area.code === code));
    if (outside.length > 0)
      throw forbidden(`You cannot see coverage for ${outside.join(', ')}: it is not one of your areas`);
    return visible.filter((area) => codes.includes(area.code));
  }

  private cells(
    areaIds: string[],
    regions: string[],
    england: boolean,
    courses: CourseCode[],
    profession: string | null,
  ): Promise<CellRow[]> {
    // Three indexed reads (areas, regions, England) rather than one scan for an OR of them.
    const columns = `measure, course_code, level, area_id, region, profession, to_char(on_date, 'YYYY-MM-DD') AS on_date,
                     value, suppression`;
    const slice = `(course_code IS NULL OR course_code = ANY($4))
          AND ($5::varchar IS NULL OR profession IS NULL OR profession = $5)
          AND (measure IN ('certified', 'in_training', 'headcount') OR profession IS NOT DISTINCT FROM $5)`;
    return this.dataSource.query(
      `SELECT ${columns} FROM coverage_cells WHERE level = 'area' AND area_id = ANY($1) AND ${slice}
       UNION ALL
       SELECT ${columns} FROM coverage_cells WHERE level = 'region' AND region = ANY($2) AND ${slice}
       UNION ALL
       SELECT ${columns} FROM coverage_cells WHERE level = 'england' AND $3 AND ${slice}`,
      [areaIds, regions, england, courses, profession],
    );
  }
}
