import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor, RateLimitOptions } from '@fastify/rate-limit';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import type { AppConfig } from 'src/config/app-config';

/**
 * The limits on routes anyone can reach, each with its own count. A route names one (`@RateLimited('signIn')`);
 * `createWebApp` turns the name into the limit configured, so the numbers live in the configuration.
 */
export const RATE_LIMIT_NAMES = [
  'signIn',
  'accountLinks',
  'accountPages',
  'public',
  'calendarFeed',
  'health',
] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];

const RATE_LIMIT_WINDOW = '1 minute';

interface NamedLimit {
  max: (config: AppConfig) => number;
  /** What is counted, besides the limit's name; `preHandler` when it needs the parsed body. */
  key: (request: FastifyRequest) => string;
  hook: 'onRequest' | 'preHandler';
}

const emailOf = (request: FastifyRequest) => {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  // No address is longer than 254 characters; the cut keeps a hostile body from making a long Redis key.
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : '';
};

const NAMED_LIMITS: Record<RateLimitName, NamedLimit> = {
  // Per address and account: one person's typing does not lock out a training room that shares an address.
  signIn: {
    max: (config) => config.RATE_LIMIT_SIGN_IN,
    key: (request) => `${request.ip}|${emailOf(request)}`,
    hook: 'preHandler',
  },
  accountLinks: {
    max: (config) => config.RATE_LIMIT_ACCOUNT_LINKS,
    key: (request) => request.ip,
    hook: 'onRequest',
  },
  // The sign-in, reset and invitation forms, where every signed-out visit to another page lands: counted apart from
  // verification, and more generous, as a whole trust may reach the site through one proxy address.
  accountPages: {
    max: (config) => config.RATE_LIMIT_ACCOUNT_PAGES,
    key: (request) => request.ip,
    hook: 'onRequest',
  },
  public: { max: (config) => config.RATE_LIMIT_PUBLIC, key: (request) => request.ip, hook: 'onRequest' },
  // Calendar services (Google, Outlook) fetch every subscriber's feed from a few addresses of their own: the count
  // is per feed, whose secret address is its only credential.
  calendarFeed: {
    max: (config) => config.RATE_LIMIT_PUBLIC,
    key: (request) => ((request.params as { file?: string }).file ?? '').slice(0, 64),
    hook: 'onRequest',
  },
  // Load balancers and orchestrators poll it; counted apart, so a busy public route never fails a health check.
  health: { max: (config) => config.RATE_LIMIT_PUBLIC, key: (request) => request.ip, hook: 'onRequest' },
};

/** Puts a route under a named limit. */
export const RateLimited = (name: RateLimitName) => RouteConfig({ rateLimitName: name });

/** The @fastify/rate-limit options of a named limit, its count kept apart from every other limit's. */
export function rateLimitOptions(name: RateLimitName, config: AppConfig): RateLimitOptions {
  const limit = NAMED_LIMITS[name];
  return {
    max: limit.max(config),
    timeWindow: RATE_LIMIT_WINDOW,
    hook: limit.hook,
    keyGenerator: (request) => `${name}:${limit.key(request)}`,
  };
}

/**
 * A 429 that says when to try again, through the one exception filter: JSON for the API, the error page for a
 * browser. The plugin has set Retry-After (seconds) already; the message gives the same number.
 */
export function tooManyRequests(_request: FastifyRequest, context: { statusCode: number; ttl: number }) {
  const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
  return Object.assign(
    new Error(`Too many requests. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`),
    { statusCode: context.statusCode },
  );
}

// One count per key for a window that starts with the first request, in one round trip.
const COUNT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {current, redis.call('PTTL', KEYS[1])}
`;

/**
 * Counts in Redis by key alone. The plugin's own store counts each route apart; here the routes of one limit (the
 * sign-in API and the sign-in page) share its count, as the key names the limit.
 */
export function sharedCountStore(redis: Redis): FastifyRateLimitStoreCtor {
  return class SharedCount implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindowMs = 60_000,
    ): void {
      redis.eval(COUNT, 1, key, timeWindowMs).then(
        (result) => {
          const [current, ttl] = result as [number, number];
          callback(null, { current, ttl });
        },
        (error: Error) => callback(error),
      );
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
