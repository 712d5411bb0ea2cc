/* eslint-disable no-restricted-imports -- the one place that wraps the decorators the rest of the code may not use */
import { applyDecorators, Type as Class } from '@nestjs/common';
import { PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsOptional, ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { DateTime } from 'luxon';
import { londonToday } from 'src/common/london-date';

/**
 * The class-transformer group of input that arrives as text (HTML forms, query strings): only there may "7" stand
 * for 7. A JSON body says what type it means.
 */
export const TEXT_INPUT = 'text-input';

/**
 * The field may be left out; `null` is a value like any other and is validated (and refused) as such, so that a
 * column the database requires never receives one.
 */
export const Omittable = () => ValidateIf((_object, value) => value !== undefined);

/** The field may be left out or be `null`, which clears it; for columns that allow NULL. */
export const Nullable = () => IsOptional();

/** Every field of a DTO becomes Omittable (an update's body): left out means unchanged, `null` is still checked. */
export const OmittableFields = <T>(dto: Class<T>) => PartialType(dto, { skipNullProperties: false });

/** The class a nested object or array item is validated as. */
export const NestedType = (dto: () => Class<unknown>) => Type(dto);

/** Surrounding spaces are dropped, so that a value of only spaces counts as empty. */
export const Trimmed = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** A lower-cased, trimmed e-mail address. */
export const NormalisedEmail = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  );

/** A transformation of text input only (forms, query strings); JSON values are taken as sent. */
const FromText = (transform: (value: unknown) => unknown) =>
  Transform(({ value, options }) =>
    options.groups?.includes(TEXT_INPUT) ? transform(value) : (value as unknown),
  );

/** An empty form field means "none" and becomes `null`. Use with Nullable(). */
export const EmptyAsNull = () =>
  FromText((value) => (typeof value === 'string' && value.trim() === '' ? null : value));

/** HTML forms send one ticked checkbox as a string and several as an array; '' means none ticked. */
export const ListFromForm = () =>
  FromText((value) => (typeof value === 'string' ? (value === '' ? [] : [value]) : value));

/** Digits typed into a form or query string become a number; JSON must send a number. */
export const NumberFromText = () =>
  FromText((value) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value));

/** Text on one line: names, titles, venues. Line breaks and tabs belong only in free text. */
export function IsSingleLine(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSingleLine',
      validator: {
        validate: (value) => typeof value !== 'string' || !/[\t\n\r\u2028\u2029]/.test(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'the value'} must be on one line, without line breaks or tabs`,
      },
    },
    options,
  );
}

const RFC3339_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/**
 * An RFC 3339 date and time with an offset, like 2026-10-20T18:00:00+01:00. ISO 8601's other forms (week and
 * ordinal dates, times without an offset, which would have to be guessed as UTC) are refused.
 */
export function isRfc3339DateTime(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    RFC3339_DATE_TIME.test(value) &&
    DateTime.fromISO(value.toUpperCase(), { setZone: true }).isValid
  );
}

export function isCalendarDate(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    DateTime.fromISO(value, { zone: 'utc' }).isValid
  );
}

export const IsRfc3339DateTime = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isRfc3339DateTime',
      validator: {
        validate: isRfc3339DateTime,
        defaultMessage: (args) =>
          `Enter ${args?.property ?? 'the value'} as a date and time with an offset, like 2026-10-20T18:00:00+01:00`,
      },
    },
    options,
  );

/** A calendar date, YYYY-MM-DD, that exists (no 30 February). */
export const IsCalendarDate = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: isCalendarDate,
        defaultMessage: (args) =>
          `Enter ${args?.property ?? 'the value'} as a date, YYYY-MM-DD, like 2026-10-20`,
      },
    },
    options,
  );

/** A calendar date of something that has happened: today in the UK at the latest. */
export const IsNotInFuture = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isNotInFuture',
      validator: {
        validate: (value) => !isCalendarDate(value) || value <= londonToday(),
        defaultMessage: (args) => `${args?.property ?? 'The date'} must be today or earlier`,
      },
    },
    options,
  );

/**
 * A calendar date later than another date of the same input, such as an expiry after its grant. Either date being
 * malformed is left to that field's own message.
 */
export const IsDateAfter = (earlierProperty: string, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isDateAfter',
      constraints: [earlierProperty],
      validator: {
        validate: (value, args) => {
          const earlier = (args?.object as Record<string, unknown> | undefined)?.[earlierProperty];
          return !isCalendarDate(value) || !isCalendarDate(earlier) || value > earlier;
        },
        defaultMessage: (args) => `${args?.property ?? 'The date'} must be after ${earlierProperty}`,
      },
    },
    options,
  );

/** A date given as a day, or as a moment with an offset: for "from" and "to" filters. */
export const IsDateOrDateTime = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isDateOrDateTime',
      validator: {
        validate: (value) => isCalendarDate(value) || isRfc3339DateTime(value),
        defaultMessage: (args) =>
          `Enter ${args?.property ?? 'the value'} as a date (2026-10-20) or a date and time with an offset (2026-10-20T18:00:00+01:00)`,
      },
    },
    options,
  );

/** Decorators shared by every single-line text field: required, trimmed, one line, bounded. */
export const SingleLineText = (maxLength: number, messages: { empty: string; tooLong: string }) =>
  applyDecorators(
    Trimmed(),
    ValidateBy({
      name: 'isNotBlank',
      validator: {
        validate: (value) => typeof value === 'string' && value.length > 0,
        defaultMessage: () => messages.empty,
      },
    }),
    IsSingleLine(),
    ValidateBy({
      name: 'maxLength',
      validator: {
        validate: (value) => typeof value !== 'string' || value.length <= maxLength,
        defaultMessage: () => messages.tooLong,
      },
    }),
  );
