import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Material } from 'src/materials/material.entity';

/**
 * An uploaded PDF of a material, kept for good: one edition is current (what new holders receive); older ones
 * stay for those who hold them.
 */
@Entity('material_editions')
@Index('IDX_material_editions_one_current', ['materialId'], { unique: true, where: '"current"' })
@Index(['materialId', 'label'], { unique: true })
export class MaterialEdition {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  materialId: string;

  @ManyToOne(() => Material, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'material_id' })
  material?: Material;

  /** As people name it: "2nd edition (2009)". */
  @Column({ type: 'varchar', length: 100 })
  label: string;

  @Column({ type: 'text' })
  notes: string;

  /** SHA-256 of the file as stored (never served as it is: downloads are personalised copies). */
  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'integer' })
  sizeBytes: number;

  @Column({ type: 'integer' })
  pageCount: number;

  @Column({ type: 'boolean', default: false })
  current: boolean;

  @Column({ type: 'uuid' })
  uploadedById: string;

  @CreateDateColumn({ type: 'timestamptz' })
  uploadedAt: Date;
}
