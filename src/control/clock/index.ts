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

/** What the CLI verb and the route share: checks the request, advances, reads. */
export function advanceClock(clock: Clock, body: unknown): ClockReading {
  const seconds = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).advance_seconds : undefined;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new BadRequest('advance_seconds must be a number of seconds greater than 0: the clock only moves forward.');
  }
  clock.advance(seconds);
  return readClock(clock);
}

export async function clockFeature(scope: FastifyInstance, context: ControlContext): Promise<void> {
  scope.get('/clock', async () => readClock(context.clock));
  scope.post('/clock', async (request) => advanceClock(context.clock, request.body));
}
