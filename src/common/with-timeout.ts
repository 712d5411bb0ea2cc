/**
 * How long a request waits for Redis to take a job before going on without it: the queue's connection waits for
 * Redis rather than failing, and a request should not wait with it.
 */
export const QUEUE_DISPATCH_TIMEOUT_MS = 2_000;

/**
 * The work's answer, or a refusal after `ms`: for a request that should not wait with a connection that waits for
 * Redis to come back. The work goes on; its late answer (Redis came back) is not an error.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
