import {
  ArgumentMetadata,
  BadRequestException,
  Injectable,
  PipeTransform,
  ValidationError,
} from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import type { FieldErrors } from 'src/common/field-errors';
import { characterErrors, isReservedName } from 'src/common/input-characters';
import { TEXT_INPUT } from 'src/common/validators';

export type { FieldErrors };

/** Flattens nested class-validator errors into `field.path -> messages`. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      const messages = Object.entries(error.constraints).map(([kind, message]) =>
        kind === 'whitelistValidation' ? `${path} is not a known property` : message,
      );
      result[path] = [...new Set(messages)];
    }
    Object.assign(result, fieldErrors(error.children ?? [], path));
  }
  return result;
}

export class ValidationFailedException extends BadRequestException {
  constructor(readonly errors: FieldErrors) {
    super({ message: 'Validation failed', errors });
  }
}

/** The fields a PATCH body really sent: a DTO instance has every declared field, the ones left out as undefined. */
export function providedFields<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as Partial<T>;
}

const validatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

type Dto<T> = new () => T;

const dtoClasses = new WeakMap<object, boolean>();
function isDto(metatype: unknown): metatype is Dto<object> {
  if (typeof metatype !== 'function') return false;
  let known = dtoClasses.get(metatype);
  if (known === undefined) {
    known = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false).length > 0;
    dtoClasses.set(metatype, known);
  }
  return known;
}

/**
 * Checks one input (a JSON body, a form, a query string) against a DTO: characters that cannot be stored, then
 * types and rules. `null` is a value like any other; text input may turn digits into numbers, JSON may not.
 */
export async function checkInput<T extends object>(
  dto: Dto<T>,
  input: unknown,
  source: 'json' | 'text',
): Promise<{ value: T; errors: FieldErrors | null }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { value: new dto(), errors: { body: ['Send the fields as a JSON object'] } };
  }
  const value = plainToInstance(dto, plainCopy(input), { groups: source === 'text' ? [TEXT_INPUT] : [] });
  // Some validators (e-mail addresses) throw on malformed text, so it is refused before they run.
  const unstorable = characterErrors(input);
  if (Object.keys(unstorable).length > 0) return { value, errors: unstorable };
  const errors = fieldErrors(await validate(value, validatorOptions));
  return { value, errors: Object.keys(errors).length > 0 ? errors : null };
}

/**
 * The global pipe. DTO-typed bodies and queries are validated in full; any other query or route parameter is
 * still checked for characters that cannot be stored. Untyped page-form bodies are left to validateForm, which
 * sends refusals back to the form.
 */
@Injectable()
export class InputValidationPipe implements PipeTransform {
  async transform(input: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return input;
    if (isDto(metadata.metatype)) {
      const source = metadata.type === 'body' ? 'json' : 'text';
      const { value, errors } = await checkInput(metadata.metatype, input, source);
      if (errors) throw new ValidationFailedException(errors);
      return value;
    }
    if (metadata.type !== 'body') {
      const errors = characterErrors(input, metadata.data ?? '');
      if (Object.keys(errors).length > 0) throw new ValidationFailedException(errors);
      return plainCopy(input);
    }
    return input;
  }
}

/** A uuid in any case; its `source` serves as a PostgreSQL regular expression too (`~*`). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The input as class-transformer may read it. Ids are compared as text (is this person the one acting?), so each
 * has one spelling: lower case. Keys named like parts of the object model are left out, as class-transformer throws
 * on them; characterErrors refuses them.
 */
function plainCopy(value: unknown): unknown {
  if (typeof value === 'string') return UUID.test(value) ? value.toLowerCase() : value;
  if (Array.isArray(value)) return value.map(plainCopy);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !isReservedName(key))
        .map(([key, item]) => [key, plainCopy(item)]),
    );
  return value;
}

/**
 * Validates an HTML form body against a DTO. Forms carry `_csrf` and submit buttons, which are not fields of the DTO,
 * so those are dropped before the strict check.
 */
export async function validateForm<T extends object>(
  dto: Dto<T>,
  body: unknown,
): Promise<{ value: T; errors: FieldErrors | null }> {
  const plain = { ...(typeof body === 'object' && body !== null ? body : {}) } as Record<string, unknown>;
  delete plain._csrf;
  delete plain.action;
  return checkInput(dto, plain, 'text');
}

/** The form's value as the DTO, or a ValidationFailedException that the page answers beside each field. */
export async function formValue<T extends object>(dto: Dto<T>, body: unknown): Promise<T> {
  const { value, errors } = await validateForm(dto, body);
  if (errors) throw new ValidationFailedException(errors);
  return value;
}
