import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Area } from 'src/organisations/area.entity';
import type { Profession } from 'src/users/profession';

/** How many practitioners of a profession an area's children's workforce has: the denominator of coverage. */
@Entity('workforce_baselines')
@Index(['areaId', 'profession'], { unique: true })
@Check('"headcount" >= 0')
export class WorkforceBaseline {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  areaId: string;

  @ManyToOne(() => Area, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'area_id' })
  area?: Area;

  @Column({ type: 'varchar', length: 40 })
  profession: Profession;

  @Column({ type: 'integer' })
  headcount: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
