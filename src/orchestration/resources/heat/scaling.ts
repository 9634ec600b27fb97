/** Heat's capacity arithmetic for scaling adjustments (heat/scaling/scalingutil.py), kept within the group's bounds. */

export const ADJUSTMENT_TYPES = ['change_in_capacity', 'exact_capacity', 'percent_change_in_capacity'];

export interface Adjustment {
  adjustment: number;
  adjustmentType: string;
  minAdjustmentStep: number | null;
}

/** A percent change rounds away from zero below one member and towards zero above; `minAdjustmentStep` then floors its size. */
function percentChange(current: number, percent: number, minStep: number | null): number {
  const delta = (current * percent) / 100;
  let rounded = Math.abs(delta) < 1 ? (delta > 0 ? Math.ceil(delta) : Math.floor(delta)) : delta > 0 ? Math.floor(delta) : Math.ceil(delta);
  if (minStep !== null && minStep > Math.abs(rounded)) rounded = rounded > 0 ? minStep : -minStep;
  return current + rounded;
}

export function newCapacity(current: number, change: Adjustment, minimum: number, maximum: number): number {
  let capacity: number;
  if (change.adjustmentType === 'change_in_capacity' || change.adjustmentType === 'ChangeInCapacity') capacity = current + change.adjustment;
  else if (change.adjustmentType === 'exact_capacity' || change.adjustmentType === 'ExactCapacity') capacity = change.adjustment;
  else capacity = percentChange(current, change.adjustment, change.minAdjustmentStep);
  return Math.min(maximum, Math.max(minimum, capacity));
}
