import { IsDateAfter } from 'src/common/date-validators';
import { checkInput } from 'src/common/validation';
import { IsCalendarDate } from 'src/common/validators';

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
