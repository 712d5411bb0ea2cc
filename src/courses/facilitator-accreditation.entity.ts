import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { CourseCode } from 'src/courses/course-code';
import { User } from 'src/users/user.entity';

/** A person's accreditation to deliver a course, e.g. to facilitate Foundation cohorts. */
@Entity('facilitator_accreditations')
@Index(['userId', 'courseCode'])
export class FacilitatorAccreditation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** The course the person may deliver. */
  @Column({ type: 'varchar', length: 20 })
  courseCode: CourseCode;

  @Column({ type: 'date' })
  grantedOn: string;

  @Column({ type: 'date' })
  expiresOn: string;

  /** How long the accreditation lasts from its grant or renewal. */
  @Column({ type: 'integer', default: 3 })
  validYears: number;

  /** The Facilitator certificate that granted it; null when recorded by an administrator. */
  @Column({ type: 'uuid', nullable: true, unique: true })
  certificateId: string | null;

  /** Set when the certificate that granted it was revoked: it no longer counts, whatever its expiry. */
  @Column({ type: 'date', nullable: true })
  withdrawnOn: string | null;

  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
