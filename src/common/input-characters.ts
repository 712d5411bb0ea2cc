import type { FieldErrors } from 'src/common/field-errors';

/** JSON bodies nest no deeper than this; deeper ones are refused before they are parsed, let alone validated. */
export const MAX_JSON_DEPTH = 32;

// C0 controls but tab and line breaks, DEL and C1 controls: never typed by a person, and NUL breaks PostgreSQL.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// Bidirectional embeddings, overrides and isolates make text read differently from how it is stored.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
// Half of a surrogate pair without the other half is not text; PostgreSQL and SMTP refuse it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Names JavaScript gives a meaning: class-transformer copies a nested object by calling its `constructor`, so a
// `{"constructor": "x"}` inside a body threw before validation could refuse it. No field is named so.
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
export const isReservedName = (key: string) => RESERVED_NAMES.has(key);

/** Why a piece of text cannot be stored as it is, or null when it can. */
export function characterProblem(text: string): string | null {
  const control = CONTROL_CHARACTER.exec(text);
  if (control) return `must not contain the control character ${codePoint(control[0])}`;
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone UTF-16 surrogate';
  const bidi = BIDI_CONTROL.exec(text);
  if (bidi) return `must not contain the text-direction control character ${codePoint(bidi[0])}`;
  return null;
}

/**
 * Finds every string, key or value, in a parsed body or query that cannot be stored, and every key named like a
 * part of JavaScript's object model; one message per field.
 */
export function characterErrors(input: unknown, root = ''): FieldErrors {
  const errors: FieldErrors = {};
  const pending: Array<[unknown, string]> = [[input, root]];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      const problem = characterProblem(value);
      if (problem) errors[path || 'body'] = [`${path || 'The value'} ${problem}`];
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push([item, path ? `${path}.${index}` : String(index)]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const keyPath = path ? `${path}.${key}` : key;
        const problem = isReservedName(key) ? `must not be ${key}` : characterProblem(key);
        if (problem) errors[path || 'body'] = [`A field name ${problem}`];
        else pending.push([item, keyPath]);
      }
    }
  }
  return errors;
}

/**
 * How deeply a JSON text nests, counted without parsing it, so that a hostile body cannot exhaust the stack of
 * the parser or of validation. Stops counting once past `limit`.
 */
export function jsonDepthExceeds(json: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const char = json.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > limit) return true;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return false;
}

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
