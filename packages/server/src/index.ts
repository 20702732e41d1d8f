export { createApp } from './app.js';
export { type Config, ConfigError, loadConfig } from './config.js';
export { type DatabaseTarget, migrateToLatest, openDatabase } from './db/index.js';
export type { Clock, Deps } from './deps.js';
export { createGatehouse, type Gatehouse, type GatehouseOptions } from './gatehouse.js';
export { type RunningServer, startServer } from './server.js';
