/**
 * Gnocchi's calendar groups for `resample`: year (`Y`), half (`H`), quarter
 * (`Q`), month (`M`) and week starting on Sunday (`W`). A group is named by
 * its first day at midnight UTC, and the answer's granularity is the group's
 * letter instead of seconds.
 */

export const CALENDAR_GROUPS = ['Y', 'H', 'Q', 'M', 'W'] as const;
export type CalendarGroup = (typeof CALENDAR_GROUPS)[number];

/** A resampling period: seconds, or a calendar group. */
export type Sampling = number | CalendarGroup;

export const isCalendarGroup = (value: string): value is CalendarGroup => (CALENDAR_GROUPS as readonly string[]).includes(value);

const DAY = 86_400;
/** 1970-01-01 was a Thursday: four days after the Sunday that starts its week. */
const EPOCH_DAYS_AFTER_SUNDAY = 4;

/** How many months of a year each month-based group spans. */
const MONTHS_PER_GROUP: Record<Exclude<CalendarGroup, 'W'>, number> = { Y: 12, H: 6, Q: 3, M: 1 };

/** Epoch seconds of the start of the calendar group that holds `epoch`. */
export function calendarGroupStart(epoch: number, group: CalendarGroup): number {
  if (group === 'W') {
    const day = Math.floor(epoch / DAY);
    const sunday = Math.floor((day + EPOCH_DAYS_AFTER_SUNDAY) / 7) * 7 - EPOCH_DAYS_AFTER_SUNDAY;
    return sunday * DAY;
  }
  const date = new Date(Math.floor(epoch) * 1000);
  const span = MONTHS_PER_GROUP[group];
  const month = Math.floor(date.getUTCMonth() / span) * span;
  return Date.UTC(date.getUTCFullYear(), month, 1) / 1000;
}

/** The period of `sampling` that holds `epoch`: a multiple of the seconds (carbonara's rounding), or a calendar group's start. */
export function periodStart(epoch: number, sampling: Sampling): number {
  return typeof sampling === 'number' ? Math.floor(epoch / sampling) * sampling : calendarGroupStart(epoch, sampling);
}
