import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from 'src/config/app-config';
import { dataSourceOptions } from 'src/database/data-source-options';

// Used by the TypeORM CLI (migration:generate, migration:run) from the compiled build.
export default new DataSource(dataSourceOptions(loadConfig().DATABASE_URL));
