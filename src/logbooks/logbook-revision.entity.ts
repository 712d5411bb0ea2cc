import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { LogbookEntry } from 'src/logbooks/logbook-entry.entity';

/** An entry as it was submitted, kept read-only: every submission is a revision, never overwritten. */
@Entity('logbook_revisions')
@Index(['entryId', 'number'], { unique: true })
export class LogbookRevision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  entryId: string;

  @ManyToOne(() => LogbookEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entry_id' })
  entry?: LogbookEntry;

  @Column({ type: 'integer' })
  number: number;

  /** Every field of the entry at submission. */
  @Column({ type: 'jsonb' })
  content: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  submittedAt: Date;
}
