import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from 'src/common/access.decorators';
import { RateLimited } from 'src/common/rate-limits';
import { RedisClient } from 'src/common/redis.module';

type Check = { status: 'up' } | { status: 'down'; error: string };

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref(),
    ),
  ]);

async function check(probe: () => Promise<unknown>): Promise<Check> {
  try {
    await withTimeout(probe(), 2_000);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  }
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisClient,
  ) {}

  @Get()
  @Public()
  @RateLimited('health')
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const [postgres, redis] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(() => this.redis.ping()),
    ]);
    // Without Redis the process still serves what needs no session (verification, public pages) and answers the
    // rest with a clear 503: a load balancer should keep sending it traffic. Without PostgreSQL it serves nothing.
    const status = postgres.status === 'down' ? 'unavailable' : redis.status === 'down' ? 'degraded' : 'ok';
    void reply.status(status === 'unavailable' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return { status, checks: { postgres, redis } };
  }
}
