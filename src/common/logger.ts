import type { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger } from 'pino';

export function createLogger(level: string, processName: string, destination?: DestinationStream): Logger {
  return pino(
    { level, base: { process: processName }, timestamp: pino.stdTimeFunctions.isoTime },
    destination,
  );
}

/** Routes Nest's own log lines into the same structured JSON stream as the request logs. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
