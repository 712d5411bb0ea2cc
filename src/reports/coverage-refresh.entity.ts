import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Each refresh of the coverage summary: when its numbers are from, and how long it took. */
@Entity('coverage_refreshes')
export class CoverageRefresh {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz' })
  finishedAt: Date;

  @Column({ type: 'integer' })
  durationMs: number;

  @Column({ type: 'integer' })
  cells: number;

  /** The suppression threshold the cells were decided with. */
  @Column({ type: 'integer' })
  threshold: number;

  /** The trend's quarter ends and the upcoming quarters' starts the rows were made with. */
  @Column({ type: 'date', array: true })
  quarterEnds: string[];

  @Column({ type: 'date', array: true })
  quarterStarts: string[];
}
