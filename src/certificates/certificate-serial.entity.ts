import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last serial number given per course and year; taken with one atomic upsert, so never twice. */
@Entity('certificate_serials')
export class CertificateSerial {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  courseCode: string;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  last: number;
}
