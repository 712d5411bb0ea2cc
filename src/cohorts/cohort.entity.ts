import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { CourseVersion } from 'src/courses/course-version.entity';
import { Area } from 'src/organisations/area.entity';
import { Organisation } from 'src/organisations/organisation.entity';

export const COHORT_STATUSES = ['draft', 'open', 'in_progress', 'completed', 'cancelled'] as const;
export type CohortStatus = (typeof COHORT_STATUSES)[number];

/** A cohort takes, approves and promotes into places until it is completed or cancelled. */
export const PLACES_CHANGE_WHILE: readonly CohortStatus[] = ['draft', 'open', 'in_progress'];

export const DELIVERY_MODES = ['in_person', 'online', 'blended'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

@Entity('cohorts')
@Index(['organisationId', 'status'])
@Check('"capacity" > 0')
export class Cohort {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  courseVersionId: string;

  @ManyToOne(() => CourseVersion, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'course_version_id' })
  courseVersion?: CourseVersion;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Column({ type: 'uuid' })
  areaId: string;

  @ManyToOne(() => Area, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'area_id' })
  area?: Area;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ type: 'varchar', length: 20 })
  deliveryMode: DeliveryMode;

  @Column({ type: 'varchar', length: 300, nullable: true })
  venue: string | null;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status: CohortStatus;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
