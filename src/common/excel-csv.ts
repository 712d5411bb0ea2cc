import { stringify } from 'csv-stringify/sync';

// Excel reads a CSV as UTF-8 only when it starts with a byte order mark; without it "Ayşe" arrives garbled.
const BYTE_ORDER_MARK = '\uFEFF';

/** Rows (the first the header) as a CSV that Excel opens as it is: UTF-8 with a byte order mark, CRLF lines. */
export function excelCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return BYTE_ORDER_MARK + stringify(rows as unknown[][], { record_delimiter: 'windows' });
}
