import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The period an admin set for a record type; a record type without a row keeps its rule's default. */
@Entity('retention_policies')
export class RetentionPolicy {
  @PrimaryColumn({ type: 'varchar', length: 60 })
  recordType: string;

  @Column({ type: 'integer' })
  keepMonths: number;

  /** No foreign key: the setting outlives the account of who set it. */
  @Column({ type: 'uuid', nullable: true })
  updatedBy: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
