import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from 'src/app.module';
import { runMain } from 'src/common/run-main';

/** Runs a shell command against the app's services (no HTTP server, no queue workers). */
export function runWithApp(command: (app: INestApplicationContext) => Promise<void>): void {
  runMain(async () => {
    const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
    try {
      await command(app);
    } finally {
      await app.close();
    }
  });
}
