import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Area } from 'src/organisations/area.entity';
import { User } from 'src/users/user.entity';

/** The areas whose coverage a commissioner may read. */
@Entity('commissioner_areas')
export class CommissionerArea {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'uuid' })
  areaId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @ManyToOne(() => Area, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'area_id' })
  area?: Area;
}
