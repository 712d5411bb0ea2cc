import { parse } from 'csv-parse/sync';

/** One person as a lead's list gives them, not yet checked. */
export interface ListedPerson {
  email: string;
  name: string;
  profession: string;
}

export interface PeopleList {
  people: ListedPerson[];
  /** Problems with the list as a whole (it could not be read), not with one person. */
  problems: string[];
}

const HEADINGS: Record<keyof ListedPerson, RegExp> = {
  email: /^e-?mail( address)?$/,
  name: /^(full )?name$/,
  profession: /^(profession|job( title)?|role)$/,
};

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * A list pasted from a spreadsheet or saved by Excel as CSV: columns e-mail, name, profession, in that order or
 * named by a heading row. Excel writes a byte-order mark, `;` between fields where a comma is the decimal mark,
 * and quotes around fields that hold the separator; a paste from a sheet comes with tabs.
 */
export function readPeopleList(text: string): PeopleList {
  const content = text.replace(/^\uFEFF/, '');
  if (content.trim() === '') return { people: [], problems: ['Paste the list, or choose a CSV file'] };
  let records: string[][];
  try {
    records = parse(content, {
      delimiter: delimiterOf(content),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    return { people: [], problems: [`The list could not be read: ${(error as Error).message}`] };
  }
  records = records.filter((record) => record.some((cell) => cell !== ''));
  const columns = headingColumns(records[0] ?? []);
  const rows = columns ? records.slice(1) : records;
  const at = columns ?? { email: 0, name: 1, profession: 2 };
  const people = rows.map((record) => ({
    email: record[at.email] ?? '',
    name: record[at.name] ?? '',
    profession: record[at.profession] ?? '',
  }));
  return people.length > 0
    ? { people, problems: [] }
    : { people, problems: ['The list has no people in it'] };
}

/** The separator of the first line: whichever of comma, semicolon and tab it has most of, outside quotes. */
function delimiterOf(content: string): string {
  const firstLine = content.split(/\r\n|\r|\n/, 1)[0].replace(/"[^"]*"/g, '');
  const counts = DELIMITERS.map((delimiter) => firstLine.split(delimiter).length - 1);
  return DELIMITERS[counts.indexOf(Math.max(...counts))];
}

/** Where each column is, when the first row is a row of headings that names at least the e-mail column. */
function headingColumns(first: string[]): Record<keyof ListedPerson, number> | null {
  const find = (key: keyof ListedPerson) => first.findIndex((cell) => HEADINGS[key].test(cell.toLowerCase()));
  const email = find('email');
  if (email < 0) return null;
  return { email, name: find('name'), profession: find('profession') };
}
