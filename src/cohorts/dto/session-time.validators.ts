import { ValidateBy, ValidationOptions } from 'class-validator';
import { DateTime } from 'luxon';
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

/** The last session of a weekly schedule must still start inside the booking window. */
export const IsBookableSeries = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isBookableSeries',
      validator: {
        validate: (value, args) => lastStartProblem(value, args?.object) === null,
        defaultMessage: (args) => lastStartProblem(args?.value, args?.object) ?? '',
      },
    },
    options,
  );

function lastStartProblem(count: unknown, schedule: unknown): string | null {
  const { firstStartsAt, intervalWeeks } = schedule as { firstStartsAt?: unknown; intervalWeeks?: unknown };
  const first = instant(firstStartsAt);
  if (!first || typeof count !== 'number' || typeof intervalWeeks !== 'number') return null;
  const last = DateTime.fromJSDate(first)
    .plus({ weeks: (count - 1) * intervalWeeks })
    .toJSDate();
  const problem = sessionStartProblem(last);
  return problem && `The last of ${count} sessions would start too late: ${problem.toLowerCase()}`;
}
