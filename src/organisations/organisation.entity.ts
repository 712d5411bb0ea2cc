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
import { Area } from 'src/organisations/area.entity';
import type { CertificateNamePolicy, OrganisationKind } from 'src/organisations/organisation-kind';

@Entity('organisations')
@Index(['areaId', 'name'], { unique: true })
@Check(
  'CHK_organisations_certificate_names_after_erasure',
  `"certificate_names_after_erasure" IN ('keep', 'remove')`,
)
export class Organisation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 30 })
  kind: OrganisationKind;

  @Column({ type: 'uuid' })
  areaId: string;

  @ManyToOne(() => Area, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'area_id' })
  area?: Area;

  /** Whether its certificates keep the holder's name once the holder's data is erased. */
  @Column({ type: 'varchar', length: 6, default: 'remove' })
  certificateNamesAfterErasure: CertificateNamePolicy;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
