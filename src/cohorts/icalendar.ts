import { DateTime } from 'luxon';
import { LONDON } from 'src/cohorts/schedule';

export interface CalendarEvent {
  uid: string;
  sequence: number;
  cancelled: boolean;
  startsAt: Date;
  endsAt: Date;
  updatedAt: Date;
  summary: string;
  location: string | null;
  description: string;
  url?: string;
}

// Europe/London as RFC 5545 VTIMEZONE: the rules in force since 1996 (last Sunday of March and of October).
const LONDON_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/London',
  'X-LIC-LOCATION:Europe/London',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0100',
  'TZNAME:BST',
  'DTSTART:19700329T010000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0000',
  'TZNAME:GMT',
  'DTSTART:19701025T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/**
 * TEXT as RFC 5545 section 3.3.11 has it. Every line break a client might split on (CRLF, a bare CR or LF, and
 * Unicode's NEL, line and paragraph separators) becomes \n, so no text of ours can start a property of its own;
 * other control characters (C0, DEL and C1) are dropped.
 */
const escapeText = (value: string) =>
  value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, '\\n')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');

const utcStamp = (at: Date) => DateTime.fromJSDate(at, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss'Z'");
const londonStamp = (at: Date) => DateTime.fromJSDate(at, { zone: LONDON }).toFormat("yyyyMMdd'T'HHmmss");

/** Lines longer than 75 octets are folded with CRLF and a space (RFC 5545 section 3.1), never inside a character. */
function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/**
 * A calendar Outlook (NHSmail) and Google can subscribe to: stable UIDs per session, a SEQUENCE that rises when a
 * session moves, and cancelled sessions kept as STATUS:CANCELLED so the existing event is removed, not duplicated.
 */
export function renderCalendar(name: string, events: CalendarEvent[], now = new Date()): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//FPM Training Platform//Sessions//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    'X-WR-TIMEZONE:Europe/London',
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
    ...LONDON_VTIMEZONE,
  ];
  for (const event of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${event.uid}`,
      `DTSTAMP:${utcStamp(now)}`,
      `LAST-MODIFIED:${utcStamp(event.updatedAt)}`,
      `DTSTART;TZID=Europe/London:${londonStamp(event.startsAt)}`,
      `DTEND;TZID=Europe/London:${londonStamp(event.endsAt)}`,
      `SEQUENCE:${event.sequence}`,
      `STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
      `SUMMARY:${escapeText(event.cancelled ? `Cancelled: ${event.summary}` : event.summary)}`,
      ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
      `DESCRIPTION:${escapeText(event.description)}`,
      ...(event.url ? [`URL:${event.url}`] : []),
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
