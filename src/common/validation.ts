import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

export type FieldErrors = Record<string, string[]>;

/** Flattens nested class-validator errors into `field.path -> messages`. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      result[path] = Object.entries(error.constraints).map(([kind, message]) =>
        kind === 'whitelistValidation' ? `${path} is not a known property` : message,
      );
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

const validatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...validatorOptions,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedException(fieldErrors(errors)),
  });
}

/**
 * Validates an HTML form body against a DTO. Forms carry `_csrf` and submit buttons, which are not fields of the DTO,
 * so those are dropped before the strict check.
 */
export async function validateForm<T extends object>(
  dto: new () => T,
  body: unknown,
): Promise<{ value: T; errors: FieldErrors | null }> {
  const plain = { ...(typeof body === 'object' && body !== null ? body : {}) } as Record<string, unknown>;
  delete plain._csrf;
  delete plain.action;
  const value = plainToInstance(dto, plain);
  const errors = await validate(value, validatorOptions);
  return { value, errors: errors.length > 0 ? fieldErrors(errors) : null };
}
