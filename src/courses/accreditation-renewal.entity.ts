import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  JoinColumn,
  ManyToOne,
} from 'typeorm';
import { FacilitatorAccreditation } from 'src/courses/facilitator-accreditation.entity';

/** A renewal of an accreditation, kept with the expiry it replaced. */
@Entity('accreditation_renewals')
@Index(['accreditationId', 'renewedOn'])
export class AccreditationRenewal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  accreditationId: string;

  @ManyToOne(() => FacilitatorAccreditation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'accreditation_id' })
  accreditation?: FacilitatorAccreditation;

  @Column({ type: 'date' })
  renewedOn: string;

  @Column({ type: 'date' })
  previousExpiresOn: string;

  @Column({ type: 'date' })
  expiresOn: string;

  @Column({ type: 'text' })
  note: string;

  @Column({ type: 'uuid' })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
