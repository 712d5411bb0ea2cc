import { Client } from 'pg';

/**
 * Counts the statements this process sends to PostgreSQL, through every pg client (TypeORM's pool included) but
 * those left out, such as a benchmark's own connection; `stop` puts the client back as it was.
 */
export function countQueries(leftOut: readonly Client[] = []) {
  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  let count = 0;
  prototype.query = function (this: Client, ...args: unknown[]) {
    if (!leftOut.includes(this)) count += 1;
    return original.apply(this, args);
  };
  return {
    get count() {
      return count;
    },
    stop() {
      prototype.query = original;
    },
  };
}
