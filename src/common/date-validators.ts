import { ValidateBy, ValidationOptions } from 'class-validator';
import { isCalendarDate } from 'src/common/validators';

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
