import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { MailAttachment } from 'src/notifications/email-message.entity';
import {
  changedRows,
  DataSubject,
  ErasedRows,
  erasedRows,
  keysetPages,
  PersonalDataItem,
  PersonalDataSource,
} from 'src/privacy/personal-data';
import { withoutPerson } from 'src/privacy/without-person';
import { erasedEmail } from 'src/users/erased-account';

interface StoredMail {
  id: string;
  context: Record<string, unknown>;
  secretKeys: string[];
  attachments: MailAttachment[];
}

/**
 * The e-mails sent to the person's address, with what filled their templates. A secret value (a sign-in link) is
 * withheld: a copy of the data must not work as a key to the account.
 */
@Injectable()
export class NotificationsPersonalData implements PersonalDataSource {
  readonly name = 'notifications';
  readonly recordTypes = [
    { name: 'emails', description: 'E-mails sent to you: template, subject, contents and delivery' },
  ];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async *export(subject: DataSubject): AsyncGenerator<PersonalDataItem> {
    const mails = keysetPages<StoredMail>((after, limit) =>
      this.dataSource.query(
        `SELECT id, template, subject, context, secret_keys AS "secretKeys", attachments, status, attempts,
                sent_at AS "sentAt", created_at AS "createdAt"
           FROM email_messages WHERE lower(to_address) = lower($1) AND ($2::uuid IS NULL OR id > $2)
          ORDER BY id LIMIT $3`,
        [subject.email, after?.id ?? null, limit],
      ),
    );
    for await (const { secretKeys, context, attachments, ...mail } of mails) {
      const shown = Object.fromEntries(
        Object.entries(context).map(([key, value]) => [key, secretKeys.includes(key) ? '(withheld)' : value]),
      );
      yield {
        recordType: 'emails',
        record: { ...mail, context: shown, attachments: attachments.map((file) => file.filename) },
      };
    }
  }

  /**
   * Mail to the person not sent yet is cancelled (deleted: its delivery then finds nothing to send). Mail sent
   * stays as the record that it was sent, with the erased account's address, and without what filled its template
   * or its attachments (a certificate's PDF); a subject that named the person names the erased account. Mail to
   * others that named them (a lead told of a withdrawal) names the erased account instead.
   */
  async erase(subject: DataSubject, manager: EntityManager): Promise<ErasedRows> {
    const deleted = await changedRows(
      manager,
      `DELETE FROM email_messages WHERE lower(to_address) = lower($1) AND status <> 'sent'`,
      [subject.email],
    );
    const erasedAddress = erasedEmail(subject.id);
    let anonymised = await changedRows(
      manager,
      `UPDATE email_messages
          SET to_address = $2, context = '{}', secret_keys = '{}', attachments = '[]', last_error = NULL,
              updated_at = now()
        WHERE lower(to_address) = lower($1)`,
      [subject.email, erasedAddress],
    );
    const mentioning = keysetPages<{ id: string; toAddress: string; subject: string; context: object }>(
      (after, limit) =>
        manager.query(
          `SELECT id, to_address AS "toAddress", subject, context FROM email_messages
            WHERE (strpos(lower(context::text), lower($1)) > 0 OR strpos(lower(context::text), lower($2)) > 0
                   OR strpos(lower(subject), lower($1)) > 0 OR strpos(lower(subject), lower($2)) > 0)
              AND ($3::uuid IS NULL OR id > $3) ORDER BY id LIMIT $4`,
          [subject.email, subject.name, after?.id ?? null, limit],
        ),
    );
    for await (const mail of mentioning) {
      const [mailSubject, context] = [
        withoutPerson(mail.subject, subject, false),
        JSON.stringify(withoutPerson(mail.context, subject, false)),
      ];
      if (mailSubject === mail.subject && context === JSON.stringify(mail.context)) continue;
      await manager.query(`UPDATE email_messages SET subject = $2, context = $3::jsonb WHERE id = $1`, [
        mail.id,
        mailSubject,
        context,
      ]);
      // Mail to the person was counted above.
      if (mail.toAddress !== erasedAddress) anonymised += 1;
    }
    return erasedRows({ email_messages: { deleted, anonymised } });
  }
}
