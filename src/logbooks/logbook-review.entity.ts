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

export const REVIEW_DECISIONS = ['accepted', 'returned'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** A reviewer's decision on one revision of an entry. */
@Entity('logbook_reviews')
@Index(['entryId', 'createdAt'])
export class LogbookReview {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  entryId: string;

  @ManyToOne(() => LogbookEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entry_id' })
  entry?: LogbookEntry;

  @Column({ type: 'integer' })
  revision: number;

  @Column({ type: 'uuid' })
  reviewerId: string;

  @Column({ type: 'varchar', length: 10 })
  decision: ReviewDecision;

  @Column({ type: 'text', nullable: true })
  feedback: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
