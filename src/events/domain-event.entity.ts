import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The outbox: a domain event is written in the same transaction as the change it reports, so it exists exactly
 * when the change does. Handlers run from it after commit; `completedAt` is set once every handler has run.
 */
@Entity('domain_events')
@Index('IDX_domain_events_pending', ['occurredAt'], {
  where: '"completed_at" IS NULL AND "failed_at" IS NULL',
})
export class DomainEventRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** Set when a handler has used up its retries; the sweeper leaves it until someone retries it. */
  @Column({ type: 'timestamptz', nullable: true })
  failedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;
}
