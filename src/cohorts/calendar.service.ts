import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { sessionVenue } from 'src/cohorts/schedule';
import { notFound } from 'src/common/refusal';
import type { AuthUser } from 'src/common/request-context';
import { CalendarFeed } from 'src/cohorts/calendar-feed.entity';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { CalendarEvent, renderCalendar } from 'src/cohorts/icalendar';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';

interface SessionRow {
  id: string;
  title: string;
  starts_at: Date;
  ends_at: Date;
  updated_at: Date;
  sequence: number;
  session_status: string;
  session_venue: string | null;
  cohort_id: string;
  cohort_title: string;
  cohort_venue: string | null;
  delivery_mode: string;
  cohort_status: string;
}

const SESSION_COLUMNS = `s.id, s.title, s.starts_at, s.ends_at, s.updated_at, s.sequence, s.status AS session_status,
  s.venue AS session_venue, c.id AS cohort_id, c.title AS cohort_title, c.venue AS cohort_venue, c.delivery_mode,
  c.status AS cohort_status`;

@Injectable()
export class CalendarService {
  private readonly host: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cohorts: CohortsService,
  ) {
    this.host = new URL(config.APP_URL).hostname;
  }

  async forCohort(actor: AuthUser, cohortId: string): Promise<{ filename: string; body: string }> {
    const detail = await this.cohorts.detail(actor, cohortId);
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT ${SESSION_COLUMNS} FROM cohort_sessions s JOIN cohorts c ON c.id = s.cohort_id WHERE c.id = $1 ORDER BY s.starts_at`,
      [cohortId],
    );
    return {
      filename: `cohort-${cohortId}.ics`,
      body: renderCalendar(
        detail.cohort.title,
        rows.map((row) => this.event(row)),
      ),
    };
  }

  /** Every session the person attends or facilitates, for a subscription that needs no sign-in. */
  async forFeed(token: string): Promise<string> {
    // A disabled account's feed stops at once, like its sessions.
    const [feed]: Array<{ userId: string }> = /^[A-Za-z0-9_-]{43}$/.test(token)
      ? await this.dataSource.query(
          `SELECT f.user_id AS "userId" FROM calendar_feeds f JOIN users u ON u.id = f.user_id
            WHERE f.token = $1 AND u.status = 'active'`,
          [token],
        )
      : [];
    if (!feed) throw notFound('The calendar');
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT ${SESSION_COLUMNS} FROM cohort_sessions s JOIN cohorts c ON c.id = s.cohort_id
        WHERE c.id IN (SELECT cohort_id FROM enrolments WHERE trainee_id = $1 AND status IN ('enrolled', 'completed')
                       UNION SELECT cohort_id FROM cohort_facilitators WHERE user_id = $1)
          AND s.starts_at > now() - interval '180 days'
        ORDER BY s.starts_at`,
      [feed.userId],
    );
    return renderCalendar(
      'FPM Training sessions',
      rows.map((row) => this.event(row)),
    );
  }

  /** The person's address, made on first use; calls racing to make it all get the one that was kept. */
  async feedUrl(user: AuthUser): Promise<string> {
    const feeds = this.dataSource.getRepository(CalendarFeed);
    await feeds
      .createQueryBuilder()
      .insert()
      .values({ userId: user.id, token: randomBytes(32).toString('base64url') })
      .orIgnore()
      .execute();
    return this.urlFor((await feeds.findOneByOrFail({ userId: user.id })).token);
  }

  /** A new secret address; the old one stops working at once. */
  async resetFeed(user: AuthUser): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.getRepository(CalendarFeed).upsert({ userId: user.id, token }, ['userId']);
    return token;
  }

  urlFor(token: string): string {
    return `${this.config.APP_URL}/calendar/${token}.ics`;
  }

  private event(row: SessionRow): CalendarEvent {
    const cancelled = row.session_status === 'cancelled' || row.cohort_status === 'cancelled';
    return {
      uid: `session-${row.id}@${this.host}`,
      sequence: row.sequence,
      cancelled,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      updatedAt: row.updated_at,
      summary: `${row.cohort_title}: ${row.title}`,
      location: sessionVenue(
        { venue: row.session_venue },
        { venue: row.cohort_venue, deliveryMode: row.delivery_mode },
      ),
      description: `Family Partnership Model training. Cohort: ${row.cohort_title}.`,
      url: `${this.config.APP_URL}/cohorts/${row.cohort_id}`,
    };
  }
}
