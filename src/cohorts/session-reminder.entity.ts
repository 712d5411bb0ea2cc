import { CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CohortSession } from 'src/cohorts/cohort-session.entity';

/** That a person was reminded of a session at a given calendar sequence: the guard against sending twice. */
@Entity('session_reminders')
export class SessionReminder {
  @PrimaryColumn({ type: 'uuid' })
  sessionId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'integer' })
  sequence: number;

  @ManyToOne(() => CohortSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: CohortSession;

  @CreateDateColumn({ type: 'timestamptz' })
  sentAt: Date;
}
