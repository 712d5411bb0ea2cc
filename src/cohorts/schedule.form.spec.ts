import { readSchedule, readSessionTimes, scheduleErrorsFromDto } from 'src/cohorts/schedule.form';

describe(readSchedule.name, () => {
  const weekly = {
    scheduleMode: 'weekly',
    firstDate: '2027-03-02',
    startTime: '18:00',
    durationMinutes: '120',
    intervalWeeks: '1',
  };

  it('reads a weekly series in London time, a blank count taking the course’s usual number', () => {
    expect(readSchedule({ ...weekly, count: '' }, 10)).toEqual({
      mode: 'weekly',
      input: {
        schedule: {
          firstStartsAt: '2027-03-02T18:00:00+00:00',
          durationMinutes: '120',
          count: '10',
          intervalWeeks: '1',
        },
      },
      errors: {},
    });
    // Summer time: 18:00 in London is 17:00 UTC.
    expect(
      readSchedule({ ...weekly, firstDate: '2027-06-01', count: '3' }).input.schedule?.firstStartsAt,
    ).toBe('2027-06-01T18:00:00+01:00');
  });

  it('refuses a time the clocks skip, and checks the numbers even without a valid start', () => {
    expect(
      readSchedule({ ...weekly, firstDate: '2027-03-28', startTime: '01:30', count: '3' }).errors
        .startTime?.[0],
    ).toMatch(/does not exist in London/);
    const { errors } = readSchedule({
      ...weekly,
      firstDate: 'next tuesday',
      durationMinutes: '5',
      count: '99',
    });
    expect(Object.keys(errors)).toEqual(['firstDate', 'durationMinutes', 'count']);
  });

  it('reads one session per line, naming the line of each problem', () => {
    const ok = readSchedule({
      scheduleMode: 'list',
      sessionLines: '2027-03-02 18:00-20:00 Welcome\n\n2027-03-09 18:00–20:00',
    });
    expect(ok.input.sessions).toEqual([
      { startsAt: '2027-03-02T18:00:00+00:00', endsAt: '2027-03-02T20:00:00+00:00', title: 'Welcome' },
      { startsAt: '2027-03-09T18:00:00+00:00', endsAt: '2027-03-09T20:00:00+00:00' },
    ]);
    const bad = readSchedule({ scheduleMode: 'list', sessionLines: '2027-03-02 20:00-18:00\nsoon' });
    expect(bad.errors.sessionLines).toEqual([
      'Line 1: the session must end after it starts',
      expect.stringMatching(/^Line 2: “soon” is not a session/),
    ]);
    expect(readSchedule({}).errors).toEqual({ scheduleMode: ['Choose how to enter the sessions'] });
  });
});

describe(scheduleErrorsFromDto.name, () => {
  it('shows the API’s nested keys beside the builder’s fields, saying which session', () => {
    expect(
      scheduleErrorsFromDto(
        { 'schedule.firstStartsAt': ['Too far ahead'], 'sessions.1.title': ['Too long'] },
        'list',
      ),
    ).toEqual({ firstDate: ['Too far ahead'], sessionLines: ['Session 2: Too long'] });
  });
});

describe(readSessionTimes.name, () => {
  it('reads a date and two times, or says which field is wrong', () => {
    expect(readSessionTimes({ date: '2027-03-02', startTime: '9:30', endTime: '11:00' })).toEqual({
      startsAt: '2027-03-02T09:30:00+00:00',
      endsAt: '2027-03-02T11:00:00+00:00',
      errors: {},
    });
    expect(readSessionTimes({ date: '2027-03-02', startTime: '11:00', endTime: '09:00' }).errors).toEqual({
      endTime: ['The session must end after it starts'],
    });
  });
});
