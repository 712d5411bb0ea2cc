import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { forbidden, refuse } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import type { RetentionPolicyDto } from 'src/privacy/dto/retention-policy.dto';
import {
  isRetentionRule,
  MAXIMUM_KEEP_MONTHS,
  minimumKeepMonthsOf,
  nextNightlyRun,
  RETENTION_RUN_SUBJECT,
  RetentionAction,
  retentionCutoff,
  RetentionRule,
} from 'src/privacy/retention';
import { RetentionPolicy } from 'src/privacy/retention-policy.entity';
import { RetentionRegistry } from 'src/privacy/retention.registry';

/** Rows removed or anonymised per transaction: each batch holds its row locks for a moment only. */
export const RETENTION_BATCH_SIZE = 500;

export interface RetentionPolicyView {
  recordType: string;
  description: string;
  clock: string;
  action: RetentionAction | 'keep';
  /** Null for a record type kept without a period. */
  defaultKeepMonths: number | null;
  keepMonths: number | null;
  minimumKeepMonths: number | null;
  maximumKeepMonths: number | null;
  /** Why a record type has no period. */
  reason?: string;
  updatedAt: Date | null;
}

/** A record type's period at a run, and the moment it cuts at. */
export interface RetentionCut {
  recordType: string;
  action: RetentionAction;
  keepMonths: number;
  /** Rows whose clock started before this are past their period. */
  cutoff: string;
}

export interface RetentionDue extends RetentionCut {
  /** When the next nightly run starts: the cutoff is counted from it. */
  runsAt: string;
  due: number;
}

export interface RetentionRunResult {
  startedAt: string;
  finishedAt: string;
  recordTypes: Array<RetentionCut & { removed: number; error?: string }>;
}

/**
 * Retention: the period of each record type (the feature's default, or what an admin set), what is past it now
 * (the dry run), and the nightly run that deletes or anonymises it in short batches and says what it did in the
 * audit log.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: RetentionRegistry,
    private readonly audit: AuditService,
  ) {}

  async policies(actor: AuthUser): Promise<RetentionPolicyView[]> {
    assertAdmin(actor);
    const set = await this.setPolicies();
    return this.registry.recordTypes().map((type) => {
      if (!isRetentionRule(type))
        return {
          recordType: type.recordType,
          description: type.description,
          clock: type.clock,
          action: type.action,
          defaultKeepMonths: null,
          keepMonths: null,
          minimumKeepMonths: null,
          maximumKeepMonths: null,
          reason: type.reason,
          updatedAt: null,
        };
      const policy = set.get(type.recordType);
      return {
        recordType: type.recordType,
        description: type.description,
        clock: type.clock,
        action: type.action,
        defaultKeepMonths: type.defaultKeepMonths,
        keepMonths: keepMonthsOf(type, set),
        minimumKeepMonths: minimumKeepMonthsOf(type),
        maximumKeepMonths: MAXIMUM_KEEP_MONTHS,
        updatedAt: policy?.updatedAt ?? null,
      };
    });
  }

  /** Sets the periods listed; the others stay. Audited with each period before and after. */
  async update(actor: AuthUser, changes: RetentionPolicyDto[]): Promise<RetentionPolicyView[]> {
    assertAdmin(actor);
    const seen = new Set<string>();
    changes.forEach((change, index) => {
      const type = this.registry.find(change.recordType);
      if (!type)
        throw refuse('RECORD_TYPE_UNKNOWN', `There is no record type ${change.recordType}`, {
          field: `[${index}].recordType`,
          details: { recordTypes: this.registry.rules().map((rule) => rule.recordType) },
        });
      if (seen.has(type.recordType))
        throw refuse('RECORD_TYPE_LISTED_TWICE', `${type.recordType} is listed twice`, {
          field: `[${index}].recordType`,
        });
      seen.add(type.recordType);
      if (!isRetentionRule(type))
        throw refuse('RECORD_TYPE_KEPT', type.reason, { field: `[${index}].recordType` });
      const minimum = minimumKeepMonthsOf(type);
      if (change.keepMonths < minimum || change.keepMonths > MAXIMUM_KEEP_MONTHS)
        throw refuse(
          'KEEP_MONTHS_OUT_OF_RANGE',
          `Keep ${type.recordType} for between ${minimum} and ${MAXIMUM_KEEP_MONTHS} months`,
          { field: `[${index}].keepMonths`, details: { minimum, maximum: MAXIMUM_KEEP_MONTHS } },
        );
    });
    await this.dataSource.transaction(async (manager) => {
      // One change at a time, so that each audit event's "before" is what the change replaced.
      await manager.query(`LOCK TABLE retention_policies IN SHARE ROW EXCLUSIVE MODE`);
      const before = await this.setPolicies(manager.getRepository(RetentionPolicy));
      const changed = changes.flatMap((change) => {
        const rule = this.registry.find(change.recordType) as RetentionRule;
        const was = keepMonthsOf(rule, before);
        return was === change.keepMonths
          ? []
          : [{ recordType: change.recordType, before: was, after: change.keepMonths }];
      });
      if (changed.length === 0) return;
      await manager.getRepository(RetentionPolicy).upsert(
        changed.map((change) => ({
          recordType: change.recordType,
          keepMonths: change.after,
          updatedBy: actor.id,
          updatedAt: new Date(),
        })),
        ['recordType'],
      );
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'retention.policy_changed',
          subjectType: 'retention_policy',
          details: { changes: changed },
        },
        manager,
      );
    });
    return this.policies(actor);
  }

  /**
   * What the next nightly run would remove or anonymise, per record type, and the cutoff it would use: what is past
   * its period now, and what passes it before the run starts.
   */
  async dryRun(actor: AuthUser, now = new Date()): Promise<RetentionDue[]> {
    assertAdmin(actor);
    const runsAt = nextNightlyRun(now);
    const periods = await this.periods(runsAt);
    return Promise.all(
      periods.map(async ({ rule, keepMonths, cutoff }) => ({
        recordType: rule.recordType,
        action: rule.action,
        keepMonths,
        cutoff: cutoff.toISOString(),
        runsAt: runsAt.toISOString(),
        due: await rule.countDue(cutoff),
      })),
    );
  }

  /**
   * Runs every rule to its end, one batch per transaction. A rule that fails does not stop the others; the run is
   * recorded either way, and then fails so that the job shows it. Running again removes nothing more.
   */
  async run(now = new Date()): Promise<RetentionRunResult> {
    const startedAt = new Date();
    const recordTypes: RetentionRunResult['recordTypes'] = [];
    for (const { rule, keepMonths, cutoff } of await this.periods(now)) {
      const outcome = {
        recordType: rule.recordType,
        action: rule.action,
        keepMonths,
        cutoff: cutoff.toISOString(),
      };
      let removed = 0;
      try {
        for (;;) {
          const batch = await this.dataSource.transaction((manager) =>
            rule.purgeBatch(cutoff, RETENTION_BATCH_SIZE, manager),
          );
          removed += batch;
          // Until a batch finds nothing: a short batch may still leave rows a later one can take (a trail of
          // records, each referenced by the next, goes newest first).
          if (batch === 0) break;
        }
        recordTypes.push({ ...outcome, removed });
      } catch (error) {
        this.logger.error(error, `Retention of ${rule.recordType} failed after ${removed} rows`);
        recordTypes.push({
          ...outcome,
          removed,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    const result = { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), recordTypes };
    await this.audit.record({
      actorId: null,
      action: 'retention.run',
      subjectType: RETENTION_RUN_SUBJECT,
      details: { ...result },
    });
    const failed = recordTypes.filter((type) => type.error).map((type) => type.recordType);
    if (failed.length > 0) throw new Error(`Retention failed for ${failed.join(', ')}`);
    return result;
  }

  /** The last run, as its audit event recorded it. */
  async lastRun(actor: AuthUser): Promise<{ occurredAt: Date; details: RetentionRunResult } | null> {
    assertAdmin(actor);
    const { events } = await this.audit.list({ action: 'retention.run', page: 1, pageSize: 1 });
    if (events.length === 0) return null;
    return { occurredAt: events[0].occurredAt, details: events[0].details as unknown as RetentionRunResult };
  }

  private async periods(now: Date) {
    const set = await this.setPolicies();
    return this.registry.rules().map((rule) => {
      const keepMonths = keepMonthsOf(rule, set);
      return { rule, keepMonths, cutoff: retentionCutoff(now, keepMonths) };
    });
  }

  private async setPolicies(repository = this.dataSource.getRepository(RetentionPolicy)) {
    const rows = await repository.find();
    return new Map(rows.map((row) => [row.recordType, row]));
  }
}

/** The rule's period: what an admin set, or the feature's default. */
function keepMonthsOf(rule: RetentionRule, set: Map<string, RetentionPolicy>): number {
  return set.get(rule.recordType)?.keepMonths ?? rule.defaultKeepMonths;
}

function assertAdmin(actor: AuthUser): void {
  if (!hasRole(actor, 'admin'))
    throw forbidden('Only administrators may see or change how long records are kept');
}
