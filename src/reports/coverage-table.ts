import type { CourseCode } from 'src/courses/course-code';
import type { CoverageLevel, CoverageMeasure } from 'src/reports/coverage-cell.entity';
import { AdditiveRelation } from 'src/reports/suppression';

/** One figure of the national table, before it is stored. */
export interface TableCell {
  measure: CoverageMeasure;
  courseCode: CourseCode | null;
  level: CoverageLevel;
  areaId: string | null;
  region: string | null;
  profession: string | null;
  onDate: string | null;
  value: number;
}

/** Counts at area level, by profession (none for counts that have none, as places): before any sum. */
export interface AreaCount {
  areaId: string;
  profession: string | null;
  value: number;
}

/**
 * The national table of one measure (a course's certified at a date, say), from the area counts: every area, its
 * region and England, by profession and for all professions together, with the sums that tie them, so that
 * suppression sees every way a withheld number could be worked out.
 */
export class CoverageTable {
  readonly cells: TableCell[] = [];
  readonly relations: AdditiveRelation[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    private readonly areas: ReadonlyArray<{ id: string; region: string }>,
    private readonly professions: readonly string[],
  ) {}

  add(
    slice: Pick<TableCell, 'measure' | 'courseCode' | 'onDate'>,
    counts: readonly AreaCount[],
    { related }: { related: boolean },
  ): void {
    const cell = (level: CoverageLevel, place: string | null, profession: string | null) => {
      const key = `${level}|${place}|${profession}`;
      let at = this.index.get(`${slice.measure}|${slice.courseCode}|${slice.onDate}|${key}`);
      if (at === undefined) {
        at = this.cells.length;
        this.cells.push({
          ...slice,
          level,
          areaId: level === 'area' ? place : null,
          region: level === 'region' ? place : null,
          profession,
          value: 0,
        });
        this.index.set(`${slice.measure}|${slice.courseCode}|${slice.onDate}|${key}`, at);
      }
      return at;
    };
    const regionOf = new Map(this.areas.map((area) => [area.id, area.region]));
    for (const count of counts) {
      const region = regionOf.get(count.areaId);
      if (region === undefined) continue;
      const totals = [
        cell('area', count.areaId, null),
        cell('region', region, null),
        cell('england', null, null),
      ];
      const byProfession =
        count.profession === null
          ? []
          : [
              cell('area', count.areaId, count.profession),
              cell('region', region, count.profession),
              cell('england', null, count.profession),
            ];
      for (const at of [...totals, ...byProfession]) this.cells[at].value += count.value;
    }
    // Only the sums suppression must see need every part present; other measures keep the cells they have.
    if (!related) return;
    const regions = [...new Set(this.areas.map((area) => area.region))].sort();
    const professions = [...this.professions];
    // Before anyone holds a profession (a new installation) a total has no parts, and nothing to give away.
    const tie = (total: number, members: number[]) => {
      if (members.length > 0) this.relations.push({ total, members });
    };
    // Every cell exists, zeros included, so that each sum the report shows has all its parts.
    for (const area of this.areas)
      tie(
        cell('area', area.id, null),
        professions.map((profession) => cell('area', area.id, profession)),
      );
    for (const region of regions) {
      const inRegion = this.areas.filter((area) => area.region === region);
      tie(
        cell('region', region, null),
        professions.map((profession) => cell('region', region, profession)),
      );
      tie(
        cell('region', region, null),
        inRegion.map((area) => cell('area', area.id, null)),
      );
      for (const profession of professions)
        tie(
          cell('region', region, profession),
          inRegion.map((area) => cell('area', area.id, profession)),
        );
    }
    tie(
      cell('england', null, null),
      professions.map((profession) => cell('england', null, profession)),
    );
    tie(
      cell('england', null, null),
      regions.map((region) => cell('region', region, null)),
    );
    for (const profession of professions)
      tie(
        cell('england', null, profession),
        regions.map((region) => cell('region', region, profession)),
      );
  }
}
