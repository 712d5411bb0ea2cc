import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEvent } from 'src/audit/audit-event.entity';
import type { AuditQuery } from 'src/audit/dto/audit-query.dto';
import { currentRequestMeta } from 'src/common/request-meta';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

export interface AuditPage {
  events: AuditEvent[];
  page: number;
  pageSize: number;
  total: number;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Pass the transaction's manager so the event commits (or rolls back) with the change it records. One plain
   * INSERT: the query builder's insert took about three times as long, on a write nearly every request makes.
   */
  async record(entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const meta = currentRequestMeta();
    await manager.query(
      `INSERT INTO audit_events (actor_id, action, subject_type, subject_id, details, ip_address, request_id)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
      [
        entry.actorId,
        entry.action,
        entry.subjectType ?? null,
        entry.subjectId ?? null,
        JSON.stringify(entry.details ?? {}),
        meta?.ipAddress ?? null,
        meta?.requestId ?? null,
      ],
    );
  }

  async list(query: AuditQuery): Promise<AuditPage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const builder = this.dataSource.getRepository(AuditEvent).createQueryBuilder('event');
    if (query.action) builder.andWhere('event.action = :action', { action: query.action });
    if (query.actorId) builder.andWhere('event.actorId = :actorId', { actorId: query.actorId });
    if (query.subjectId) builder.andWhere('event.subjectId = :subjectId', { subjectId: query.subjectId });
    if (query.from) builder.andWhere('event.occurredAt >= :from', { from: query.from });
    if (query.to) builder.andWhere('event.occurredAt < :to', { to: query.to });
    const [events, total] = await builder
      .orderBy('event.occurredAt', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { events, page, pageSize, total };
  }

  async actions(): Promise<string[]> {
    const rows: Array<{ action: string }> = await this.dataSource.query(
      'SELECT DISTINCT action FROM audit_events ORDER BY action',
    );
    return rows.map((row) => row.action);
  }
}
