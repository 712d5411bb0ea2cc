import type { FastifyRequest } from 'fastify';
import { setFormState } from 'src/common/page-context';
import { Refusal, RefusalCode } from 'src/common/refusal';
import { FieldErrors, ValidationFailedException } from 'src/common/validation';

export interface PageRedirect {
  url: string;
  statusCode: 303;
}

export const redirectTo = (url: string): PageRedirect => ({ url, statusCode: 303 });

export interface PageForm {
  /** Where the form is, to go back to. */
  url: string;
  /** What was typed, shown again in the form. */
  values: Record<string, unknown>;
  /**
   * The form's fields in page order, so that the error summary reads like the form. A refusal about no field of
   * this form is shown beside the first.
   */
  fields: readonly string[];
  /** The form's names for inputs the service names otherwise (`startsAt` is the form's `date`). */
  toFormFields?: (errors: FieldErrors) => FieldErrors;
}

// Refusals of who is asking or of what does not exist are pages (sign in, forbidden, not found); every other
// refusal is about what was sent, and the person can put it right in the form.
const ANSWERED_BY_A_PAGE = new Set<RefusalCode>([
  'SIGN_IN_REQUIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'FORM_EXPIRED',
]);

/**
 * Post/redirect/get for every form: `apply` does the work and says where to go next. A refused input or rule goes
 * back to the form, with the error summary, each message beside its field and the typed values kept; any other
 * refusal goes on to the exception filter, which shows the sign-in, forbidden or not-found page.
 */
export async function answerForm(
  request: FastifyRequest,
  form: PageForm,
  apply: () => Promise<string>,
): Promise<PageRedirect> {
  try {
    return redirectTo(await apply());
  } catch (error) {
    const errors = formErrors(error, form);
    if (!errors) throw error;
    setFormState(request, { errors, values: form.values });
    return redirectTo(form.url);
  }
}

/** The refusal as messages beside the form's fields, or null when it is not one the form can show. */
export function formErrors(
  error: unknown,
  form: Pick<PageForm, 'fields' | 'toFormFields'>,
): FieldErrors | null {
  let errors: FieldErrors;
  if (error instanceof ValidationFailedException) errors = error.errors;
  else if (error instanceof Refusal && !ANSWERED_BY_A_PAGE.has(error.code))
    errors = { [error.field ?? form.fields[0]]: [error.message] };
  else return null;
  const named = form.toFormFields ? form.toFormFields(errors) : errors;
  const onForm: FieldErrors = {};
  for (const [field, messages] of Object.entries(named)) {
    const beside = form.fields.includes(field) ? field : form.fields[0];
    onForm[beside] = [...new Set([...(onForm[beside] ?? []), ...messages])];
  }
  const rank = (field: string) => form.fields.indexOf(field);
  return Object.fromEntries(Object.entries(onForm).sort(([a], [b]) => rank(a) - rank(b)));
}
