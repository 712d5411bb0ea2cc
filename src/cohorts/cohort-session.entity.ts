import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Cohort } from 'src/cohorts/cohort.entity';

export type SessionStatus = 'scheduled' | 'cancelled';

/** One meeting of a cohort. Times are stored in UTC and shown in Europe/London. */
@Entity('cohort_sessions')
@Index(['cohortId', 'startsAt'])
@Index(['startsAt'])
@Check('"ends_at" > "starts_at"')
export class CohortSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  cohortId: string;

  @ManyToOne(() => Cohort, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cohort_id' })
  cohort?: Cohort;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  /** Overrides the cohort's venue for this session. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  venue: string | null;

  @Column({ type: 'varchar', length: 20, default: 'scheduled' })
  status: SessionStatus;

  /** RFC 5545 SEQUENCE: rises whenever the session moves or is cancelled, so calendars update the one event. */
  @Column({ type: 'integer', default: 0 })
  sequence: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
