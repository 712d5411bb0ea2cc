import { COMPETENCY_GROUPS, CompetencyGroup, SignOffOutcome } from 'src/competencies/competency-group';

/** What a trail needs of a sign-off record. */
export interface TrailRecord {
  id: string;
  supersedesId: string | null;
  outcome: SignOffOutcome;
}

export type CompetencyState = SignOffOutcome | 'none';

/**
 * One trainee's records of one competency, newest first, by following what each supersedes from the record
 * nothing supersedes. Refuses (as a fault, not a refusal) a set that is not one unbroken chain: the database's
 * unique indexes make that impossible, so meeting one means the data was changed behind the application's back.
 */
export function orderTrail<R extends TrailRecord>(records: readonly R[]): R[] {
  if (records.length === 0) return [];
  const byId = new Map(records.map((record) => [record.id, record]));
  const superseded = new Set(records.map((record) => record.supersedesId).filter((id) => id !== null));
  const heads = records.filter((record) => !superseded.has(record.id));
  if (heads.length !== 1) throw new Error(`A sign-off trail has ${heads.length} current records`);
  const ordered: R[] = [];
  for (let record: R | undefined = heads[0]; record; record = byId.get(record.supersedesId ?? '')) {
    ordered.push(record);
    if (ordered.length > records.length) throw new Error('A sign-off trail runs in a circle');
  }
  if (ordered.length !== records.length) throw new Error('A sign-off trail is broken');
  return ordered;
}

/** The state a trail leaves a competency in: its current record's outcome, or none before any record. */
export const trailState = (newestFirst: readonly TrailRecord[]): CompetencyState =>
  newestFirst[0]?.outcome ?? 'none';

/** The asked-for evidence that the logbook did not confirm as accepted entries of the enrolment, in the order asked. */
export function unacceptedEvidence(asked: readonly string[], accepted: readonly string[]): string[] {
  const confirmed = new Set(accepted);
  return asked.filter((id) => !confirmed.has(id));
}

/** Framework items in the order of their groups, then their position; groups without items are left out. */
export function groupByCompetencyGroup<T extends { group: CompetencyGroup; position: number }>(
  items: readonly T[],
): Array<{ group: CompetencyGroup; items: T[] }> {
  return COMPETENCY_GROUPS.map((group) => ({
    group,
    items: items.filter((item) => item.group === group).sort((a, b) => a.position - b.position),
  })).filter(({ items: inGroup }) => inGroup.length > 0);
}
