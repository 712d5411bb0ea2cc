import type { EntityManager } from 'typeorm';
import type { ProgressFactKey, ProgressFactMap } from 'src/courses/progress-facts';

/** The enrolments of one cohort that a progress report is asked for: all of them, or one. */
export interface ProgressScope {
  cohortId: string;
  /** The cohort's course version, whose rules and framework the enrolments are measured against. */
  courseVersionId: string;
  enrolments: ReadonlyArray<{ enrolmentId: string; traineeId: string }>;
}

/**
 * Supplies one fact for progress. Registered with the ProgressFactRegistry by the feature that owns the data,
 * so that the progress calculator reads every fact without importing the features that hold them.
 */
export interface ProgressFactProvider<K extends ProgressFactKey = ProgressFactKey> {
  readonly fact: K;
  /** The fact for every enrolment in scope, by enrolment id, in a fixed number of queries whatever their number. */
  gather(scope: ProgressScope, manager: EntityManager): Promise<Map<string, ProgressFactMap[K]>>;
}

/**
 * One row per enrolment in scope from a query taking the cohort ($1) and the enrolment ids ($2), each row's
 * `enrolmentId` column the key and the rest the fact.
 */
export async function factsByEnrolment<T>(
  sql: string,
  scope: ProgressScope,
  manager: EntityManager,
): Promise<Map<string, T>> {
  if (scope.enrolments.length === 0) return new Map();
  const rows: Array<T & { enrolmentId: string }> = await manager.query(sql, [
    scope.cohortId,
    scope.enrolments.map((enrolment) => enrolment.enrolmentId),
  ]);
  return new Map(rows.map(({ enrolmentId, ...facts }) => [enrolmentId, facts as T]));
}
