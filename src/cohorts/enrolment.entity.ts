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
import { Cohort } from 'src/cohorts/cohort.entity';
import { User } from 'src/users/user.entity';

export const ENROLMENT_STATUSES = [
  'requested',
  'enrolled',
  'waitlisted',
  'withdrawn',
  'declined',
  'completed',
] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

/** Statuses that hold or wait for a place; a trainee has at most one of these per cohort. */
export const ACTIVE_ENROLMENT_STATUSES: EnrolmentStatus[] = [
  'requested',
  'enrolled',
  'waitlisted',
  'completed',
];

@Entity('enrolments')
@Index(['cohortId', 'traineeId'], {
  unique: true,
  where: `"status" IN ('requested', 'enrolled', 'waitlisted', 'completed')`,
})
@Index(['cohortId', 'status'])
@Index(['traineeId'])
export class Enrolment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  cohortId: string;

  @ManyToOne(() => Cohort, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cohort_id' })
  cohort?: Cohort;

  @Column({ type: 'uuid' })
  traineeId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'trainee_id' })
  trainee?: User;

  @Column({ type: 'varchar', length: 20 })
  status: EnrolmentStatus;

  /** 1 for the first person waiting; null unless waitlisted. */
  @Column({ type: 'integer', nullable: true })
  waitlistPosition: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  enrolledAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
