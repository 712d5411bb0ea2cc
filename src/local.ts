import 'reflect-metadata';
import { runMain } from 'src/common/run-main';
import { runMigrations } from 'src/database/migrate';
import { startWeb } from 'src/main';
import { WorkerModule } from 'src/worker.module';

/** `npm start`: pending migrations, then web and worker in one process, for a local run. */
runMain(async () => {
  await runMigrations();
  await startWeb(WorkerModule, 'web+worker');
});
