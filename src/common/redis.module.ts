import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { MaxRetriesPerRequestError } from 'ioredis/built/errors';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';

/** How long one command to the app's own Redis may take before the request that sent it gives up (503). */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/** What a client's Retry-After says while Redis is away: most outages are a restart or a failover. */
export const REDIS_RETRY_AFTER_SECONDS = 30;

/**
 * Options for the connections that requests wait on (sessions, sign-in throttling, rate limits): while Redis is
 * away a command fails at once instead of queueing until it is back, so a request answers 503 (or a rate limit lets
 * it through) rather than hanging; a Redis that accepts the connection but does not answer fails after a timeout.
 * BullMQ's connections are not these: they wait, and the callers that queue bound their wait (with-timeout.ts).
 */
export const REQUEST_REDIS_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
};

// ioredis's own words for "not connected": a command refused while the connection is down, one that was under way
// when it closed, and one that got no answer in time.
const UNAVAILABLE_MESSAGES = new Set([
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Connection is closed.',
  'Command timed out',
]);

/** Whether an error says Redis could not be reached, rather than that a command was wrong. */
export function isRedisUnavailable(error: unknown): boolean {
  return (
    error instanceof MaxRetriesPerRequestError ||
    (error instanceof Error && error.name !== 'ReplyError' && UNAVAILABLE_MESSAGES.has(error.message))
  );
}

/**
 * Logs a connection's loss once and its return once, where ioredis would print every failed reconnection as an
 * unhandled error event.
 */
export function reportOutages(redis: Redis, logger: Logger, meanwhile: string): void {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`Redis unreachable (${error.message}): ${meanwhile} until it is back`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log('Redis is back');
  });
}

/** The app's own Redis connection (sessions, sign-in throttling); every key carries REDIS_PREFIX. */
@Injectable()
export class RedisClient extends Redis implements OnModuleInit, OnApplicationShutdown {
  readonly prefix: string;
  private readonly logger = new Logger(RedisClient.name);

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config.REDIS_URL, {
      ...REQUEST_REDIS_OPTIONS,
      keyPrefix: `${config.REDIS_PREFIX}:`,
      lazyConnect: false,
    });
    this.prefix = `${config.REDIS_PREFIX}:`;
    reportOutages(this, this.logger, 'signed-in requests and signing in answer 503');
  }

  /**
   * Waits a moment for the connection, as commands are not queued until it is there; a process whose Redis is
   * away still starts, and answers 503 where it needs Redis until it comes.
   */
  async onModuleInit(): Promise<void> {
    if (this.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, REDIS_COMMAND_TIMEOUT_MS);
      this.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Batches of keys matching `pattern`, without the prefix: SCAN is the one command ioredis does not prefix. */
  async *scanKeys(pattern: string): AsyncGenerator<string[]> {
    const stream = this.scanStream({ match: `${this.prefix}${pattern}`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) yield keys.map((key) => key.slice(this.prefix.length));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.quit().catch(() => this.disconnect());
  }
}

@Global()
@Module({ providers: [RedisClient], exports: [RedisClient] })
export class RedisModule {}
