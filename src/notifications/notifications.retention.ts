import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { EmailMessage } from 'src/notifications/email-message.entity';
import { purgeDue, RetentionSource, sqlRetentionRule } from 'src/privacy/retention';

// A message is finished once sent or failed for good; a queued one is still to be sent and is never touched.
const FINISHED_BEFORE = `FROM email_messages WHERE status IN ('sent', 'failed') AND coalesce(sent_at, updated_at) < $1`;
const CLOCK = 'after it was sent, or failed for the last time (never while it waits to be sent)';

/** Whether the message still holds what it said: one cleared by retention cannot be sent again. */
export function holdsBody(message: Pick<EmailMessage, 'context'>): boolean {
  // Every stored context has at least appUrl, so an empty one has been cleared.
  return Object.keys(message.context).length > 0;
}

/**
 * E-mail: what a message said (its template's values and attachments) is cleared some months after it was sent;
 * the record that it was sent (to, subject, when) is deleted later.
 */
@Injectable()
export class NotificationsRetention implements RetentionSource {
  readonly name = 'notifications';
  readonly recordTypes;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.recordTypes = [
      sqlRetentionRule(dataSource, {
        recordType: 'email-bodies',
        description:
          'What each e-mail said: the names, course details and links it was written from, and its attachments',
        clock: CLOCK,
        action: 'anonymise',
        defaultKeepMonths: 6,
        due: `${FINISHED_BEFORE} AND (context <> '{}'::jsonb OR attachments <> '[]'::jsonb)`,
        purge: purgeDue(
          'email_messages',
          `SET context = '{}'::jsonb, attachments = '[]'::jsonb, secret_keys = '{}'`,
        ),
      }),
      sqlRetentionRule(dataSource, {
        recordType: 'email-log',
        description: 'The record of each e-mail: to whom, its subject, when it was sent or why it failed',
        clock: CLOCK,
        action: 'delete',
        defaultKeepMonths: 24,
        due: FINISHED_BEFORE,
        purge: purgeDue('email_messages'),
      }),
    ];
  }
}
