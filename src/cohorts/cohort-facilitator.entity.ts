import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Cohort } from 'src/cohorts/cohort.entity';
import { User } from 'src/users/user.entity';

export const FACILITATOR_ROLES = ['lead', 'co', 'trainee_facilitator'] as const;
export type FacilitatorRole = (typeof FACILITATOR_ROLES)[number];

@Entity('cohort_facilitators')
@Index(['userId'])
export class CohortFacilitator {
  @PrimaryColumn({ type: 'uuid' })
  cohortId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => Cohort, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cohort_id' })
  cohort?: Cohort;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 30 })
  role: FacilitatorRole;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
