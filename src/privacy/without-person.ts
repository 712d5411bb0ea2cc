import type { DataSubject } from 'src/privacy/personal-data';
import { ERASED_NAME } from 'src/users/erased-account';

/** Keys whose value in a record about a person is that person's name or address, whatever it was then. */
const PERSONAL_KEYS = new Set(['name', 'email', 'to', 'toAddress', 'holderName']);

/**
 * A stored JSON value (an audit event's details, an e-mail's template values) with the erased person's name and
 * address replaced wherever they appear, and, in a record about them (`aboutThem`), the values of the keys that
 * name a person too (an earlier name or address, which the current ones do not match).
 */
export function withoutPerson(value: unknown, subject: DataSubject, aboutThem: boolean): unknown {
  if (typeof value === 'string') {
    const email = new RegExp(subject.email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    return value.split(subject.name).join(ERASED_NAME).replace(email, '(erased)');
  }
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
