import { ConfigError, loadConfig } from './config.js';
import { limitHeapGrowth } from './heap-growth.js';
import { createLogger } from './logger.js';
import { startService } from './service.js';

/** Entry point of `npm start`: read the config, start the service, stop cleanly on a signal. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({
    level: config.LOG_LEVEL,
    format: config.LOG_FORMAT ?? (config.NODE_ENV === 'production' ? 'json' : 'pretty'),
  });
  limitHeapGrowth(config.HEAP_GROWTH_PERCENT);
  const service = await startService(config, logger);
  logger.info(`chat page: ${service.url}/  agent view: ${service.url}/agent`);
  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
