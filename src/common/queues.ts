import { BullModule } from '@nestjs/bullmq';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';

/** One queue per kind of work. */
export const QUEUES = { mail: 'mail', reminders: 'reminders' } as const;

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
  };
}

export const QueueRootModule = BullModule.forRootAsync({
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => ({
    connection: bullConnection(config.REDIS_URL),
    prefix: `${config.REDIS_PREFIX}:bull`,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
  }),
});
