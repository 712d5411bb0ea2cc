import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Enrolment } from 'src/cohorts/enrolment.entity';
import type { CourseCode } from 'src/courses/course-code';

export const CERTIFICATE_STATUSES = ['queued', 'issued', 'failed', 'revoked', 'superseded'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/**
 * A certificate, issued only by a lead's explicit act. One per enrolment (a re-issue supersedes the old one);
 * its serial and verification code are each unique. `queued` until its PDF has been made.
 */
@Entity('certificates')
@Index('IDX_certificates_one_per_enrolment', ['enrolmentId'], {
  unique: true,
  where: `"status" <> 'superseded'`,
})
@Index(['status', 'issuedAt'])
export class Certificate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  enrolmentId: string;

  @ManyToOne(() => Enrolment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enrolment_id' })
  enrolment?: Enrolment;

  @Column({ type: 'varchar', length: 20 })
  courseCode: CourseCode;

  /** `FND-2026-000123`: the course, the year of issue and a number counted per course and year. */
  @Column({ type: 'varchar', length: 20, unique: true })
  serial: string;

  /** Random (120 bits), not derived from anything: what the QR code and the verification page carry. */
  @Column({ type: 'varchar', length: 40, unique: true })
  verificationCode: string;

  @Column({ type: 'varchar', length: 12, default: 'queued' })
  status: CertificateStatus;

  /**
   * The holder's name as printed: a later change of name is a re-issue, not an edit. Null once removed at the
   * holder's erasure, where the issuing organisation's policy says so: the certificate then names nobody.
   */
  @Column({ type: 'varchar', length: 200, nullable: true })
  holderName: string | null;

  @Column({ type: 'uuid' })
  issuedById: string;

  @CreateDateColumn({ type: 'timestamptz' })
  issuedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  renderedAt: Date | null;

  /** SHA-256 of the PDF as stored, so a copy can be checked against it. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  sha256: string | null;

  @Column({ type: 'integer', default: 0 })
  renderAttempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  revocationReason: string | null;

  /** The certificate this one replaces (after a change of name). */
  @Column({ type: 'uuid', nullable: true, unique: true })
  supersedesId: string | null;
}
