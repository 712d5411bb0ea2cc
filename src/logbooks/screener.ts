import { findNumbers } from 'libphonenumber-js';
import { isValid as isPostcode, match as matchPostcodes, validOutcode } from 'postcode';
import { FIRST_NAMES } from 'src/logbooks/first-names';

/**
 * Finds what would identify a family in a logbook entry, before it is submitted. Reflections have been used as
 * evidence in court, so identifiers are refused rather than trusted to memory; likely names are only warnings,
 * as "Mum" or "the baby" are how trainees are taught to write.
 */
export const REFUSED_KINDS = [
  'nhs_number',
  'email',
  'phone',
  'postcode',
  'date_of_birth',
  'address',
] as const;
export type RefusedKind = (typeof REFUSED_KINDS)[number];
export type FindingKind = RefusedKind | 'name';

export interface Finding {
  kind: FindingKind;
  /** The text found, exactly as written. */
  text: string;
  start: number;
  end: number;
  /** A refusal stops submission; a warning asks the trainee to confirm. */
  severity: 'refusal' | 'warning';
  /** How to write it instead. */
  advice: string;
}

const ADVICE: Record<FindingKind, string> = {
  nhs_number: 'Remove the NHS number: nobody reading a reflection needs it.',
  email: 'Remove the e-mail address.',
  phone: 'Remove the phone number.',
  postcode: 'Remove the postcode; if the place matters, say "a town estate" or "a rural village".',
  date_of_birth: 'Give an age instead of a date of birth ("a baby of 4 months").',
  address: 'Remove the address; say "the family home" instead.',
  name: 'Is this someone’s name? Use initials or a role instead ("the mother", "Child A").',
};

// Digits that are not part of a longer number or code on either side.
const NHS_NUMBER = /(?<![\d-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d]|-\d)/g;
const EMAIL = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const DATE = `(?:\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\.?,?\\s+\\d{2,4}|${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})`;
// A date shortly after words that say it is a birth date; up to a few short words between ("DOB as", "born on").
const DATE_OF_BIRTH = new RegExp(
  `\\b(?:d\\.?\\s?o\\.?\\s?b\\b\\.?|date\\s+of\\s+birth|birth\\s*date|born(?:\\s+on)?)(?:[^\\d.!?]{0,25}?)(${DATE})`,
  'gi',
);
const STREET_WORDS =
  'Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Court|Ct|Crescent|Cres|Place|Pl|Gardens|Gdns|Grove|Terrace|Hill|Park|Square|Sq|Mews|Walk|Row|Parade|View|Rise|Green|Vale|Fields|Paddocks|Meadows|Wharf|Yard|Gate|Heights|Estate|[A-Z][a-z]+(?:way|gate)';
const ADDRESS = new RegExp(
  `(?<![\\d£$.,:/-])\\b\\d{1,4}[A-Za-z]?,?\\s+(?:The\\s+)?(?:[A-Z][A-Za-z']+\\s+){0,3}(?:${STREET_WORDS})\\b`,
  'g',
);
const OUTCODE_CONTEXT =
  /\b(?:near|in|from|around|postcode|area|estate|live|lives|living|moved to)\s+([A-Z]{1,2}\d[A-Z\d]?)\b/g;
const RELATIVES = [
  'mum',
  'mummy',
  'mother',
  'dad',
  'daddy',
  'father',
  'baby',
  'son',
  'daughter',
  'brother',
  'sister',
  'nan',
  'nana',
  'nanny',
  'gran',
  'grandma',
  'grandad',
  'grandpa',
  'grandmother',
  'grandfather',
  'aunt',
  'auntie',
  'uncle',
  'cousin',
  'nephew',
  'niece',
  'partner',
  'boyfriend',
  'girlfriend',
  'husband',
  'wife',
  'stepdad',
  'stepmum',
  'carer',
  'friend',
  'neighbour',
  'boy',
  'girl',
  'child',
  'toddler',
  'twin',
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
];
// The relationship word in either case ("Mum", "mum"); the name after it capitalised.
const RELATIONSHIP = new RegExp(
  `\\b(?:${RELATIVES.map((word) => `[${word[0].toUpperCase()}${word[0]}]${word.slice(1)}`).join('|')})\\b\\.?,?\\s*\\(?([A-Z][a-z'-]+)`,
  'g',
);
// Leniency is a documented option of libphonenumber-js that its type declarations leave out.
const PHONE_SEARCH = { defaultCountry: 'GB' as const, v2: true as const, leniency: 'POSSIBLE' };
const CAPITALISED = /\b[A-Z][a-z'-]+\b/g;
const NOT_NAMES = new Set([
  'The',
  'She',
  'He',
  'They',
  'We',
  'It',
  'His',
  'Her',
  'Their',
  'And',
  'But',
  'Group',
]);

/** Every identifier and likely name in the text, in order of where it starts, without overlaps of one kind. */
export function screen(text: string): Finding[] {
  const findings = [
    ...nhsNumbers(text),
    ...emails(text),
    ...phones(text),
    ...postcodes(text),
    ...datesOfBirth(text),
    ...addresses(text),
    ...names(text),
  ];
  return withoutOverlaps(findings).sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Screens each field of an entry; the field is named in each finding. */
export function screenFields(
  fields: Record<string, string | null | undefined>,
): Array<Finding & { field: string }> {
  return Object.entries(fields).flatMap(([field, text]) =>
    text ? screen(text).map((finding) => ({ ...finding, field })) : [],
  );
}

export const isRefusal = (finding: Finding) => finding.severity === 'refusal';

function found(kind: FindingKind, text: string, start: number, end = start + text.length): Finding {
  return { kind, text, start, end, severity: kind === 'name' ? 'warning' : 'refusal', advice: ADVICE[kind] };
}

/** NHS numbers carry a modulus 11 check digit, which tells them from other ten-digit numbers. */
export function isNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  const sum = [...digits.slice(0, 9)].reduce((total, digit, i) => total + Number(digit) * (10 - i), 0);
  const check = 11 - (sum % 11);
  return check !== 10 && (check === 11 ? 0 : check) === Number(digits[9]);
}

function nhsNumbers(text: string): Finding[] {
  return [...text.matchAll(NHS_NUMBER)]
    .filter((m) => isNhsNumber(m[1] + m[3] + m[4]))
    .map((m) => found('nhs_number', m[0], m.index));
}

function emails(text: string): Finding[] {
  return [...text.matchAll(EMAIL)].map((m) => found('email', m[0], m.index));
}

/**
 * UK phone numbers as libphonenumber reads them, kept when written the way a UK number is (a 0 or +44 first)
 * and of a geographic or mobile range; numbers in Ofcom's ranges kept for drama count, as they look real.
 */
function phones(text: string): Finding[] {
  return findNumbers(text, PHONE_SEARCH)
    .filter(({ number, startsAt, endsAt }) => {
      const raw = text.slice(startsAt, endsAt);
      return (
        number.countryCallingCode === '44' &&
        /^(?:\+\s?44|0044|\(?0)/.test(raw) &&
        /^[1237]\d{8,9}$/.test(number.nationalNumber)
      );
    })
    .map(({ startsAt, endsAt }) => found('phone', text.slice(startsAt, endsAt), startsAt, endsAt));
}

/** Full postcodes anywhere; an outward code alone ("CR4") only where it reads as where someone lives. */
function postcodes(text: string): Finding[] {
  const full: Finding[] = [];
  let from = 0;
  for (const candidate of matchPostcodes(text)) {
    const start = text.indexOf(candidate, from);
    from = start + candidate.length;
    if (isPostcode(candidate)) full.push(found('postcode', candidate, start));
  }
  const outward = [...text.matchAll(OUTCODE_CONTEXT)]
    .filter((m) => validOutcode(m[1]))
    .map((m) => found('postcode', m[1], m.index + m[0].length - m[1].length));
  return [...full, ...outward];
}

function datesOfBirth(text: string): Finding[] {
  return [...text.matchAll(DATE_OF_BIRTH)].map((m) =>
    found('date_of_birth', m[1], m.index + m[0].length - m[1].length),
  );
}

function addresses(text: string): Finding[] {
  return [...text.matchAll(ADDRESS)].map((m) => found('address', m[0], m.index));
}

/** A capitalised word after a word for a relative or a title, or a first name from the list. */
function names(text: string): Finding[] {
  const afterRelationship = [...text.matchAll(RELATIONSHIP)]
    .filter((m) => !NOT_NAMES.has(m[1]))
    .map((m) => found('name', m[1], m.index + m[0].length - m[1].length));
  const listed = [...text.matchAll(CAPITALISED)]
    .filter((m) => FIRST_NAMES.has(m[0].split('-')[0]))
    .map((m) => found('name', m[0], m.index));
  return [...afterRelationship, ...listed];
}

/** Where two findings overlap, the refusal wins over the warning and the longer over the shorter. */
function withoutOverlaps(findings: Finding[]): Finding[] {
  const ranked = [...findings].sort(
    (a, b) =>
      Number(isRefusal(b)) - Number(isRefusal(a)) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Finding[] = [];
  for (const finding of ranked) {
    if (!kept.some((other) => other.start < finding.end && finding.start < other.end)) kept.push(finding);
  }
  return kept;
}
