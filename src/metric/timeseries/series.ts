/**
 * The arithmetic of carbonara on plain arrays: time is integer microseconds
 * since the epoch (exact in a float64 for the next centuries, so flooring to a
 * granularity never suffers rounding), every series is sorted by time with
 * one value per timestamp.
 */
import type { PeriodReducer } from './methods.js';

export interface Point {
  /** Microseconds since the epoch. */
  time: number;
  value: number;
}

export const MICROS_PER_SECOND = 1_000_000;

export function toMicros(seconds: number): number {
  return Math.round(seconds * MICROS_PER_SECOND);
}

export function toSeconds(micros: number): number {
  return micros / MICROS_PER_SECOND;
}

/** The start of the period of length `span` holding `time` (floored, also before the epoch). */
export function floorTo(time: number, span: number): number {
  return time - (((time % span) + span) % span);
}

/**
 * Sorts measures in the order they were accepted into a series: one point
 * per timestamp, the measure accepted last winning a tie.
 */
export function sortMeasures(acceptOrder: readonly Point[]): Point[] {
  const latest = new Map<number, number>();
  for (const point of acceptOrder) latest.set(point.time, point.value);
  return [...latest].map(([time, value]) => ({ time, value })).sort((a, b) => a.time - b.time);
}

/** Both series in one; at a timestamp both hold, `newer` wins (a re-sent measure corrects the old one). */
export function mergeSeries(older: readonly Point[], newer: readonly Point[]): Point[] {
  const merged: Point[] = [];
  let i = 0;
  let j = 0;
  while (i < older.length || j < newer.length) {
    const a = older[i];
    const b = newer[j];
    if (b === undefined || (a !== undefined && a.time < b.time)) {
      merged.push(a as Point);
      i++;
    } else {
      if (a !== undefined && a.time === b.time) i++;
      merged.push(b);
      j++;
    }
  }
  return merged;
}

/** The points from `from` on (inclusive), of a sorted series. */
export function pointsFrom(series: readonly Point[], from: number): Point[] {
  return series.slice(firstIndexFrom(series, from));
}

/** The points from `from` on, and the one point before them: the rate of the first needs it. */
export function pointsFromWithPredecessor(series: readonly Point[], from: number): Point[] {
  return series.slice(Math.max(0, firstIndexFrom(series, from) - 1));
}

function firstIndexFrom(series: readonly Point[], from: number): number {
  let low = 0;
  let high = series.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((series[middle] as Point).time < from) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The change from each raw point to the next, stamped at the later one: the first point has no rate. */
export function differences(series: readonly Point[]): Point[] {
  const changes: Point[] = [];
  for (let i = 1; i < series.length; i++) {
    const point = series[i] as Point;
    changes.push({ time: point.time, value: point.value - (series[i - 1] as Point).value });
  }
  return changes;
}

/** One aggregated point per period of `granularity` that holds points, each stamped at its period's start. */
export function aggregate(series: readonly Point[], granularity: number, reduce: PeriodReducer): Point[] {
  const periods: Point[] = [];
  let index = 0;
  while (index < series.length) {
    const start = floorTo((series[index] as Point).time, granularity);
    const values: number[] = [];
    while (index < series.length && (series[index] as Point).time < start + granularity) values.push((series[index++] as Point).value);
    const value = reduce(values);
    if (value !== null) periods.push({ time: start, value });
  }
  return periods;
}

/** Float64 pairs, little-endian: the compact form of a series in the database. */
export function packSeries(series: readonly Point[]): Buffer {
  return packPairs(
    series.length,
    (i) => (series[i] as Point).time,
    (i) => (series[i] as Point).value,
  );
}

/** `count` (time, value) pairs read by index, packed as packSeries packs them, with no object per pair in between. */
export function packPairs(count: number, timeAt: (index: number) => number, valueAt: (index: number) => number): Buffer {
  const bytes = Buffer.allocUnsafe(count * 16);
  for (let i = 0; i < count; i++) {
    bytes.writeDoubleLE(timeAt(i), i * 16);
    bytes.writeDoubleLE(valueAt(i), i * 16 + 8);
  }
  return bytes;
}

export function unpackSeries(bytes: Uint8Array): Point[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const series: Point[] = [];
  for (let offset = 0; offset + 16 <= buffer.length; offset += 16) series.push({ time: buffer.readDoubleLE(offset), value: buffer.readDoubleLE(offset + 8) });
  return series;
}
