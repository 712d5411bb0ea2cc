import { BullModule } from '@nestjs/bullmq';
import type { Job, JobsOptions, Queue, RepeatOptions } from 'bullmq';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';

/** One queue per kind of work. */
export const QUEUES = {
  events: 'events',
  reminders: 'reminders',
  certificates: 'certificates',
  accreditations: 'accreditations',
  reports: 'reports',
  retention: 'retention',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** A scheduler's tick: a job that carries nothing. */
type Tick = Record<string, never>;

/**
 * Every job the app can enqueue, by queue and name, with its payload. The worker refuses to start unless each
 * has exactly one handler (src/common/job-handlers.ts).
 */
export interface JobPayloads {
  events: { deliver: { eventId: string }; sweep: Tick };
  reminders: { send: { sessionId: string; sequence: number }; sweep: Tick };
  certificates: { render: { certificateId: string }; sweep: Tick };
  accreditations: { remind: Tick };
  reports: { refresh: Tick };
  retention: { run: Tick };
}

export type JobName<Q extends QueueName> = keyof JobPayloads[Q] & string;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = JobPayloads[Q][N];
export type QueueJob<Q extends QueueName, N extends JobName<Q> = JobName<Q>> = Job<
  JobPayload<Q, N>,
  unknown,
  N
>;

/** The job names at run time, for enqueue sites and the worker's check; the type keeps them in step with JobPayloads. */
export const JOBS: { readonly [Q in QueueName]: { readonly [N in JobName<Q>]: N } } = {
  events: { deliver: 'deliver', sweep: 'sweep' },
  reminders: { send: 'send', sweep: 'sweep' },
  certificates: { render: 'render', sweep: 'sweep' },
  accreditations: { remind: 'remind' },
  reports: { refresh: 'refresh' },
  retention: { run: 'run' },
};

/** A queue that takes only its own job names, each with its payload. */
export type JobQueue<Q extends QueueName> = Omit<Queue, 'add' | 'upsertJobScheduler'> & {
  add<N extends JobName<Q>>(name: N, data: JobPayload<Q, N>, opts?: JobsOptions): Promise<Job>;
  upsertJobScheduler<N extends JobName<Q>>(
    schedulerId: string,
    repeat: Omit<RepeatOptions, 'key'>,
    template: { name: N; data?: JobPayload<Q, N> },
  ): Promise<Job>;
};

/**
 * Adds a job scheduler, and adds it again whenever the queue's connection is ready after a break: a Redis restarted
 * without its data has forgotten the scheduler, and nothing else would add it back before the worker restarts.
 */
export async function keepJobScheduler<Q extends QueueName, N extends JobName<Q>>(
  queue: JobQueue<Q>,
  schedulerId: string,
  repeat: Omit<RepeatOptions, 'key'>,
  template: { name: N; data?: JobPayload<Q, N> },
): Promise<void> {
  const upsert = () => queue.upsertJobScheduler(schedulerId, repeat, template);
  await upsert();
  // The next time Redis is back tries again if this one fails.
  (await queue.client).on('ready', () => void upsert().catch((error: Error) => queue.emit('error', error)));
}

export function bullConnection(redisUrl: string) {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    // BullMQ's own backoff grows to 20 s between tries, so a web process could go on failing to queue jobs for that
    // long after Redis is back (a request waits for a queue before going on without it). Tries at most half a
    // second apart, a refused connection on the local network each, reconnect as soon as Redis is back.
    retryStrategy: (times: number) => Math.min(times * 100, 500),
  };
}

export const QueueRootModule = BullModule.forRootAsync({
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => ({
    connection: bullConnection(config.REDIS_URL),
    prefix: `${config.REDIS_PREFIX}:bull`,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
  }),
  // Workers start only once the worker has checked that every job has one handler (JobHandlersModule).
  extraOptions: { manualRegistration: true },
});
