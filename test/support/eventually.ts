import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` until it answers something other than `false` or `undefined`, and returns that; after `timeoutMs`
 * fails, naming what it waited for and what `explain` says of the state it was left in.
 */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | false | undefined>,
  { timeoutMs = 30_000, explain }: { timeoutMs?: number; explain?: () => Promise<string> | string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await check();
    if (answer !== false && answer !== undefined) return answer;
    if (Date.now() > deadline) {
      const state = explain ? `\n${await explain()}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${state}`);
    }
    await sleep(50);
  }
}
