import type { FastifyRequest } from 'fastify';
import { DomainException } from 'src/common/domain.exception';
import { setFormState } from 'src/common/page-context';
import { FieldErrors, validateForm } from 'src/common/validation';

export interface PageRedirect {
  url: string;
  statusCode: 303;
}

export const redirectTo = (url: string): PageRedirect => ({ url, statusCode: 303 });

/** Goes back to a form, keeping what was typed and the reason for each refused field. */
export function backToForm(
  request: FastifyRequest,
  formUrl: string,
  errors: FieldErrors,
  values: Record<string, unknown>,
) {
  setFormState(request, { errors, values });
  return redirectTo(formUrl);
}

/**
 * Post/redirect/get for every form: validate against the DTO, apply, and redirect where `apply` says; on a refusal
 * (invalid field, or a rule the service refuses) go back to the form with the message beside `refusalField`.
 */
export async function submitForm<T extends object>(
  request: FastifyRequest,
  body: Record<string, unknown>,
  options: { formUrl: string; dto: new () => T; refusalField: string; apply: (value: T) => Promise<string> },
): Promise<PageRedirect> {
  const { value, errors } = await validateForm(options.dto, body);
  if (errors) return backToForm(request, options.formUrl, errors, body);
  try {
    return redirectTo(await options.apply(value));
  } catch (error) {
    if (!(error instanceof DomainException)) throw error;
    return backToForm(request, options.formUrl, { [options.refusalField]: [error.message] }, body);
  }
}
