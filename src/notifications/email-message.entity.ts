import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type EmailStatus = 'queued' | 'sent' | 'failed';

export interface MailAttachment {
  filename: string;
  /** Relative to STORAGE_DIR. */
  path: string;
  contentType: string;
}

/** Every e-mail the platform sends, so that one that finally fails is visible to admins and can be retried. */
@Entity('email_messages')
@Index(['status', 'createdAt'])
export class EmailMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 254 })
  toAddress: string;

  @Column({ type: 'varchar', length: 60 })
  template: string;

  @Column({ type: 'varchar', length: 300 })
  subject: string;

  /** What the template needs; secrets such as link tokens are removed once the message is sent. */
  @Column({ type: 'jsonb' })
  context: Record<string, unknown>;

  /** Keys of `context` (such as a single-use link) scrubbed once the message has been delivered. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  secretKeys: string[];

  /** Files sent with the message, by their path under STORAGE_DIR (a certificate's PDF). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments: MailAttachment[];

  @Column({ type: 'varchar', length: 10, default: 'queued' })
  status: EmailStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
