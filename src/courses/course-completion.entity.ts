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
 * That a person completed a course: from a cohort they finished, or recorded from before the platform.
 * Prerequisites read these until certificates exist.
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
  @Column({ type: 'uuid', nullable: true, unique: true })
  enrolmentId: string | null;

  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
