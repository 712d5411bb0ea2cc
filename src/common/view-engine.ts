import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { PROJECT_ROOT } from 'src/common/paths';

export const VIEWS_DIR = join(PROJECT_ROOT, 'views');

const LONDON_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A Handlebars instance with every partial under views/partials and the helpers our views use. */
export function createHandlebars(): typeof Handlebars {
  const handlebars = Handlebars.create();
  const partialsDir = join(VIEWS_DIR, 'partials');
  for (const file of readdirSync(partialsDir, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.hbs')) continue;
    const name = relative(partialsDir, join(partialsDir, file)).replace(/\.hbs$/, '');
    handlebars.registerPartial(name, readFileSync(join(partialsDir, file), 'utf8'));
  }
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  handlebars.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  handlebars.registerHelper(
    'fieldError',
    (errors: Record<string, string[]> | undefined, field: string) => errors?.[field]?.[0],
  );
  handlebars.registerHelper('dateTime', (value: unknown) =>
    value instanceof Date || typeof value === 'string' ? LONDON_DATE_TIME.format(new Date(value)) : '',
  );
  handlebars.registerHelper('isoDateTime', (value: unknown) =>
    value instanceof Date || typeof value === 'string' ? new Date(value).toISOString() : '',
  );
  return handlebars;
}
