import { CreateDateColumn, Entity, PrimaryColumn, JoinColumn, ManyToOne } from 'typeorm';
import { FacilitatorAccreditation } from 'src/courses/facilitator-accreditation.entity';

/**
 * That the holder was told their accreditation expires soon: one row per accreditation, expiry and notice, so
 * that each notice goes once, and again for the next expiry after a renewal.
 */
@Entity('accreditation_reminders')
export class AccreditationReminder {
  @PrimaryColumn({ type: 'uuid' })
  accreditationId: string;

  @ManyToOne(() => FacilitatorAccreditation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'accreditation_id' })
  accreditation?: FacilitatorAccreditation;

  @PrimaryColumn({ type: 'date' })
  expiresOn: string;

  /** The notice: 90 or 30 days before. */
  @PrimaryColumn({ type: 'integer' })
  daysBefore: number;

  @CreateDateColumn({ type: 'timestamptz' })
  sentAt: Date;
}
