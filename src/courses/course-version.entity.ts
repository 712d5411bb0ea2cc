import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CourseCode } from 'src/courses/course-code';
import type { CourseRules } from 'src/courses/course-rules';

@Entity('course_versions')
@Index(['courseCode', 'version'], { unique: true })
@Index(['courseCode'], { unique: true, where: '"is_current"' })
export class CourseVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 20 })
  courseCode: CourseCode;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'jsonb' })
  rules: CourseRules;

  @Column({ type: 'boolean', default: false })
  isCurrent: boolean;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
