import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import { allowDataProtectionChanges } from 'src/privacy/data-protection-changes';

/** What a run does to a row past its period: removes it, or removes what names the person and keeps the rest. */
export type RetentionAction = 'delete' | 'anonymise';

/** How a record type is named to an admin and to a trust's information-governance lead. */
interface RecordTypeWords {
  /** kebab-case, unique across the platform: `logbook-entries`. */
  readonly recordType: string;
  /** What the records are, in plain words: "Reflective logbook entries, with their revisions and reviews". */
  readonly description: string;
  /** What starts the clock: "after the enrolment ended". */
  readonly clock: string;
}

/**
 * A record type the nightly run deletes or anonymises once it is past its period. The feature owning the tables
 * writes the rule (src/<feature>/<feature>.retention.ts): a row is past its period when its clock started before
 * the cutoff. purgeBatch runs in a short transaction of its own; a rule touching an append-only table calls
 * allowDataProtectionChanges(manager) itself. countDue(cutoff) is what purgeBatch would remove in all, so that
 * the dry run and the run agree; a row purged must no longer count, so running twice removes nothing more (and the
 * run, which calls purgeBatch until it answers 0, ends).
 */
export interface RetentionRule extends RecordTypeWords {
  readonly action: RetentionAction;
  readonly defaultKeepMonths: number;
  /** The shortest period an admin may set, where a shorter one would break a duty (1 month if not given). */
  readonly minimumKeepMonths?: number;
  countDue(cutoff: Date): Promise<number>;
  /** Removes or anonymises at most `limit` rows past the cutoff, and says how many. */
  purgeBatch(cutoff: Date, limit: number, manager: EntityManager): Promise<number>;
}

/**
 * A record type no period applies to: it is kept as long as something needs it (a certificate while it can be
 * verified). It is listed beside the rules so that the list answers for everything, and cannot be changed.
 */
export interface RetentionExemption extends RecordTypeWords {
  readonly action: 'keep';
  /** Why it is kept, as the refusal to change it says. */
  readonly reason: string;
  /**
   * Audit events about these records are kept with them: those of `subjectType` whose subject is still held, by
   * `stillHeld(subjectId)`, an SQL condition on the subject's id (a uuid expression); all of them if not given.
   */
  readonly keepsAuditEvents?: { subjectType: string; stillHeld?: (subjectId: string) => string };
}

export type RetentionRecordType = RetentionRule | RetentionExemption;

/** A feature's record types, registered with RetentionRegistry when its module starts. */
export interface RetentionSource {
  readonly name: string;
  readonly recordTypes: readonly RetentionRecordType[];
}

export const isRetentionRule = (type: RetentionRecordType): type is RetentionRule => type.action !== 'keep';

/** The subject type of the retention runs' audit events, which the record of runs keeps always. */
export const RETENTION_RUN_SUBJECT = 'retention_run';

/** The floor under every rule's minimum, and the longest period an admin may set (a century). */
const MINIMUM_KEEP_MONTHS = 1;
export const MAXIMUM_KEEP_MONTHS = 1200;

/** The shortest period an admin may set for the rule. */
export function minimumKeepMonthsOf(rule: RetentionRule): number {
  return Math.max(MINIMUM_KEEP_MONTHS, rule.minimumKeepMonths ?? MINIMUM_KEEP_MONTHS);
}

/** When the nightly run starts, UK time: the platform is quiet then, and every UK day has 02:30 exactly once. */
export const NIGHTLY_RUN = { hour: 2, minute: 30, zone: 'Europe/London' } as const;

/** The next start of the nightly run after `now`. */
export function nextNightlyRun(now: Date): Date {
  const at = (day: DateTime) =>
    day.set({ hour: NIGHTLY_RUN.hour, minute: NIGHTLY_RUN.minute, second: 0, millisecond: 0 });
  const today = at(DateTime.fromJSDate(now, { zone: NIGHTLY_RUN.zone }));
  return (today.toMillis() > now.getTime() ? today : at(today.plus({ days: 1 }))).toJSDate();
}

/**
 * The moment before which a row's clock must have started for it to be past a period of `keepMonths`: the same
 * moment of the day, that many calendar months earlier in the UK (31 May less 3 months is 28 or 29 February).
 */
export function retentionCutoff(now: Date, keepMonths: number): Date {
  return DateTime.fromJSDate(now, { zone: 'Europe/London' }).minus({ months: keepMonths }).toJSDate();
}

/** The number of rows a DELETE or UPDATE run through EntityManager.query changed (TypeORM gives [rows, count]). */
export function rowsChanged(result: unknown): number {
  if (!Array.isArray(result) || typeof result[1] !== 'number')
    throw new Error('Expected the result of a DELETE or UPDATE');
  return result[1];
}

/** The count a `SELECT count(*)::int AS count` answered. */
export function countOf(rows: Array<{ count: number }>): number {
  return rows[0].count;
}

/** A rule whose rows past their period are one SQL selection, removed or anonymised by one statement a batch. */
export interface SqlRetentionRule extends Omit<RetentionRule, 'countDue' | 'purgeBatch'> {
  /** `FROM ... WHERE ...`: the rows past the cutoff, given as $1. */
  due: string | (() => string);
  /** The statement that removes or anonymises at most $2 of those rows (see purgeDue). */
  purge: (due: string) => string;
  /** It deletes from an append-only table, which only a data protection change may. */
  appendOnly?: boolean;
}

export function sqlRetentionRule(dataSource: DataSource, rule: SqlRetentionRule): RetentionRule {
  const { due, purge, appendOnly, ...words } = rule;
  const selection = typeof due === 'string' ? () => due : due;
  return {
    ...words,
    countDue: async (cutoff) =>
      countOf(await dataSource.query(`SELECT count(*)::int AS count ${selection()}`, [cutoff])),
    purgeBatch: async (cutoff, limit, manager) => {
      if (appendOnly) await allowDataProtectionChanges(manager);
      return rowsChanged(await manager.query(purge(selection()), [cutoff, limit]));
    },
  };
}

/**
 * The statement that deletes (or, given `SET ...`, updates) at most $2 of the rows of `table` selected by `due`, by
 * their id, skipping rows another transaction holds: those are for the next batch or the next night.
 */
export const purgeDue =
  (table: string, change = 'DELETE') =>
  (due: string) =>
    `${change === 'DELETE' ? `DELETE FROM ${table}` : `UPDATE ${table} ${change}`}
      WHERE id IN (SELECT id ${due} LIMIT $2 FOR UPDATE SKIP LOCKED)`;
