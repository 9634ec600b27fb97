/**
 * Swift timestamps: seconds since the epoch with five decimals, fixed width
 * (`1700000000.12345`), so they order as strings. Each new one is later than
 * the last this process gave, so two writes in the same 10 µs still order.
 */
let last = 0;

export function newTimestamp(): string {
  let now = Math.round(Date.now() * 100) / 100_000;
  if (now <= last) now = Math.round((last + 0.00001) * 100_000) / 100_000;
  last = now;
  return now.toFixed(5);
}

/** Last-Modified as Swift gives it: the timestamp rounded up to a whole second. */
export function httpDate(timestamp: string): string {
  return new Date(Math.ceil(Number(timestamp)) * 1000).toUTCString();
}

/** Listing form of a timestamp: ISO 8601 with microseconds, no zone (`2023-01-01T00:00:00.123450`). */
export function listingDate(timestamp: string): string {
  const seconds = Number(timestamp);
  const iso = new Date(Math.floor(seconds) * 1000).toISOString().slice(0, 19);
  const micros = Math.round((seconds % 1) * 1_000_000);
  return `${iso}.${String(micros).padStart(6, '0')}`;
}
