import { Injectable } from '@nestjs/common';
import {
  isRetentionRule,
  RetentionExemption,
  RetentionRecordType,
  RetentionRule,
  RetentionSource,
  minimumKeepMonthsOf,
} from 'src/privacy/retention';
import { UUID } from 'src/common/validation';

/** Every feature that keeps records for a period registers its rules here when its module starts. */
@Injectable()
export class RetentionRegistry {
  private readonly sources: RetentionSource[] = [];

  register(source: RetentionSource): void {
    if (this.sources.some((other) => other.name === source.name))
      throw new Error(`Two retention sources named ${source.name}`);
    const taken = new Set(this.recordTypes().map((type) => type.recordType));
    for (const type of source.recordTypes) {
      if (taken.has(type.recordType))
        throw new Error(`Two retention sources hold the record type ${type.recordType}`);
      if (isRetentionRule(type) && type.defaultKeepMonths < minimumKeepMonthsOf(type))
        throw new Error(`The default period of ${type.recordType} is below its minimum`);
      taken.add(type.recordType);
    }
    this.sources.push(source);
  }

  recordTypes(): RetentionRecordType[] {
    return this.sources.flatMap((source) => source.recordTypes);
  }

  rules(): RetentionRule[] {
    return this.recordTypes().filter(isRetentionRule);
  }

  exemptions(): RetentionExemption[] {
    return this.recordTypes().filter((type): type is RetentionExemption => !isRetentionRule(type));
  }

  find(recordType: string): RetentionRecordType | undefined {
    return this.recordTypes().find((type) => type.recordType === recordType);
  }

  /**
   * An SQL condition on the audit event `event` that is true when a record type keeps it: an event about a record
   * still held (a certificate), or about records kept always (retention runs).
   */
  auditEventsKept(event: string): string {
    const kept = this.exemptions().flatMap(({ keepsAuditEvents: keeps }) => {
      if (!keeps) return [];
      if (!/^[a-z_]+$/.test(keeps.subjectType)) throw new Error(`Unsafe subject type ${keeps.subjectType}`);
      // Never NULL: an event without a subject type must make the condition false, not unknown.
      const ofType = `coalesce(${event}.subject_type, '') = '${keeps.subjectType}'`;
      if (!keeps.stillHeld) return [`(${ofType})`];
      // CASE: the subject id is read as a uuid only where it is one, so no event can make the query fail.
      const subjectId = `(CASE WHEN ${ofType} AND ${event}.subject_id ~* '${UUID.source}' THEN ${event}.subject_id::uuid END)`;
      return [`(${ofType} AND ${keeps.stillHeld(subjectId)})`];
    });
    return kept.length > 0 ? `(${kept.join(' OR ')})` : 'false';
  }
}
