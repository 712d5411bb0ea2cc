import { ValidateBy, ValidationOptions } from 'class-validator';
import { sessionLengthProblem, sessionStartProblem } from 'src/cohorts/schedule';
import { isRfc3339DateTime } from 'src/common/validators';

const instant = (value: unknown) => (isRfc3339DateTime(value) ? new Date(value) : null);

/** A session start inside the booking window (2 years back, 5 years ahead). */
export const IsBookableStart = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isBookableStart',
      validator: {
        validate: (value) => {
          const at = instant(value);
          return !at || sessionStartProblem(at) === null;
        },
        defaultMessage: (args) => sessionStartProblem(instant(args?.value)!) ?? '',
      },
    },
    options,
  );

/** A session end after its start (a sibling `startsAt`, when given) and at most 12 hours later. */
export const IsBookableEnd = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isBookableEnd',
      validator: {
        validate: (value, args) => {
          const startsAt = instant((args?.object as { startsAt?: unknown }).startsAt);
          const endsAt = instant(value);
          return !startsAt || !endsAt || sessionLengthProblem({ startsAt, endsAt }) === null;
        },
        defaultMessage: (args) =>
          sessionLengthProblem({
            startsAt: instant((args?.object as { startsAt?: unknown }).startsAt)!,
            endsAt: instant(args?.value)!,
          }) ?? '',
      },
    },
    options,
  );
