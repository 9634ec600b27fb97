/**
 * Gnocchi's timespans: seconds as a number, or text such as `5 minutes`,
 * `1h30m`, `30 days` or `01:00:00` (pytimeparse's forms), rendered back as
 * Python's `str(timedelta)`: `0:05:00`, `30 days, 0:00:00`.
 */
const UNIT_SECONDS: [RegExp, number][] = [
  [/^(w|wk|wks|weeks?)$/, 604800],
  [/^(d|dy|dys|days?)$/, 86400],
  [/^(h|hr|hrs|hours?)$/, 3600],
  [/^(m|mins?|minutes?)$/, 60],
  [/^(s|secs?|seconds?)$/, 1],
];

/** Seconds, or null when the text is no timespan Gnocchi reads. */
export function parseTimespan(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim().toLowerCase();
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) return Number(text);
  const clock = /^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$/.exec(text);
  if (clock) return Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  let total = 0;
  let rest = text;
  const part = /^(\d+(?:\.\d+)?)\s*([a-z]+)[\s,]*(?:and\s+)?/;
  while (rest.length > 0) {
    const match = part.exec(rest);
    if (!match) return null;
    const unit = UNIT_SECONDS.find(([pattern]) => pattern.test(match[2] as string));
    if (!unit) return null;
    total += Number(match[1]) * unit[1];
    rest = rest.slice(match[0].length);
  }
  return text.length > 0 ? total : null;
}

/** Python's `str(datetime.timedelta(seconds=...))`. */
export function formatTimespan(seconds: number): string {
  const micros = Math.round(seconds * 1e6);
  const days = Math.floor(micros / 86_400_000_000);
  let remainder = micros - days * 86_400_000_000;
  const hours = Math.floor(remainder / 3_600_000_000);
  remainder -= hours * 3_600_000_000;
  const minutes = Math.floor(remainder / 60_000_000);
  remainder -= minutes * 60_000_000;
  const secs = Math.floor(remainder / 1_000_000);
  const fraction = remainder - secs * 1_000_000;
  const clock = `${hours}:${String(minutes).padStart(2, '0')}:${String(secs).padStart(2, '0')}${fraction ? `.${String(fraction).padStart(6, '0')}` : ''}`;
  return days === 0 ? clock : `${days} day${days === 1 ? '' : 's'}, ${clock}`;
}
