import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { CompetencyGroup } from 'src/competencies/competency-group';
import { CourseVersion } from 'src/courses/course-version.entity';

/**
 * One item of a course version's competency framework. Frameworks belong to the version, so a running cohort
 * keeps the framework its version started with; a new version gets a copy when it is created.
 */
@Entity('competencies')
@Index(['courseVersionId', 'code'], { unique: true })
export class Competency {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  courseVersionId: string;

  @ManyToOne(() => CourseVersion, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'course_version_id' })
  courseVersion?: CourseVersion;

  /** Stable across versions (`helper-quality.respect`), so the API and pages name an item the same way in each. */
  @Column({ type: 'varchar', length: 100 })
  code: string;

  @Column({ type: 'varchar', length: 30 })
  group: CompetencyGroup;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  description: string;

  /** Order within the framework. */
  @Column({ type: 'integer' })
  position: number;
}
