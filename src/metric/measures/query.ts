/** Query-string and body values of the measures API, read and refused as Gnocchi's validate_qs does. */
import { queryValues, type QueryInput } from '../../core/pagination/query.js';
import { isCalendarGroup, type Sampling } from './calendar.js';
import type { Fill } from './cross-series.js';
import { argumentError, GnocchiBadRequest } from './errors.js';
import { parseTimespan, parseTimestamp } from './time.js';

export const first = (query: QueryInput, name: string): string | undefined => queryValues(query, name)[0];

const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];

/** oslo's strict bool_from_string, with Gnocchi's message. */
export function boolParam(query: QueryInput, name: string, fallback = false): boolean {
  const value = first(query, name);
  if (value === undefined) return fallback;
  const text = value.trim().toLowerCase();
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  const accepted = [...TRUE, ...FALSE]
    .sort()
    .map((v) => `'${v}'`)
    .join(', ');
  throw new GnocchiBadRequest(`Unable to parse \`${name}': Unrecognized value '${value}', acceptable values are: ${accepted}`);
}

export function timestampParam(query: QueryInput, name: 'start' | 'stop'): number | undefined {
  const value = first(query, name);
  if (value === undefined) return undefined;
  try {
    return parseTimestamp(value);
  } catch {
    throw argumentError(name, 'Must be a datetime or a timestamp');
  }
}

export function granularityParam(query: QueryInput): number | undefined {
  const value = first(query, 'granularity');
  if (value === undefined) return undefined;
  try {
    return parseTimespan(value);
  } catch (error) {
    throw argumentError('granularity', (error as Error).message);
  }
}

export function neededOverlapParam(query: QueryInput): number | undefined {
  const value = first(query, 'needed_overlap');
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw argumentError('needed_overlap', 'Must be a number');
  return number;
}

const NAMED_FILLS = ['null', 'dropna', 'ffill', 'bfill', 'full_ffill', 'full_bfill'];

export function fillParam(query: QueryInput): Fill | undefined {
  const value = first(query, 'fill');
  if (value === undefined) return undefined;
  if (NAMED_FILLS.includes(value)) return value as Fill;
  const number = Number(value);
  if (value.trim() === '' || Number.isNaN(number))
    throw argumentError('fill', "Must be a float, 'dropna', 'null', 'ffill', 'bfill', 'full_ffill' or 'full_bfill'");
  return number;
}

/** `resample` needs a granularity; it is a calendar group's letter or a timespan. */
export function resampleParam(query: QueryInput, granularity: number | undefined): Sampling | undefined {
  const value = first(query, 'resample');
  if (value === undefined || value === '') return undefined;
  if (granularity === undefined) throw new GnocchiBadRequest('A granularity must be specified to resample');
  if (isCalendarGroup(value)) return value;
  try {
    return parseTimespan(value);
  } catch (error) {
    throw new GnocchiBadRequest((error as Error).message);
  }
}
