import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DataSubject, keysetPages, PersonalDataItem, PersonalDataSource } from 'src/privacy/personal-data';

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
}

/**
 * Audit events done by the person, or done to their account. Of an event someone else did, the person learns
 * what was done and when, not by whom nor from where: the audit log names admins and staff the person may never
 * see. Of an event the person did to someone or something else, what it touched stays out (it may be another
 * person); its details are given only when the person acted on their own account.
 */
@Injectable()
export class AuditPersonalData implements PersonalDataSource {
  readonly name = 'audit';
  readonly recordTypes = [
    { name: 'audit-events', description: 'The audit log’s events done by you or to your account' },
  ];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async *export(subject: DataSubject): AsyncGenerator<PersonalDataItem> {
    const events = keysetPages<AuditRow>((after, limit) =>
      this.dataSource.query(
        `SELECT id, occurred_at AS "occurredAt", actor_id AS "actorId", action, subject_type AS "subjectType",
                subject_id AS "subjectId", details, ip_address AS "ipAddress", request_id AS "requestId"
           FROM audit_events
          WHERE (actor_id = $1 OR (subject_type = 'user' AND subject_id = $1::text))
            AND ($2::bigint IS NULL OR id > $2::bigint)
          ORDER BY id LIMIT $3`,
        [subject.id, after?.id ?? null, limit],
      ),
    );
    for await (const event of events)
      yield { recordType: 'audit-events', record: disclosed(event, subject.id) };
  }
}

function disclosed(event: AuditRow, personId: string) {
  const byThem = event.actorId === personId;
  const aboutThem = event.subjectType === 'user' && event.subjectId === personId;
  return {
    occurredAt: event.occurredAt,
    action: event.action,
    doneBy: byThem ? 'you' : event.actorId === null ? 'the system' : 'another person',
    concerning: aboutThem ? 'your account' : event.subjectType,
    ...(byThem ? { ipAddress: event.ipAddress, requestId: event.requestId } : {}),
    ...(byThem && aboutThem ? { details: event.details } : {}),
  };
}
