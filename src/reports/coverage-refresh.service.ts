import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { londonToday } from 'src/common/london-date';
import { JOBS, JobQueue, QUEUES } from 'src/common/queues';
import { QUEUE_DISPATCH_TIMEOUT_MS, withTimeout } from 'src/common/with-timeout';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';
import { EventName } from 'src/events/domain-events';
import { EventsService } from 'src/events/events.service';
import { AreaCount, CoverageTable, TableCell } from 'src/reports/coverage-table';
import { quarterEnds, quarterStarts } from 'src/reports/quarters';
import { RenderedRow, renderCoverageRows } from 'src/reports/coverage-rows';
import { suppress, Suppression } from 'src/reports/suppression';

/** Quarters of the trend, and quarters of upcoming places. */
export const TREND_QUARTERS = 8;
export const UPCOMING_QUARTERS = 2;

// What changes who is certified or in training, where: each schedules a refresh.
const CHANGES: readonly EventName[] = [
  'certificate.awarded',
  'certificate.revoked',
  'enrolment.placed',
  'enrolment.promoted',
  'enrolment.withdrawn',
  'cohort.status_changed',
];

/** A count of people (or posts) of one profession in one area. */
type ProfessionCount = AreaCount & { profession: string };

const PEOPLE = new Set(['certified', 'certified_at', 'in_training']);

/** When the summary was last made, and with what threshold and quarters. */
export interface LastRefresh {
  finishedAt: Date;
  threshold: number;
  quarterEnds: string[];
  quarterStarts: string[];
}

export interface RefreshOutcome {
  cells: number;
  durationMs: number;
}

/**
 * Keeps the coverage summary: every refresh recomputes the national table from the base tables in a few queries,
 * decides its suppression once for the whole of it, and replaces the summary in one transaction. Events that
 * change the numbers schedule a refresh; changes close together share one (a job per time bucket), and each
 * change is followed by a refresh that starts after it.
 */
@Injectable()
export class CoverageRefreshService implements OnModuleInit {
  private readonly logger = new Logger(CoverageRefreshService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    @InjectQueue(QUEUES.reports) private readonly queue: JobQueue<'reports'>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    for (const name of CHANGES)
      this.events.on(name, `reports.coverage-${name}`, async () => {
        await this.schedule();
      });
  }

  /** A refresh at the end of the current time bucket, once however many changes ask for it. */
  async schedule(): Promise<void> {
    const bucket = this.config.COVERAGE_REFRESH_DELAY_MS;
    const now = Date.now();
    const next = Math.floor(now / bucket) + 1;
    try {
      await withTimeout(
        this.queue.add(
          JOBS.reports.refresh,
          {},
          { jobId: `coverage-refresh-${next}`, delay: next * bucket - now },
        ),
        QUEUE_DISPATCH_TIMEOUT_MS,
      );
    } catch (error) {
      // The hourly refresh catches up.
      this.logger.warn(`A coverage refresh could not be scheduled: ${(error as Error).message}`);
    }
  }

  async lastRefresh(): Promise<LastRefresh | null> {
    const [row] = await this.dataSource.query(
      `SELECT finished_at, threshold, quarter_ends::text[] AS quarter_ends, quarter_starts::text[] AS quarter_starts
         FROM coverage_refreshes ORDER BY id DESC LIMIT 1`,
    );
    return row
      ? {
          finishedAt: row.finished_at,
          threshold: row.threshold,
          quarterEnds: row.quarter_ends,
          quarterStarts: row.quarter_starts,
        }
      : null;
  }

  async refresh(): Promise<RefreshOutcome> {
    const startedAt = new Date();
    const today = londonToday(startedAt);
    const ends = quarterEnds(today, TREND_QUARTERS);
    const starts = quarterStarts(today, UPCOMING_QUARTERS);
    const read = this.dataSource.manager;
    // In the order reports list them.
    const areas: Array<{ id: string; code: string; name: string; region: string }> = await read.query(
      `SELECT id, code, name, region FROM areas ORDER BY region, name`,
    );
    // A practitioner counts in the area of their organisation, under their profession; the certified are those
    // holding a certificate not revoked by the day (re-issues and courses taken twice count once).
    const certified: Array<ProfessionCount & { course_code: CourseCode; day: string }> = await read.query(
      `SELECT o.area_id AS "areaId", coalesce(u.profession, 'other') AS profession, c.course_code,
              to_char(d.day, 'YYYY-MM-DD') AS day, count(DISTINCT e.trainee_id)::int AS value
         FROM unnest($1::date[]) AS d(day)
         JOIN certificates c ON (c.issued_at AT TIME ZONE 'Europe/London')::date <= d.day
                            AND (c.revoked_at IS NULL OR (c.revoked_at AT TIME ZONE 'Europe/London')::date > d.day)
         JOIN enrolments e ON e.id = c.enrolment_id
         JOIN users u ON u.id = e.trainee_id
         JOIN organisations o ON o.id = u.organisation_id
        GROUP BY 1, 2, 3, 4`,
      [[...ends, today]],
    );
    const inTraining: Array<ProfessionCount & { course_code: CourseCode }> = await read.query(
      `SELECT o.area_id AS "areaId", coalesce(u.profession, 'other') AS profession, v.course_code,
              count(DISTINCT e.trainee_id)::int AS value
         FROM enrolments e
         JOIN cohorts c ON c.id = e.cohort_id AND c.status IN ('draft', 'open', 'in_progress')
         JOIN course_versions v ON v.id = c.course_version_id
         JOIN users u ON u.id = e.trainee_id
         JOIN organisations o ON o.id = u.organisation_id
        WHERE e.status = 'enrolled'
        GROUP BY 1, 2, 3`,
    );
    const headcounts: ProfessionCount[] = await read.query(
      `SELECT area_id AS "areaId", profession, headcount AS value FROM workforce_baselines`,
    );
    // Places in cohorts open or being planned whose first session falls in this quarter or the next.
    const places: Array<{ areaId: string; course_code: CourseCode; quarter: string; value: number }> =
      await read.query(
        `SELECT c.area_id AS "areaId", v.course_code,
                to_char(date_trunc('quarter', first.starts_at AT TIME ZONE 'Europe/London'), 'YYYY-MM-DD') AS quarter,
                sum(c.capacity)::int AS value
           FROM cohorts c
           JOIN course_versions v ON v.id = c.course_version_id
           JOIN LATERAL (SELECT min(s.starts_at) AS starts_at FROM cohort_sessions s
                          WHERE s.cohort_id = c.id AND s.status <> 'cancelled') first ON true
          WHERE c.status IN ('draft', 'open')
            AND first.starts_at >= now()
            AND (first.starts_at AT TIME ZONE 'Europe/London')::date >= $1::date
            AND (first.starts_at AT TIME ZONE 'Europe/London')::date < ($2::date + interval '3 months')
          GROUP BY 1, 2, 3`,
        [starts[0], starts.at(-1)],
      );

    const professions = [
      ...new Set([...certified, ...inTraining, ...headcounts].map((count) => count.profession)),
    ].sort();
    const table = new CoverageTable(areas, professions);
    for (const courseCode of COURSE_CODES) {
      for (const day of [...ends, today])
        table.add(
          {
            measure: day === today ? 'certified' : 'certified_at',
            courseCode,
            onDate: day === today ? null : day,
          },
          certified.filter((row) => row.course_code === courseCode && row.day === day),
          { related: true },
        );
      table.add(
        { measure: 'in_training', courseCode, onDate: null },
        inTraining.filter((row) => row.course_code === courseCode),
        { related: true },
      );
      for (const quarter of starts)
        table.add(
          { measure: 'places', courseCode, onDate: quarter },
          places
            .filter((row) => row.course_code === courseCode && row.quarter === quarter)
            .map((row) => ({ areaId: row.areaId, profession: null, value: row.value })),
          { related: false },
        );
    }
    table.add({ measure: 'headcount', courseCode: null, onDate: null }, headcounts, { related: false });
    const threshold = this.config.SUPPRESSION_THRESHOLD;
    const suppression = suppress(
      table.cells.map((cell) => cell.value),
      table.relations,
      threshold,
    );
    // Headcounts and places count no one: only people are withheld.
    const withheld = table.cells.map((cell, at) => (PEOPLE.has(cell.measure) ? suppression[at] : null));
    const madeAt = new Date();
    const rows = renderCoverageRows({
      cells: table.cells,
      suppression: withheld,
      threshold,
      areas,
      professions,
      quarterEnds: ends,
      quarterStarts: starts,
      numbersAsOf: madeAt,
    });
    await this.store(table.cells, withheld, rows, { startedAt, madeAt, threshold, ends, starts });
    const durationMs = Date.now() - startedAt.getTime();
    return { cells: table.cells.length, durationMs };
  }

  private async store(
    cells: TableCell[],
    withheld: Suppression[],
    rows: RenderedRow[],
    made: { startedAt: Date; madeAt: Date; threshold: number; ends: string[]; starts: string[] },
  ): Promise<void> {
    const column = <K extends keyof TableCell>(key: K) => cells.map((cell) => cell[key]);
    const field = <K extends keyof RenderedRow>(key: K) => rows.map((row) => row[key]);
    await this.dataSource.transaction(async (manager) => {
      // One refresh at a time; a second waits and then writes numbers at least as new.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('coverage-refresh'))`);
      await manager.query(`DELETE FROM coverage_cells`);
      await manager.query(
        `INSERT INTO coverage_cells (measure, course_code, level, area_id, region, profession, on_date, value, suppression)
         SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::uuid[], $5::varchar[], $6::varchar[],
                              $7::date[], $8::int[], $9::varchar[])`,
        [
          column('measure'),
          column('courseCode'),
          column('level'),
          column('areaId'),
          column('region'),
          column('profession'),
          column('onDate'),
          column('value'),
          withheld,
        ],
      );
      await manager.query(`DELETE FROM coverage_report_rows`);
      // Each row's trend goes as one JSON array, there being no array of arrays of text to unnest.
      await manager.query(
        `INSERT INTO coverage_report_rows (position, level, area_id, region, course_code, profession,
                                           json_whole, json_head, json_trend, json_tail, json_breakdown,
                                           csv_whole, csv_head, csv_trend, csv_tail, csv_breakdown)
         SELECT position, level, area_id, region, course_code, profession,
                json_whole, json_head, ARRAY(SELECT jsonb_array_elements_text(json_trend)), json_tail, json_breakdown,
                csv_whole, csv_head, ARRAY(SELECT jsonb_array_elements_text(csv_trend)), csv_tail, csv_breakdown
           FROM unnest($1::int[], $2::varchar[], $3::uuid[], $4::varchar[], $5::varchar[], $6::varchar[],
                       $7::text[], $8::text[], $9::jsonb[], $10::text[], $11::text[],
                       $12::text[], $13::text[], $14::jsonb[], $15::text[], $16::text[])
                AS r(position, level, area_id, region, course_code, profession,
                     json_whole, json_head, json_trend, json_tail, json_breakdown,
                     csv_whole, csv_head, csv_trend, csv_tail, csv_breakdown)`,
        [
          field('position'),
          field('level'),
          field('areaId'),
          field('region'),
          field('courseCode'),
          field('profession'),
          field('jsonWhole'),
          field('jsonHead'),
          rows.map((row) => JSON.stringify(row.jsonTrend)),
          field('jsonTail'),
          field('jsonBreakdown'),
          field('csvWhole'),
          field('csvHead'),
          rows.map((row) => JSON.stringify(row.csvTrend)),
          field('csvTail'),
          field('csvBreakdown'),
        ],
      );
      await manager.query(
        `INSERT INTO coverage_refreshes (started_at, finished_at, duration_ms, cells, threshold, quarter_ends, quarter_starts)
         VALUES ($1, $2, (extract(epoch FROM clock_timestamp() - $1::timestamptz) * 1000)::int, $3, $4, $5, $6)`,
        [made.startedAt, made.madeAt, cells.length, made.threshold, made.ends, made.starts],
      );
    });
  }
}
