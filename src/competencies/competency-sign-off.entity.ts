import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Enrolment } from 'src/cohorts/enrolment.entity';
import type { SignOffOutcome } from 'src/competencies/competency-group';
import { Competency } from 'src/competencies/competency.entity';
import { User } from 'src/users/user.entity';

/**
 * One record of a trainee's competency: met, not yet met, or a revocation. Records are append-only (a database
 * trigger refuses updates and deletes): a correction is a new record that supersedes the current one. The two
 * unique indexes keep each trainee's records of a competency one unbroken chain: one first record, and no
 * record superseded twice. The current record is the one nothing supersedes.
 */
@Entity('competency_sign_offs')
@Index('IDX_competency_sign_offs_first', ['enrolmentId', 'competencyId'], {
  unique: true,
  where: '"supersedes_id" IS NULL',
})
@Index(['enrolmentId', 'competencyId'])
@Check(`"outcome" IN ('met', 'not_yet', 'revoked')`)
@Check(`"outcome" <> 'revoked' OR "supersedes_id" IS NOT NULL`)
export class CompetencySignOff {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  enrolmentId: string;

  @ManyToOne(() => Enrolment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enrolment_id' })
  enrolment?: Enrolment;

  @Column({ type: 'uuid' })
  competencyId: string;

  @ManyToOne(() => Competency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'competency_id' })
  competency?: Competency;

  @Column({ type: 'varchar', length: 10 })
  outcome: SignOffOutcome;

  /** Accepted logbook entries of the same enrolment, checked with the logbooks feature when recorded. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  evidenceEntryIds: string[];

  /** The facilitator's comment; for a revocation, its reason. */
  @Column({ type: 'text' })
  comment: string;

  @Column({ type: 'uuid' })
  signedById: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'signed_by_id' })
  signedBy?: User;

  // The clock at insert, not the transaction's start: a sign-off waits for the one before it, and its time
  // should come after that one's.
  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  signedAt: Date;

  /** The record this one replaces; null for the first record of the trainee's competency. */
  @Column({ type: 'uuid', nullable: true, unique: true })
  supersedesId: string | null;

  @ManyToOne(() => CompetencySignOff, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supersedes_id' })
  supersedes?: CompetencySignOff;
}
