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

/**
 * That a person completed a course: held while a certificate for it is valid, or recorded by an administrator for
 * someone trained before the platform. Prerequisites read these.
 */
@Entity('course_completions')
@Index(['userId', 'courseCode'])
export class CourseCompletion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 20 })
  courseCode: CourseCode;

  @Column({ type: 'date' })
  completedOn: string;

  /** The enrolment it came from; null when recorded by hand. */
  @Column({ type: 'uuid', nullable: true })
  enrolmentId: string | null;

  /** The certificate that proves it; null when recorded by hand. */
  @Column({ type: 'uuid', nullable: true, unique: true })
  certificateId: string | null;

  /** Set when its certificate was revoked: the completion no longer counts. */
  @Column({ type: 'date', nullable: true })
  withdrawnOn: string | null;

  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
