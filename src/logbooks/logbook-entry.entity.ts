import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Enrolment } from 'src/cohorts/enrolment.entity';
import type { EntryKind, EntryStatus } from 'src/logbooks/entry-kinds';

/** One entry of a trainee's logbook (the logbook is the entries of one enrolment), as it stands now. */
@Entity('logbook_entries')
@Index(['enrolmentId', 'kind', 'status'])
@Index(['status', 'submittedAt'])
export class LogbookEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  enrolmentId: string;

  @ManyToOne(() => Enrolment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enrolment_id' })
  enrolment?: Enrolment;

  @Column({ type: 'varchar', length: 30 })
  kind: EntryKind;

  @Column({ type: 'varchar', length: 12, default: 'draft' })
  status: EntryStatus;

  /** The session reflected on, or co-facilitated. */
  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @Column({ type: 'date' })
  occurredOn: string;

  @Column({ type: 'integer', nullable: true })
  minutes: number | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  stage: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  skills: string[];

  /** Co-facilitation: whether a facilitator observed the session, and who. */
  @Column({ type: 'boolean', nullable: true })
  observed: boolean | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  observedBy: string | null;

  @Column({ type: 'text', default: '' })
  whatHappened: string;

  @Column({ type: 'text', default: '' })
  reflection: string;

  @Column({ type: 'text', default: '' })
  learning: string;

  @Column({ type: 'text', default: '' })
  nextSteps: string;

  /** How many times it has been submitted: the number of its latest revision. */
  @Column({ type: 'integer', default: 0 })
  revision: number;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
