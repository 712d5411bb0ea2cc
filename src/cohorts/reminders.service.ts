import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JOBS, JobPayload, JobQueue, QUEUES } from 'src/common/queues';
import type { CohortSession } from 'src/cohorts/cohort-session.entity';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { EventsService } from 'src/events/events.service';
import { QUEUE_DISPATCH_TIMEOUT_MS, withTimeout } from 'src/common/with-timeout';

export type ReminderJob = JobPayload<'reminders', 'send'>;

type Scheduled = Pick<CohortSession, 'id' | 'startsAt' | 'sequence' | 'status'>;

/**
 * One delayed job per session and calendar sequence. Moving a session raises its sequence, so the old job is
 * removed and a new one added; the job reminds only for the current sequence, and each person once: it claims
 * them and publishes `session.reminder_due`, and the notifications listener writes the e-mails.
 */
@Injectable()
export class RemindersService {
  private readonly logger = new Logger(RemindersService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QUEUES.reminders) private readonly queue: JobQueue<'reminders'>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  static jobId(session: Pick<CohortSession, 'id' | 'sequence'>): string {
    return `reminder-${session.id}-${session.sequence}`;
  }

  async schedule(sessions: Scheduled[]): Promise<void> {
    for (const session of sessions) {
      if (session.status !== 'scheduled' || session.startsAt.getTime() <= Date.now()) continue;
      const sendAt = session.startsAt.getTime() - this.config.REMINDER_LEAD_HOURS * 3_600_000;
      try {
        await withTimeout(
          this.queue.add(
            JOBS.reminders.send,
            { sessionId: session.id, sequence: session.sequence },
            {
              jobId: RemindersService.jobId(session),
              delay: Math.max(0, sendAt - Date.now()),
              attempts: 5,
              backoff: { type: 'exponential', delay: this.config.MAIL_RETRY_DELAY_MS },
            },
          ),
          QUEUE_DISPATCH_TIMEOUT_MS,
        );
      } catch (error) {
        // The sweeper schedules any reminder that is due and was never queued.
        this.logger.warn(`Reminder for session ${session.id} not queued now: ${(error as Error).message}`);
      }
    }
  }

  async cancel(sessions: Array<Pick<CohortSession, 'id' | 'sequence'>>): Promise<void> {
    for (const session of sessions) {
      for (const sequence of [session.sequence - 1, session.sequence]) {
        // A job left behind is harmless: it reminds only for the session's current sequence.
        await withTimeout(
          this.queue.remove(RemindersService.jobId({ id: session.id, sequence })),
          QUEUE_DISPATCH_TIMEOUT_MS,
        ).catch(() => 0);
      }
    }
  }

  /**
   * Reminds everyone on the session (enrolled trainees and facilitators) who has not been reminded of this
   * sequence yet: people who enrol after the first run are reminded by the next sweep, and nobody twice.
   */
  async send(job: ReminderJob): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [session]: Array<{ cohort_id: string }> = await manager.query(
        `SELECT cohort_id FROM cohort_sessions
            WHERE id = $1 AND sequence = $2 AND status = 'scheduled' AND starts_at > now()`,
        [job.sessionId, job.sequence],
      );
      if (!session) return 0;
      const claimed: Array<{ user_id: string }> = await manager.query(
        `INSERT INTO session_reminders (session_id, user_id, sequence)
         SELECT $1, people.user_id, $2 FROM (
           SELECT trainee_id AS user_id FROM enrolments WHERE cohort_id = $3 AND status = 'enrolled'
           UNION SELECT user_id FROM cohort_facilitators WHERE cohort_id = $3) AS people
         ON CONFLICT DO NOTHING
         RETURNING user_id`,
        [job.sessionId, job.sequence, session.cohort_id],
      );
      if (claimed.length === 0) return 0;
      await this.events.publish(manager, 'session.reminder_due', {
        sessionId: job.sessionId,
        userIds: claimed.map((row) => row.user_id),
      });
      return claimed.length;
    });
  }

  /** Queues the reminders due within the lead time: for people enrolled since, or jobs lost with Redis. */
  async sweep(): Promise<void> {
    const due: Scheduled[] = await this.dataSource.query(
      `SELECT id, starts_at AS "startsAt", sequence, status FROM cohort_sessions
        WHERE status = 'scheduled' AND starts_at > now() AND starts_at <= now() + make_interval(hours => $1)`,
      [this.config.REMINDER_LEAD_HOURS],
    );
    await this.schedule(due);
  }

  async reschedule(before: Scheduled, after: Scheduled): Promise<void> {
    if (before.sequence === after.sequence) return;
    await this.queue.remove(RemindersService.jobId(before)).catch(() => 0);
    await this.schedule([after]);
  }
}
