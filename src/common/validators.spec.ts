import { IsInt } from 'class-validator';
import { checkInput } from 'src/common/validation';
import {
  IsCalendarDate,
  IsDateAfter,
  isCalendarDate,
  isRfc3339DateTime,
  Nullable,
  NumberFromText,
  Omittable,
  SingleLineText,
} from 'src/common/validators';

describe(isRfc3339DateTime.name, () => {
  it.each(['2026-10-20T18:00:00+01:00', '2026-10-20T17:00:00Z', '2026-10-20t17:00:00.123456z'])(
    'accepts %s',
    (value) => expect(isRfc3339DateTime(value)).toBe(true),
  );

  it.each([
    ['a week date', '2031-W43-2T18:00:00Z'],
    ['an ordinal date', '2031-296T18:00:00Z'],
    ['a time without an offset', '2031-10-21T18:00:00'],
    ['a date alone', '2031-10-21'],
    ['a day that does not exist', '2031-02-30T18:00:00Z'],
    ['an hour that does not exist', '2031-10-21T24:30:00Z'],
    ['an offset beyond 23 hours', '2031-10-21T18:00:00+24:00'],
    ['a number', 1_700_000_000_000],
  ])('refuses %s', (_name, value) => expect(isRfc3339DateTime(value)).toBe(false));
});

describe(isCalendarDate.name, () => {
  it('accepts a real day and refuses week dates, times and impossible days', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2031-W43-2')).toBe(false);
    expect(isCalendarDate('2031-10-21T00:00:00Z')).toBe(false);
  });
});

class Example {
  @SingleLineText(20, { empty: 'Enter a title', tooLong: 'Title must be 20 characters or fewer' })
  title: string;

  @Omittable()
  @NumberFromText()
  @IsInt({ message: 'Enter the capacity as a whole number' })
  capacity?: number;

  @Nullable()
  @SingleLineText(20, { empty: 'Enter a venue, or leave it out', tooLong: 'Venue is too long' })
  venue?: string | null;
}

describe(checkInput.name, () => {
  it('refuses null for a field that may be left out, and accepts it where it clears', async () => {
    const { errors } = await checkInput(Example, { title: 'A', capacity: null, venue: null }, 'json');
    expect(errors).toEqual({ capacity: ['Enter the capacity as a whole number'] });
  });

  it('takes "7" as a number from a form but not from JSON, and never true', async () => {
    expect((await checkInput(Example, { title: 'A', capacity: '7' }, 'text')).value.capacity).toBe(7);
    expect((await checkInput(Example, { title: 'A', capacity: '7' }, 'json')).errors).toHaveProperty(
      'capacity',
    );
    expect((await checkInput(Example, { title: 'A', capacity: true }, 'json')).errors).toHaveProperty(
      'capacity',
    );
    expect((await checkInput(Example, { title: 'A', capacity: '' }, 'text')).errors).toHaveProperty(
      'capacity',
    );
  });

  it('refuses a title of spaces or on two lines, and a blank venue', async () => {
    const { errors } = await checkInput(Example, { title: '   ', venue: ' ' }, 'json');
    expect(errors).toEqual({ title: ['Enter a title'], venue: ['Enter a venue, or leave it out'] });
    expect((await checkInput(Example, { title: 'A\nB' }, 'json')).errors?.title?.[0]).toMatch(/one line/);
  });

  it('refuses a body that is not an object', async () => {
    for (const body of [null, [], 'text', 7])
      expect((await checkInput(Example, body, 'json')).errors).toEqual({ body: [expect.any(String)] });
  });

  it('refuses characters that cannot be stored before any validator sees them', async () => {
    const { errors } = await checkInput(Example, { title: 'x\ud800' }, 'json');
    expect(errors).toEqual({ title: [expect.stringMatching(/surrogate/)] });
  });
});

class Period {
  @IsCalendarDate()
  startsOn: string;

  @IsDateAfter('startsOn', { message: 'The end must be after the start' })
  @IsCalendarDate()
  endsOn: string;
}

describe(IsDateAfter.name, () => {
  it('accepts a later date and refuses the same day or an earlier one, naming the later field', async () => {
    expect(
      (await checkInput(Period, { startsOn: '2025-01-10', endsOn: '2025-01-11' }, 'json')).errors,
    ).toBeNull();
    for (const endsOn of ['2025-01-10', '2024-12-31']) {
      const { errors } = await checkInput(Period, { startsOn: '2025-01-10', endsOn }, 'json');
      expect(errors).toEqual({ endsOn: ['The end must be after the start'] });
    }
  });

  it('leaves a malformed date to its own field message', async () => {
    const { errors } = await checkInput(Period, { startsOn: '10/01/2025', endsOn: '2024-01-01' }, 'json');
    expect(Object.keys(errors ?? {})).toEqual(['startsOn']);
  });
});
