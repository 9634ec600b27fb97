/**
 * `/_nimbus/clock`: reads the cloud's clock and moves it forward, so that a
 * test sees tokens expire, lockouts end and timers fire without sleeping.
 * `GET` → `{"now", "offset_seconds"}`; `POST {"advance_seconds": N}` (N > 0)
 * advances it, wakes whatever waits on time, and answers the new reading.
 */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { BadRequest } from '../../core/errors.js';
import type { ControlContext } from '../context.js';

export interface ClockReading {
  now: string;
  offset_seconds: number;
}

export function readClock(clock: Clock): ClockReading {
  return { now: clock.now().toISOString(), offset_seconds: clock.offsetSeconds };
}

/** The last instant every API can render (ISO 8601's four-digit years). */
const LAST_RENDERABLE_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/** The POST's whole work, for the route and any in-process caller: checks the body, advances, reads. */
export function advanceClock(clock: Clock, body: unknown): ClockReading {
  const seconds = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).advance_seconds : undefined;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new BadRequest('advance_seconds must be a number of seconds greater than 0: the clock only moves forward.');
  }
  if (clock.nowMs() + seconds * 1000 > LAST_RENDERABLE_MS) throw new BadRequest('advance_seconds would take the clock past the year 9999.');
  clock.advance(seconds);
  return readClock(clock);
}

export async function clockFeature(scope: FastifyInstance, context: ControlContext): Promise<void> {
  scope.get('/clock', async () => readClock(context.clock));
  scope.post('/clock', async (request) => advanceClock(context.clock, request.body));
}
