import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Cohort } from 'src/cohorts/cohort.entity';
import { MaterialEdition } from 'src/materials/material-edition.entity';
import { Material } from 'src/materials/material.entity';
import { Organisation } from 'src/organisations/organisation.entity';

export const PRINT_ORDER_STATUSES = ['requested', 'dispatched', 'received', 'cancelled'] as const;
export type PrintOrderStatus = (typeof PRINT_ORDER_STATUSES)[number];

/** What an order becomes after it is requested. */
export type PrintOrderChange = Exclude<PrintOrderStatus, 'requested'>;

/**
 * What each status may become. A dispatched parcel is not cancelled: its copies have been printed and sent, and
 * they count towards the licence whether or not it arrives.
 */
export const PRINT_ORDER_NEXT: Record<PrintOrderStatus, readonly PrintOrderChange[]> = {
  requested: ['dispatched', 'cancelled'],
  dispatched: ['received'],
  received: [],
  cancelled: [],
};

export const MAX_PRINTED_COPIES = 500;

/**
 * Printed copies of a material ordered for a cohort. The edition current when ordered and the cohort's organisation
 * are kept on the order, so that the licence report counts copies by edition and organisation as they were.
 */
@Entity('print_orders')
@Index(['organisationId', 'status'])
@Index(['cohortId'])
@Check(`"copies" BETWEEN 1 AND ${MAX_PRINTED_COPIES}`)
@Check(`"dispatched_at" IS NULL OR "tracking_ref" IS NOT NULL`)
export class PrintOrder {
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
  cohortId: string;

  @ManyToOne(() => Cohort, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cohort_id' })
  cohort?: Cohort;

  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Column({ type: 'integer' })
  copies: number;

  @Column({ type: 'varchar', length: 12, default: 'requested' })
  status: PrintOrderStatus;

  /** The courier's reference, given when the parcel is dispatched. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  trackingRef: string | null;

  @Column({ type: 'uuid' })
  requestedById: string;

  @CreateDateColumn({ type: 'timestamptz' })
  requestedAt: Date;

  @Column({ type: 'uuid', nullable: true })
  dispatchedById: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  receivedById: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  receivedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  cancelledById: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;
}
