import type { DataSubject } from 'src/privacy/personal-data';
import { ERASED_NAME } from 'src/users/erased-account';

/** A letter, a digit or a character that joins a word ("Ann-Marie", "ann_s"). */
const WORD_CHARACTER = String.raw`[\p{L}\p{M}\p{N}_-]`;

/**
 * The erased person's name or address where it stands alone, in any case: "Ann" goes from "Ann's entry", "ANN"
 * and "thanks, Ann.", never from "Annabel", "Ann-Marie" or another person's address; ann@x.org goes from "write
 * to ann@x.org.", never from joann@x.org or ann@x.org.uk, which belong to someone else.
 */
function alone(text: string): RegExp {
  const literal = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![.%+@]|${WORD_CHARACTER})${literal}(?![@%+]|\\.?${WORD_CHARACTER})`, 'giu');
}

/** Keys whose value in a record about a person is that person's name or address, whatever it was then. */
const PERSONAL_KEYS = new Set(['name', 'email', 'to', 'toAddress', 'holderName']);

/**
 * A stored JSON value (an audit event's details, an e-mail's template values) with the erased person's name and
 * address replaced wherever they appear, and, in a record about them (`aboutThem`), the values of the keys that
 * name a person too (an earlier name or address, which the current ones do not match).
 */
export function withoutPerson(value: unknown, subject: DataSubject, aboutThem: boolean): unknown {
  if (typeof value === 'string')
    return value.replace(alone(subject.email), '(erased)').replace(alone(subject.name), ERASED_NAME);
  if (Array.isArray(value)) return value.map((item) => withoutPerson(item, subject, aboutThem));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        aboutThem && PERSONAL_KEYS.has(key) && typeof item === 'string'
          ? '(erased)'
          : withoutPerson(item, subject, aboutThem),
      ]),
    );
  return value;
}
