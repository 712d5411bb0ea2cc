import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CourseCode } from 'src/courses/course-code';
import type { CoverageLevel } from 'src/reports/coverage-cell.entity';

/**
 * The coverage report's rows as they are sent, made by each refresh from the summary's cells (suppression
 * applied): a report selects rows by place, course and profession and joins their text, so serving it neither
 * counts nor formats. The trend is kept quarter by quarter too, so that a report's period can narrow it.
 */
@Entity('coverage_report_rows')
@Index(['level', 'areaId'])
@Index(['level', 'region'])
export class CoverageReportRow {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  /** Where the row comes in any report that shows it. */
  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 10 })
  level: CoverageLevel;

  @Column({ type: 'uuid', nullable: true })
  areaId: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  region: string | null;

  @Column({ type: 'varchar', length: 20 })
  courseCode: CourseCode;

  /** None for all professions together. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  profession: string | null;

  /** The row's JSON with every quarter of the trend. */
  @Column({ type: 'text' })
  jsonWhole: string;

  @Column({ type: 'text' })
  jsonHead: string;

  /** One JSON object per quarter's end, oldest first. */
  @Column({ type: 'text', array: true })
  jsonTrend: string[];

  @Column({ type: 'text' })
  jsonTail: string;

  /** On a row of all professions, its profession breakdown's JSON objects (without trends), comma-separated. */
  @Column({ type: 'text', nullable: true })
  jsonBreakdown: string | null;

  @Column({ type: 'text' })
  csvWhole: string;

  @Column({ type: 'text' })
  csvHead: string;

  /** One CSV field per quarter's end, each with its leading comma. */
  @Column({ type: 'text', array: true })
  csvTrend: string[];

  @Column({ type: 'text' })
  csvTail: string;

  /** On a row of all professions, its profession breakdown's CSV lines (trend columns empty), CRLF-separated. */
  @Column({ type: 'text', nullable: true })
  csvBreakdown: string | null;
}
