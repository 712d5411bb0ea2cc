import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { CohortSession } from 'src/cohorts/cohort-session.entity';
import { Enrolment } from 'src/cohorts/enrolment.entity';

export const ATTENDANCE_STATUSES = ['present', 'late', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

@Entity('attendance')
@Index(['enrolmentId'])
export class Attendance {
  @PrimaryColumn({ type: 'uuid' })
  sessionId: string;

  @PrimaryColumn({ type: 'uuid' })
  enrolmentId: string;

  @ManyToOne(() => CohortSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: CohortSession;

  @ManyToOne(() => Enrolment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enrolment_id' })
  enrolment?: Enrolment;

  @Column({ type: 'varchar', length: 10 })
  status: AttendanceStatus;

  /** For an excused absence: the trainee has made the session up. */
  @Column({ type: 'boolean', default: false })
  madeUp: boolean;

  @Column({ type: 'uuid' })
  recordedBy: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
