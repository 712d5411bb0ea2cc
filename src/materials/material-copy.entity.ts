import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { MaterialIssue } from 'src/materials/material-issue.entity';

/**
 * The ledger of personalised copies: one row per download, numbered within its edition, with the stamp printed
 * on every page and the SHA-256 of the exact file sent, so that a copy found anywhere leads back to its holder.
 */
@Entity('material_copies')
@Index(['editionId', 'copyNumber'], { unique: true })
@Index(['sha256'])
export class MaterialCopy {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  issueId: string;

  @ManyToOne(() => MaterialIssue, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'issue_id' })
  issue?: MaterialIssue;

  @Column({ type: 'uuid' })
  editionId: string;

  @Column({ type: 'integer' })
  copyNumber: number;

  /** "Licensed to NAME · COHORT · DATE · copy N", as printed in the margin and the metadata. */
  @Column({ type: 'text' })
  stamp: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  /** Set when the whole copy has been sent; a download cut off stays without it. */
  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sha256: string | null;

  @Column({ type: 'integer', nullable: true })
  sizeBytes: number | null;
}
