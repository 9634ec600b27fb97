/**
 * `/_nimbus/clock`: reads the cloud's clock and moves it forward, so that a
 * test sees tokens expire, lockouts end and timers fire without sleeping.
 * `GET` → `{"now", "offset_seconds"}`; `POST {"advance_seconds": N}` (N > 0)
 * or `POST {"now": ISO}` (a later instant) advances it, wakes whatever waits
 * on time, and answers the new reading; `DELETE` goes back to the real time.
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

/**
 * The POST's whole work, for the route and any in-process caller: checks the
 * body (`advance_seconds`, or `now`: an ISO 8601 instant after the cloud's
 * current time), advances, reads.
 */
export function advanceClock(clock: Clock, body: unknown): ClockReading {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if ('advance_seconds' in fields && 'now' in fields) throw new BadRequest('Give advance_seconds or now, not both.');
  const seconds = 'now' in fields ? secondsUntil(clock, fields.now) : fields.advance_seconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new BadRequest('advance_seconds must be a number of seconds greater than 0: the clock only moves forward.');
  }
  if (clock.nowMs() + seconds * 1000 > LAST_RENDERABLE_MS) throw new BadRequest('advance_seconds would take the clock past the year 9999.');
  clock.advance(seconds);
  return readClock(clock);
}

/** Seconds from the cloud's time to `now`, which must be a later ISO 8601 instant with its zone. */
function secondsUntil(clock: Clock, now: unknown): number {
  const target = typeof now === 'string' && ISO_INSTANT.test(now) ? Date.parse(now) : Number.NaN;
  if (Number.isNaN(target)) throw new BadRequest('now must be an ISO 8601 date and time with its zone, e.g. 2030-01-01T00:00:00Z.');
  const seconds = (target - clock.nowMs()) / 1000;
  if (seconds <= 0)
    throw new BadRequest(
      `now (${now as string}) is not after the cloud's time (${clock.now().toISOString()}): the clock only moves forward; DELETE it to go back to the real time.`,
    );
  return seconds;
}

/** A date, a time and a zone (Z or ±hh:mm): without the zone, Date.parse would read the server's local time. */
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

export async function clockFeature(scope: FastifyInstance, context: ControlContext): Promise<void> {
  scope.get('/clock', async () => readClock(context.clock));
  scope.post('/clock', async (request) => advanceClock(context.clock, request.body));
  scope.delete('/clock', async () => {
    context.clock.reset();
    return readClock(context.clock);
  });
}
