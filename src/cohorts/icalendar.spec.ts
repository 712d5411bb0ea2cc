import ICAL from 'ical.js';
import { CalendarEvent, renderCalendar } from 'src/cohorts/icalendar';

const event = (summary: string): CalendarEvent => ({
  uid: 'session-1@fpm.example.org',
  sequence: 0,
  cancelled: false,
  startsAt: new Date('2027-03-02T18:00:00Z'),
  endsAt: new Date('2027-03-02T20:00:00Z'),
  updatedAt: new Date('2027-01-01T00:00:00Z'),
  summary,
  location: 'Room 4; Civic Centre, Merton',
  description: 'Family Partnership Model training.',
});

const parsedSummary = (ics: string) =>
  new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!.getFirstPropertyValue('summary');

describe(renderCalendar.name, () => {
  it('escapes a bare carriage return, CRLF and LF, so no line can be injected', () => {
    const ics = renderCalendar('Sessions', [event('One\rBEGIN:VEVENT\r\nTwo\nThree')]);
    expect(ics.split(/\r\n|\r|\n/).filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(ics).toContain('SUMMARY:One\\nBEGIN:VEVENT\\nTwo\\nThree');
    expect(parsedSummary(ics)).toBe('One\nBEGIN:VEVENT\nTwo\nThree');
  });

  it('escapes the Unicode line breaks too (NEL, line and paragraph separators), so none starts a line', () => {
    const ics = renderCalendar('Sessions', [event('One\u0085BEGIN:VEVENT\u2028Two\u2029Three')]);
    expect(ics.split(/\r\n|[\r\n\u0085\u2028\u2029]/).filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(
      1,
    );
    expect(ics).toContain('SUMMARY:One\\nBEGIN:VEVENT\\nTwo\\nThree');
    expect(parsedSummary(ics)).toBe('One\nBEGIN:VEVENT\nTwo\nThree');
  });

  it('keeps an injected event out of the location and the calendar name too', () => {
    const injection = 'x\r\nBEGIN:VEVENT\r\nSUMMARY:evil';
    const ics = renderCalendar(injection, [{ ...event('Session 1'), location: injection }]);
    const lines = ics.split(/\r\n|\r|\n/);
    expect(lines.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('SUMMARY:'))).toEqual(['SUMMARY:Session 1']);
    expect(ics).toContain('LOCATION:x\\nBEGIN:VEVENT\\nSUMMARY:evil');
    expect(ics).toContain('X-WR-CALNAME:x\\nBEGIN:VEVENT\\nSUMMARY:evil');
  });

  it('escapes backslashes, semicolons and commas and drops other control characters', () => {
    const ics = renderCalendar('Sessions', [event('a\\b;c,d\u0007e\u009Bf')]);
    expect(ics).toContain('SUMMARY:a\\\\b\\;c\\,def');
    expect(parsedSummary(ics)).toBe('a\\b;c,def');
  });

  it('folds long lines at 75 octets without splitting a character, and unfolds to the original', () => {
    const title = Array.from('Séance d’accueil — 家族パートナーシップ 👪 '.repeat(10)).slice(0, 300).join('');
    const ics = renderCalendar('Sessions', [event(title)]);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics).not.toContain('\uFFFD');
    expect(ics.replace(/\r\n /g, '').split('\r\n')).toContain(`SUMMARY:${title}`);
    expect(parsedSummary(ics)).toBe(title);
  });
});
