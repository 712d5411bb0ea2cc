import 'reflect-metadata';
import { AppModule } from 'src/app.module';
import { createLogger } from 'src/common/logger';
import { runMain } from 'src/common/run-main';
import { loadConfig } from 'src/config/app-config';
import { createWebApp } from 'src/web-app';

/** The web process: JSON API and pages. Scale out by running more of these behind a load balancer. */
export async function startWeb(rootModule: unknown = AppModule, processName = 'web') {
  const config = loadConfig();
  const app = await createWebApp(rootModule, config, createLogger(config.LOG_LEVEL, processName));
  await app.listen({ port: config.PORT, host: '0.0.0.0' });
  return app;
}

if (require.main === module) runMain(() => startWeb());
