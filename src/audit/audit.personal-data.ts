import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  DataSubject,
  ErasedRows,
  erasedRows,
  keysetPages,
  PersonalDataItem,
  PersonalDataSource,
} from 'src/privacy/personal-data';
import { withoutPerson } from 'src/privacy/without-person';

interface AuditRow {
  id: string;
  occurredAt: Date;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
  ipAddress: string | null;
  requestId: string | null;
  aboutThem: boolean;
}

/** What an event about one of the person's own records concerns, in the person's words. */
const THEIR_RECORDS: Record<string, string> = {
  user: 'your account',
  enrolment: 'your enrolment',
  logbook: 'your logbook',
  logbook_entry: 'your logbook entry',
  competency_sign_off: 'your competency record',
  certificate: 'your certificate',
  sign_in_account: 'signing in to your account',
};

/**
 * Audit events done by the person, or done to their account or to their own records: their enrolments, logbooks
 * (who read them), logbook entries, competency records and certificates. Of an event someone else did, the person
 * learns what was done and when, not by whom nor from where: the audit log names admins and staff the person may
 * never see. Of an event the person did to someone or something else, what it touched stays out (it may be another
 * person); its details are given only when the person acted on their own account or records.
 */
@Injectable()
export class AuditPersonalData implements PersonalDataSource {
  readonly name = 'audit';
  readonly recordTypes = [
    {
      name: 'audit-events',
      description:
        'The audit log’s events done by you, or to your account and your records (such as who read your logbook)',
    },
  ];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async *export(subject: DataSubject): AsyncGenerator<PersonalDataItem> {
    const addresses = await this.addressesOf(subject, this.dataSource.manager);
    const events = keysetPages<AuditRow>((after, limit) =>
      this.dataSource.query(
        `WITH theirs (subject_type, subject_id) AS (
                SELECT 'user', $1::uuid::text
                UNION ALL SELECT kind, e.id::text FROM enrolments e, (VALUES ('enrolment'), ('logbook')) k (kind)
                           WHERE e.trainee_id = $1
                UNION ALL SELECT 'logbook_entry', l.id::text
                            FROM logbook_entries l JOIN enrolments e ON e.id = l.enrolment_id WHERE e.trainee_id = $1
                UNION ALL SELECT 'competency_sign_off', s.id::text
                            FROM competency_sign_offs s JOIN enrolments e ON e.id = s.enrolment_id
                           WHERE e.trainee_id = $1
                UNION ALL SELECT 'certificate', c.id::text
                            FROM certificates c JOIN enrolments e ON e.id = c.enrolment_id WHERE e.trainee_id = $1
                UNION ALL SELECT 'sign_in_account', unnest($4::text[])
              )
         SELECT a.id, a.occurred_at AS "occurredAt", a.actor_id AS "actorId", a.action,
                a.subject_type AS "subjectType", a.subject_id AS "subjectId", a.details, a.ip_address AS "ipAddress",
                a.request_id AS "requestId", t.subject_id IS NOT NULL AS "aboutThem"
           FROM audit_events a
           LEFT JOIN theirs t ON t.subject_type = a.subject_type AND t.subject_id = a.subject_id
          WHERE (a.actor_id = $1 OR t.subject_id IS NOT NULL)
            AND ($2::bigint IS NULL OR a.id > $2::bigint)
          ORDER BY a.id LIMIT $3`,
        [subject.id, after?.id ?? null, limit, addresses],
      ),
    );
    for await (const event of events)
      yield { recordType: 'audit-events', record: disclosed(event, subject.id) };
  }

  /**
   * Events by or about the person keep their action, time and what they touched: the trail of who was trained,
   * signed off and certified must stand. What goes is the address they acted from and their name and e-mail address
   * in any event's details (an admin's `user.created`, a lead's bulk enrolment). The erasure's own event is written
   * after, by the erasure.
   */
  async erase(subject: DataSubject, manager: EntityManager): Promise<ErasedRows> {
    let anonymised = 0;
    // Read before the events that set them lose their addresses below.
    const addresses = await this.addressesOf(subject, manager);
    const rows = keysetPages<AuditRow>((after, limit) =>
      manager.query(
        `SELECT id, actor_id AS "actorId", subject_type AS "subjectType", subject_id AS "subjectId", details,
                ip_address AS "ipAddress"
           FROM audit_events
          WHERE (actor_id = $1 OR (subject_type = 'user' AND subject_id = $1::text)
                 OR (subject_type = 'sign_in_account' AND subject_id = ANY($6::text[]))
                 OR strpos(lower(details::text), lower($2)) > 0 OR strpos(lower(details::text), lower($3)) > 0)
            AND ($4::bigint IS NULL OR id > $4::bigint)
          ORDER BY id LIMIT $5`,
        [subject.id, subject.email, subject.name, after?.id ?? null, limit, addresses],
      ),
    );
    for await (const event of rows) {
      const aboutThem = event.subjectType === 'user' && event.subjectId === subject.id;
      const details = withoutPerson(event.details, subject, aboutThem);
      const byThem = event.actorId === subject.id;
      const namedByAddress =
        event.subjectType === 'sign_in_account' && addresses.includes(event.subjectId ?? '');
      if (
        JSON.stringify(details) === JSON.stringify(event.details) &&
        !(byThem && event.ipAddress) &&
        !namedByAddress
      )
        continue;
      await manager.query(
        `UPDATE audit_events SET details = $2::jsonb, ip_address = CASE WHEN $3 THEN NULL ELSE ip_address END,
                subject_id = CASE WHEN $4 THEN '(erased)' ELSE subject_id END
          WHERE id = $1`,
        [event.id, JSON.stringify(details), byThem, namedByAddress],
      );
      anonymised += 1;
    }
    return erasedRows({ audit_events: { anonymised } });
  }

  /**
   * Every address the account has had: its address now, and those its audit trail set (created with, changed to)
   * that no other account has now. Sign-in locks are audited by the address typed, which may be an earlier one.
   */
  private async addressesOf(subject: DataSubject, manager: EntityManager): Promise<string[]> {
    const earlier = await manager.query<Array<{ email: string }>>(
      `SELECT DISTINCT lower(a.details->>'email') AS email FROM audit_events a
        WHERE a.subject_type = 'user' AND a.subject_id = $1::text AND a.action IN ('user.created', 'user.updated')
          AND jsonb_typeof(a.details->'email') = 'string'
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id <> $1::uuid AND lower(u.email) = lower(a.details->>'email'))`,
      [subject.id],
    );
    return [...new Set([subject.email.toLowerCase(), ...earlier.map((row) => row.email)])];
  }
}

function disclosed(event: AuditRow, personId: string) {
  const byThem = event.actorId === personId;
  const aboutThem = event.aboutThem;
  return {
    occurredAt: event.occurredAt,
    action: event.action,
    doneBy: byThem ? 'you' : event.actorId === null ? 'the system' : 'another person',
    concerning: aboutThem ? THEIR_RECORDS[event.subjectType ?? ''] : event.subjectType,
    ...(byThem ? { ipAddress: event.ipAddress, requestId: event.requestId } : {}),
    ...(byThem && aboutThem ? { details: event.details } : {}),
  };
}
