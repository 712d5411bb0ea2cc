import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createLogger, PinoNestLogger } from 'src/common/logger';
import { runMain } from 'src/common/run-main';
import { loadConfig } from 'src/config/app-config';
import { WorkerModule } from 'src/worker.module';

/** The worker process: the features' BullMQ processors (worker.module.ts). Scale out by running more. */
export async function startWorker() {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: new PinoNestLogger(createLogger(config.LOG_LEVEL, 'worker')),
  });
  app.enableShutdownHooks();
  return app;
}

if (require.main === module) runMain(startWorker);
