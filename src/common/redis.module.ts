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
