import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { MaterialEdition } from 'src/materials/material-edition.entity';
import { Material } from 'src/materials/material.entity';

/** Why someone holds a material: a place on a cohort of its course, or facilitating one. */
export const ISSUE_BASES = ['trainee', 'facilitator'] as const;
export type IssueBasis = (typeof ISSUE_BASES)[number];

/**
 * An edition licensed to a person through a cohort: made when their place is confirmed (or they join as
 * facilitator), and again for each new edition while they hold the material. Withdrawal ends the right to download
 * but keeps the record, with the copies already downloaded.
 */
@Entity('material_issues')
@Index(['editionId', 'holderId', 'cohortId'], { unique: true })
@Index(['holderId'])
export class MaterialIssue {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  materialId: string;

  @ManyToOne(() => Material, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'material_id' })
  material?: Material;

  @Column({ type: 'uuid' })
  editionId: string;

  @ManyToOne(() => MaterialEdition, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'edition_id' })
  edition?: MaterialEdition;

  @Column({ type: 'uuid' })
  holderId: string;

  @Column({ type: 'uuid' })
  cohortId: string;

  /** The cohort's organisation when issued: the licence report counts copies by it. */
  @Column({ type: 'uuid' })
  organisationId: string;

  /** The place it came with; none for a facilitator. */
  @Column({ type: 'uuid', nullable: true })
  enrolmentId: string | null;

  @Column({ type: 'varchar', length: 20 })
  basis: IssueBasis;

  @CreateDateColumn({ type: 'timestamptz' })
  issuedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;
}
