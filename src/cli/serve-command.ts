import { startWarden } from '../app/start-warden.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../telemetry/logger.ts';

/** `warden serve`: runs until SIGINT/SIGTERM, then flushes everything accepted and exits 0. */
export async function serveCommand(env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadConfig(env);
  if (!config.ok) {
    process.stderr.write(`warden: invalid configuration (${config.error.code})\n${config.error.message}\n`);
    return 2;
  }
  const logger = createLogger(config.value.logLevel);
  let instance;
  try {
    instance = await startWarden(config.value, logger);
  } catch (error) {
    logger.fatal({ err: error }, `Warden could not start: ${(error as Error).message}`);
    return 1;
  }
  const onHangup = (): void => {
    logger.info('SIGHUP received: reloading the policy file');
    void instance.reloadPolicy();
  };
  process.on('SIGHUP', onHangup);
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info(`${signal} received: flushing accepted data and stopping`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  process.off('SIGHUP', onHangup);
  await instance.shutdown();
  return 0;
}
