import { CSV_LINE_END, csvLine } from 'src/common/excel-csv';
import { COURSE_CODES, COURSE_NAMES, CourseCode } from 'src/courses/course-code';
import type { CoverageLevel, CoverageMeasure } from 'src/reports/coverage-cell.entity';
import type { TableCell } from 'src/reports/coverage-table';
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

/** The report's header row, for the quarters shown. */
export function coverageCsvHeader(quarterEnds: readonly string[], quarterStarts: readonly string[]): string {
  return csvLine([
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
    ...quarterEnds.map((day) => `Certified on ${day}`),
    ...quarterStarts.map((day) => `Places starting in the quarter from ${day}`),
    'Numbers as of',
  ]);
}

/**
 * One row of the report made ready to send at refresh, so that serving a report only selects and joins text: its
 * JSON and its CSV line whole, and cut before and after the trend for a report whose period narrows it (`from`,
 * `to`). A row of all professions carries its profession breakdown (rows without a trend) ready joined, so a
 * report of every profession reads one row per place and course. `position` orders any selection of rows as the
 * report lists them.
 */
export interface RenderedRow {
  position: number;
  level: CoverageLevel;
  areaId: string | null;
  region: string | null;
  courseCode: CourseCode;
  profession: string | null;
  jsonWhole: string;
  jsonHead: string;
  jsonTrend: string[];
  jsonTail: string;
  /** The profession breakdown's JSON objects, comma-separated; none on a row of one profession. */
  jsonBreakdown: string | null;
  csvWhole: string;
  csvHead: string;
  csvTrend: string[];
  csvTail: string;
  /** The profession breakdown's CSV lines, the trend's columns empty; none on a row of one profession. */
  csvBreakdown: string | null;
}

interface RenderInput {
  cells: readonly TableCell[];
  suppression: ReadonlyArray<Suppression>;
  threshold: number;
  /** In the order the report lists them: by region, then name. */
  areas: ReadonlyArray<{ id: string; code: string; name: string; region: string }>;
  professions: readonly string[];
  quarterEnds: readonly string[];
  quarterStarts: readonly string[];
  /** When the numbers were made, the CSV's last column. */
  numbersAsOf: Date;
}

/**
 * Every row any report can show, from the national table and its suppression: each area, region and England, each
 * course, for all professions and for each; a report is a selection of these, so what one withholds no other shows.
 */
export function renderCoverageRows(input: RenderInput): RenderedRow[] {
  const { cells, suppression, threshold, quarterEnds, quarterStarts } = input;
  const asOf = `,${csvLine([input.numbersAsOf.toISOString()])}`;
  const keyOf = (
    measure: CoverageMeasure,
    course: string | null,
    level: CoverageLevel,
    place: string | null,
    profession: string | null,
    day: string | null,
  ) => `${measure}|${course}|${level}|${place}|${profession}|${day}`;
  const index = new Map(
    cells.map((cell, at) => [
      keyOf(
        cell.measure,
        cell.courseCode,
        cell.level,
        cell.areaId ?? cell.region,
        cell.profession,
        cell.onDate,
      ),
      at,
    ]),
  );
  const regions = [...new Set(input.areas.map((area) => area.region))];
  const places: Array<CoveragePlace & { areaId: string | null; key: string | null }> = [
    ...input.areas.map((area) => ({
      level: 'area' as const,
      code: area.code,
      name: area.name,
      region: area.region,
      areaId: area.id,
      key: area.id,
    })),
    ...regions.map((region) => ({
      level: 'region' as const,
      code: null,
      name: region,
      region,
      areaId: null,
      key: region,
    })),
    { level: 'england' as const, code: null, name: 'England', region: null, areaId: null, key: null },
  ];
  const professions = [null, ...[...input.professions].sort((a, b) => label(a).localeCompare(label(b)))];
  const rows: RenderedRow[] = [];
  for (const place of places)
    for (const course of COURSE_CODES) {
      const breakdown = { json: [] as string[], csv: [] as string[] };
      for (const profession of professions) {
        const shown = (measure: CoverageMeasure, day: string | null = null): ShownCount => {
          const at = index.get(keyOf(measure, course, place.level, place.key, profession, day));
          const value = at === undefined ? 0 : cells[at].value;
          const withheld = at === undefined ? null : suppression[at];
          return {
            count: withheld ? null : value,
            shown: shownCount(value, withheld, threshold),
            withheld: withheld !== null,
          };
        };
        const valueOf = (
          measure: CoverageMeasure,
          withCourse: boolean,
          prof: string | null,
          day: string | null,
        ) => {
          const at = index.get(keyOf(measure, withCourse ? course : null, place.level, place.key, prof, day));
          return at === undefined ? 0 : cells[at].value;
        };
        const certified = shown('certified');
        const inTraining = shown('in_training');
        const headcount = valueOf('headcount', false, profession, null);
        const coveragePercent =
          certified.count === null || headcount === 0
            ? null
            : Math.round((certified.count / headcount) * 1000) / 10;
        const trend = quarterEnds.map((quarterEnd) => ({
          quarterEnd,
          certified: shown('certified_at', quarterEnd),
        }));
        const upcomingPlaces =
          profession === null
            ? quarterStarts.map((quarterStart) => ({
                quarterStart,
                places: valueOf('places', true, null, quarterStart),
              }))
            : null;
        const figures = {
          level: place.level,
          code: place.code,
          name: place.name,
          region: place.region,
          course,
          courseName: COURSE_NAMES[course],
          profession: profession as Profession | null,
          professionName: profession ? label(profession) : 'All professions',
          certified,
          inTraining,
          headcount,
          coveragePercent,
          coverageShown:
            coveragePercent !== null
              ? `${coveragePercent.toFixed(1)}%`
              : certified.withheld
                ? 'withheld'
                : 'no baseline',
        } satisfies Omit<CoverageRow, 'trend' | 'upcomingPlaces'>;
        const json = {
          head: `${asciiJson(figures).slice(0, -1)},"trend":[`,
          trend: trend.map((quarter) => asciiJson(quarter)),
          tail: `],"upcomingPlaces":${asciiJson(upcomingPlaces)}}`,
        };
        const csv = {
          head: csvLine([
            place.level,
            place.region ?? '',
            place.code ?? '',
            place.name,
            figures.courseName,
            figures.professionName,
            certified.shown,
            inTraining.shown,
            headcount,
            coveragePercent === null ? '' : coveragePercent.toFixed(1),
          ]),
          trend: trend.map((quarter) => `,${csvLine([quarter.certified.shown])}`),
          tail: (upcomingPlaces ?? quarterStarts.map(() => null))
            .map((quarter) => `,${quarter?.places ?? ''}`)
            .join('')
            .concat(asOf),
        };
        rows.push({
          position: rows.length,
          level: place.level,
          areaId: place.areaId,
          region: place.level === 'region' ? place.region : null,
          courseCode: course,
          profession,
          jsonWhole: json.head + json.trend.join(',') + json.tail,
          jsonHead: json.head,
          jsonTrend: json.trend,
          jsonTail: json.tail,
          jsonBreakdown: null,
          csvWhole: csv.head + csv.trend.join('') + csv.tail,
          csvHead: csv.head,
          csvTrend: csv.trend,
          csvTail: csv.tail,
          csvBreakdown: null,
        });
        if (profession === null) continue;
        breakdown.json.push(json.head + json.tail);
        breakdown.csv.push(csv.head + ','.repeat(quarterEnds.length) + csv.tail);
      }
      const all = rows[rows.length - professions.length];
      all.jsonBreakdown = breakdown.json.join(',');
      all.csvBreakdown = breakdown.csv.join(CSV_LINE_END);
    }
  return rows;
}

/**
 * JSON with every character beyond ASCII written as an escape ("Children\u2019s"): the same value once parsed, and
 * text JavaScript keeps at one byte a character, which a report of megabytes joins and sends much faster.
 */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

const label = (profession: string) => PROFESSION_LABELS[profession as Profession] ?? profession;
