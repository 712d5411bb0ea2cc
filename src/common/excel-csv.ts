import { stringify } from 'csv-stringify/sync';

// Excel reads a CSV as UTF-8 only when it starts with a byte order mark; without it "Ayşe" arrives garbled.
const BYTE_ORDER_MARK = '\uFEFF';
export const CSV_LINE_END = '\r\n';

// A spreadsheet runs a cell starting with one of these as a formula (`=HYPERLINK(...)`, `@SUM(...)`); a leading
// quote makes it text (OWASP's advice on CSV injection). Numbers are written as numbers, never prefixed.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text as a spreadsheet shows it rather than runs it. */
export function spreadsheetText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Rows (the first the header) as a CSV that Excel opens as it is: UTF-8 with a byte order mark, CRLF lines. */
export function excelCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return excelCsvOfLines(rows.map(csvLine));
}

/** One record as a CSV line without its line end, quoted as `excelCsv` quotes it: for CSVs made from parts made earlier. */
export function csvLine(fields: ReadonlyArray<string | number | null>): string {
  return stringify([fields], { cast: { string: spreadsheetText }, eof: false });
}

/** Lines made by `csvLine` (the first the header; several may come joined by CSV_LINE_END) as a CSV that Excel opens. */
export function excelCsvOfLines(lines: readonly string[]): string {
  return BYTE_ORDER_MARK + lines.join(CSV_LINE_END) + CSV_LINE_END;
}
