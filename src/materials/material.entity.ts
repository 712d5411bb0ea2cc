import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CourseCode } from 'src/courses/course-code';

export const MATERIAL_KINDS = ['manual', 'handbook', 'worksheet'] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];

/** Who a material is for: trainees of its courses, their facilitators, or supervisors. */
export const MATERIAL_AUDIENCES = ['trainee', 'facilitator', 'supervisor'] as const;
export type MaterialAudience = (typeof MATERIAL_AUDIENCES)[number];

/** A licensed manual, handbook or worksheet of the catalogue; its editions are the PDFs people receive. */
@Entity('materials')
export class Material {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Short and stable, as on the printed copy's spine: `RPH`, `FTM`. */
  @Column({ type: 'varchar', length: 40, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 20 })
  kind: MaterialKind;

  /** The courses it belongs to. */
  @Column({ type: 'varchar', length: 20, array: true })
  courseCodes: CourseCode[];

  @Column({ type: 'varchar', length: 20, array: true })
  audience: MaterialAudience[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
