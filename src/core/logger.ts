/** Structured logging: one pino logger per process, child loggers per request. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'nimbus' } });
}
