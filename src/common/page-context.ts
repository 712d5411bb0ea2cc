import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FieldErrors } from 'src/common/field-errors';
import type { FlashMessage, FormState } from 'src/common/request-context';
import { hasRole } from 'src/common/request-context';
import { ROLE_LABELS } from 'src/common/role';

export interface NavItem {
  href: string;
  text: string;
  active: boolean;
}

/**
 * The CSRF token as a page sees it: made (and with it a session) only when a form on the page prints it, so that
 * reading a page without a form keeps nothing in Redis.
 */
class CsrfTokenOnDemand {
  constructor(private readonly request: FastifyRequest) {}

  toString(): string {
    return ensureCsrfToken(this.request);
  }
}

export function ensureCsrfToken(request: FastifyRequest): string {
  if (!request.session.data.csrfToken) {
    request.session.data.csrfToken = randomBytes(32).toString('base64url');
    request.session.changed = true;
  }
  return request.session.data.csrfToken;
}

export function setFlash(request: FastifyRequest, flash: FlashMessage): void {
  request.session.data.flash = flash;
  request.session.changed = true;
}

/** Keeps a refused form's values and errors for the page it redirects back to (passwords are never kept). */
export function setFormState(request: FastifyRequest, state: FormState): void {
  const values = Object.fromEntries(
    Object.entries(state.values).filter(([key]) => !/password|_csrf|token/i.test(key)),
  );
  request.session.data.form = { errors: state.errors, values };
  request.session.changed = true;
}

function navigationFor(request: FastifyRequest): NavItem[] {
  const user = request.user;
  if (!user) return [];
  const path = request.url.split('?')[0];
  const items: Array<[string, string]> = [['/', 'Dashboard']];
  if (hasRole(user, 'admin', 'training_lead')) items.push(['/cohorts', 'Cohorts']);
  if (hasRole(user, 'facilitator'))
    items.push(['/my/cohorts', 'My cohorts'], ['/logbook/review-queue', 'Reviews']);
  if (hasRole(user, 'trainee'))
    items.push(['/my/courses', 'My courses'], ['/find-a-course', 'Find a course']);
  if (hasRole(user, 'trainee', 'facilitator'))
    items.push(['/my/materials', 'My materials'], ['/my/certificates', 'Certificates']);
  if (hasRole(user, 'admin', 'training_lead'))
    items.push(
      ['/admin/users', 'Users'],
      ['/accreditations', 'Accreditations'],
      ['/materials', 'Materials'],
      ['/print-orders', 'Printed copies'],
      ['/reports/licences', 'Licence report'],
    );
  if (hasRole(user, 'admin', 'training_lead', 'commissioner')) items.push(['/reports/coverage', 'Coverage']);
  if (hasRole(user, 'admin')) {
    items.push(['/admin/organisations', 'Organisations'], ['/admin/areas', 'Areas']);
    items.push(
      ['/admin/audit', 'Audit log'],
      ['/admin/mail', 'E-mail'],
      ['/admin/sign-in-locks', 'Sign-in locks'],
      ['/admin/retention', 'Retention'],
    );
  }
  return items.map(([href, text]) => ({
    href,
    text,
    active: href === '/' ? path === '/' : path.startsWith(href),
  }));
}

/** What every page's layout needs: who is signed in, the CSRF token, navigation, and one-time messages. */
export function pageContext(request: FastifyRequest): Record<string, unknown> {
  const { flash, form } = request.session.data;
  if (flash || form) {
    delete request.session.data.flash;
    delete request.session.data.form;
    request.session.changed = true;
  }
  const errors = form?.errors ?? {};
  return {
    currentUser: request.user && {
      ...request.user,
      roleLabels: request.user.roles.map((role) => ROLE_LABELS[role]),
    },
    csrfToken: new CsrfTokenOnDemand(request),
    navigation: navigationFor(request),
    flash,
    ...errorSummary(errors),
    values: form?.values ?? {},
  };
}

/** A page's errors beside their fields, and the summary at its top linking to each. */
export function errorSummary(errors: FieldErrors): {
  errors: FieldErrors;
  errorList: Array<{ href: string; text: string }>;
} {
  return {
    errors,
    errorList: Object.entries(errors).map(([field, messages]) => ({ href: `#${field}`, text: messages[0] })),
  };
}

/** What the person typed into the form they are sent back to, to show again. */
export function submittedValues(request: FastifyRequest): Record<string, unknown> {
  return request.session.data.form?.values ?? {};
}

/** Keeps what the page at `path` shows after the redirect (a preview, a result), in place of any earlier one. */
export function setPageResult(request: FastifyRequest, path: string, value: unknown): void {
  request.session.data.pageResult = { path, value };
  request.session.changed = true;
}

/** What was kept for this page, until another post replaces it; another page's is not this page's. */
export function pageResult<T>(request: FastifyRequest, path: string): T | undefined {
  const kept = request.session.data.pageResult;
  return kept?.path === path ? (kept.value as T) : undefined;
}
