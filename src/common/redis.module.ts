import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';

/** The app's own Redis connection (sessions, sign-in throttling); every key carries REDIS_PREFIX. */
@Injectable()
export class RedisClient extends Redis implements OnApplicationShutdown {
  readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config.REDIS_URL, {
      keyPrefix: `${config.REDIS_PREFIX}:`,
      lazyConnect: false,
      maxRetriesPerRequest: 2,
    });
    this.prefix = `${config.REDIS_PREFIX}:`;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.quit().catch(() => this.disconnect());
  }
}

@Global()
@Module({ providers: [RedisClient], exports: [RedisClient] })
export class RedisModule {}
