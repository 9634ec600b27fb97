/**
 * Structured logging: one pino logger per process, child loggers per request.
 * A person at a terminal reads coloured lines (pino-pretty, written
 * synchronously in-process: no worker thread, so it also works from the
 * bundle); anything else (a file, a pipe, a log shipper) gets pino's JSON
 * lines, as it does when `log.format` is `json`.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat } from './config.js';

export type { Logger };

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const FORMATS = new Set<string>(['auto', 'json', 'pretty'] satisfies LogFormat[]);

export function createLogger(level: string, format: LogFormat = 'json', stream: NodeJS.WriteStream = process.stdout): Logger {
  if (!LEVELS.has(level)) throw new Error(`log level '${level}' is not one of ${[...LEVELS].join(', ')}`);
  if (!FORMATS.has(format)) throw new Error(`log format '${format}' is not one of ${[...FORMATS].join(', ')}`);
  const options = { level, base: { service: 'nimbus' } };
  const human = format === 'pretty' || (format === 'auto' && stream.isTTY === true);
  if (!human) return pino(options, stream);
  return pino(options, pretty({ destination: stream, sync: true, colorize: stream.isTTY === true, ignore: 'pid,hostname,service' }));
}
