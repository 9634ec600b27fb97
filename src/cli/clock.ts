/**
 * `nimbus clock show|advance DURATION|set ISO|reset`: the running cloud's
 * clock, through its `/_nimbus/clock` endpoint (control-client.ts: the URL
 * and token). The clock moves forward only; `reset` takes it back to the
 * real time.
 */
import type { NimbusConfig } from '../config.js';
import { controlClient, type ControlOptions } from './control-client.js';

export const CLOCK_USAGE = `  nimbus clock show|reset [--url URL] [--token TOKEN] [--data-dir ./nimbus-data]
  nimbus clock advance DURATION (90, 90s, 15m, 2h, 1d, 1h30m) [--url URL] [--token TOKEN]
  nimbus clock set ISO-8601 (a later instant, e.g. 2030-01-01T00:00:00Z) [--url URL] [--token TOKEN]`;

interface ClockReading {
  now: string;
  offset_seconds: number;
}

export async function clockCommand(config: NimbusConfig, args: string[], options: ControlOptions): Promise<number> {
  const [verb, value, ...rest] = args;
  if (rest.length > 0) return usage();
  const request = verbRequest(verb, value);
  if (!request) return usage();
  const client = await controlClient(config, options);
  const reading = (await client.call(request.method, '/clock', request.body)) as ClockReading;
  console.log(`${reading.now}\toffset ${formatDuration(reading.offset_seconds)}`);
  return 0;
}

/** The call a verb makes, or null for a verb or argument that is not one. */
function verbRequest(verb: string | undefined, value: string | undefined): { method: string; body?: unknown } | null {
  if (verb === 'show' && value === undefined) return { method: 'GET' };
  if (verb === 'reset' && value === undefined) return { method: 'DELETE' };
  if (verb === 'set' && value !== undefined) return { method: 'POST', body: { now: value } };
  if (verb === 'advance' && value !== undefined) {
    const seconds = parseDuration(value);
    if (seconds === null) throw new Error(`${value} is not a duration: a number of seconds, or amounts with d, h, m or s (1h30m).`);
    return { method: 'POST', body: { advance_seconds: seconds } };
  }
  return null;
}

const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };
const DURATION = /^(?:\d+(?:\.\d+)?[dhms])+$/;
const PART = /(\d+(?:\.\d+)?)([dhms])/g;

/** Seconds in `90`, `90s`, `15m`, `1h30m`, `1.5d`; null when it is none of these. */
export function parseDuration(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (!DURATION.test(text)) return null;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(PART)) seconds += Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
  return seconds;
}

/** `+1h30m0s`-like (the offset of the cloud's time from the real time). */
export function formatDuration(totalSeconds: number): string {
  let left = Math.round(totalSeconds);
  const parts: string[] = [];
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const amount = Math.floor(left / size);
    if (amount > 0 || (unit === 's' && parts.length === 0)) parts.push(`${amount}${unit}`);
    left -= amount * size;
  }
  return `+${parts.join('')}`;
}

function usage(): number {
  console.error(`usage:\n${CLOCK_USAGE}`);
  return 2;
}
