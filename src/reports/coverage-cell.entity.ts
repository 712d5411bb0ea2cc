import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CourseCode } from 'src/courses/course-code';
import type { Suppression } from 'src/reports/suppression';

/** What a cell counts: people certified (now, or at a quarter's end), in training, the baseline, or places coming. */
export const COVERAGE_MEASURES = ['certified', 'certified_at', 'in_training', 'headcount', 'places'] as const;
export type CoverageMeasure = (typeof COVERAGE_MEASURES)[number];

export const COVERAGE_LEVELS = ['area', 'region', 'england'] as const;
export type CoverageLevel = (typeof COVERAGE_LEVELS)[number];

/**
 * The coverage report's summary, made whole by each refresh from the base tables: one row per figure, at national
 * level, with its small-number suppression decided once for the whole table. A report is a selection of these rows,
 * so two reports can never be set against each other to work out a withheld number.
 */
@Entity('coverage_cells')
@Index(['level', 'areaId'])
@Index(['level', 'region'])
export class CoverageCell {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 20 })
  measure: CoverageMeasure;

  /** None for a headcount, which is of the workforce, whatever the course. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  courseCode: CourseCode | null;

  @Column({ type: 'varchar', length: 10 })
  level: CoverageLevel;

  @Column({ type: 'uuid', nullable: true })
  areaId: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  region: string | null;

  /** None for all professions together. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  profession: string | null;

  /** The quarter's last day for `certified_at`; its first day for `places`. */
  @Column({ type: 'date', nullable: true })
  onDate: string | null;

  @Column({ type: 'integer' })
  value: number;

  @Column({ type: 'varchar', length: 10, nullable: true })
  suppression: Suppression;
}
