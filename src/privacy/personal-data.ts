import type { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';

/** The person whose data is gathered, as their account says now. */
export interface DataSubject {
  id: string;
  email: string;
  name: string;
}

/** One kind of record a source holds, with the words the archive's summary uses for it. */
export interface PersonalRecordType {
  name: string;
  description: string;
}

/** A record about the person, put in its type's JSON file. */
export interface PersonalRecord {
  recordType: string;
  record: object;
}

/** A file held about the person (a certificate's PDF), put in the archive as it is, under files/. */
export interface PersonalFile {
  recordType: string;
  file: { name: string; open: () => Readable };
}

export type PersonalDataItem = PersonalRecord | PersonalFile;

/** What erasure did to one table: rows deleted, and rows kept with their personal data removed. */
export interface ErasedTable {
  deleted?: number;
  anonymised?: number;
}

/** What a source's erasure changed, by table; a table it left as it was is not named. */
export type ErasedRows = Record<string, ErasedTable>;

/**
 * What a feature holding personal data answers about one person, for its own tables only. Subject access reads
 * through export(); erasure through erase(); retention adds its methods here, so each feature keeps answering for
 * its data.
 *
 * What a source may disclose: the person's own records and facts about them. Another person appears only by a
 * name the person already sees in the service (their facilitators, who reviewed their entry, who signed off their
 * competency), never by e-mail address or id, and nothing another person wrote about someone else. Where a record
 * is about someone else (a sign-off a facilitator made), only the person's own act is given: what, when, where.
 *
 * export() yields the items of each record type together (one JSON file per type is written as they come) and
 * reads its tables a page at a time (keysetPages), so a logbook of any length is never held in memory.
 */
export interface PersonalDataSource {
  readonly name: string;
  readonly recordTypes: readonly PersonalRecordType[];
  export(subject: DataSubject): AsyncIterable<PersonalDataItem>;
  /**
   * Removes or irreversibly anonymises the person's data in the source's tables, keeping in anonymised form what
   * must be kept (counts, certificates' verification, licences), inside the erasure's one transaction (`manager`,
   * where the append-only tables accept the change). `subject` is the account as it was before erasure began.
   */
  erase(subject: DataSubject, manager: EntityManager): Promise<ErasedRows>;
  /**
   * What of the person's is still under way and erasure would leave as it is (a place on a cohort not yet finished,
   * a cohort they facilitate), each in a sentence the admin reads before confirming: someone leaving should be
   * withdrawn or replaced first. Sources with nothing that runs on leave it out.
   */
  stillUnderway?(subject: DataSubject): Promise<string[]>;
}

/** The number of rows an UPDATE or DELETE changed, run through the manager of the erasure's transaction. */
export async function changedRows(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<number> {
  const [, count] = await manager.query<[unknown[], number]>(sql, parameters);
  return count;
}

/** The tables with something done to them, each count named only when above zero. */
export function erasedRows(tables: Record<string, ErasedTable>): ErasedRows {
  return Object.fromEntries(
    Object.entries(tables)
      .map(([table, counts]) => [
        table,
        Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0)),
      ])
      .filter(([, counts]) => Object.keys(counts as ErasedTable).length > 0),
  ) as ErasedRows;
}

export const PERSONAL_DATA_PAGE_SIZE = 500;

/**
 * Every row of a query read by keyset pagination: readPage gets the last row of the page before (undefined for the
 * first) and returns up to `limit` rows after it, in the key's order. Memory holds one page whatever the total.
 */
export async function* keysetPages<Row>(
  readPage: (after: Row | undefined, limit: number) => Promise<Row[]>,
): AsyncGenerator<Row> {
  let after: Row | undefined;
  for (;;) {
    const rows = await readPage(after, PERSONAL_DATA_PAGE_SIZE);
    yield* rows;
    if (rows.length < PERSONAL_DATA_PAGE_SIZE) return;
    after = rows[rows.length - 1];
  }
}

/** Rows as the records of one type. */
export async function* asRecords(
  recordType: string,
  rows: AsyncIterable<object> | Iterable<object>,
): AsyncGenerator<PersonalRecord> {
  for await (const record of rows) yield { recordType, record };
}
