import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { PROJECT_ROOT } from 'src/common/paths';

/** The e-mails the platform sends; each has `<name>.subject.hbs`, `<name>.text.hbs` and `<name>.html.hbs`. */
export const MAIL_TEMPLATES = [
  'invitation',
  'password-reset',
  'enrolment-confirmed',
  'enrolment-waitlisted',
  'enrolment-promoted',
  'enrolment-withdrawn',
  'logbook-entry-returned',
  'certificate-issued',
  'accreditation-expiring',
  'material-available',
  'cohort-cancelled',
  'session-reminder',
] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Compiled = {
  subject: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
};

// Line breaks (CR, LF, NEL, the Unicode separators) and other controls in a subject made from people's text (a cohort
// title, a name) could otherwise start a header of their own (`\r\nBcc: ...`); a subject is one line.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_ONE_LINE = /[\s\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;

/** Text as one header line: every run of spaces, line breaks and control characters becomes one space. */
export function headerText(text: string): string {
  return text.replace(NOT_ONE_LINE, ' ').trim();
}

export class MailTemplates {
  private readonly handlebars = Handlebars.create();
  private readonly layout: HandlebarsTemplateDelegate;
  private readonly compiled = new Map<MailTemplate, Compiled>();

  constructor(private readonly directory = join(PROJECT_ROOT, 'templates', 'email')) {
    this.layout = this.compile('layout.html.hbs');
    for (const name of MAIL_TEMPLATES) {
      this.compiled.set(name, {
        subject: this.compile(`${name}.subject.hbs`, { noEscape: true }),
        text: this.compile(`${name}.text.hbs`, { noEscape: true }),
        html: this.compile(`${name}.html.hbs`),
      });
    }
  }

  render(name: MailTemplate, context: Record<string, unknown>): RenderedMail {
    const template = this.compiled.get(name);
    if (!template) throw new Error(`Unknown mail template ${name}`);
    const subject = headerText(template.subject(context));
    return {
      subject,
      text: template.text(context),
      html: this.layout({ ...context, subject, body: template.html(context) }),
    };
  }

  private compile(file: string, options?: CompileOptions): HandlebarsTemplateDelegate {
    return this.handlebars.compile(readFileSync(join(this.directory, file), 'utf8'), {
      strict: true,
      ...options,
    });
  }
}
