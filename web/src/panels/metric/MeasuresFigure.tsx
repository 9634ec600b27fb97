import type { Measure } from '../../api/metric';
import { MeasuresChart } from './MeasuresChart';

/**
 * A chart of measures with its caption and a summary under it: the count of
 * points and the last value, and the lowest and highest with `withRange`.
 * `measures` is not empty (callers say so in their own words when it is).
 */
export function MeasuresFigure({
  caption,
  measures,
  label,
  unit,
  withRange = false,
}: {
  caption: string;
  measures: Measure[];
  label: string;
  unit: string | null;
  withRange?: boolean;
}) {
  const last = measures[measures.length - 1] as Measure;
  const values = measures.map(([, , value]) => value);
  return (
    <figure className="chart" aria-label={caption}>
      <figcaption>{caption}</figcaption>
      <MeasuresChart measures={measures} label={label} unit={unit} />
      <dl className="measure-summary" aria-label="Summary">
        <div>
          <dt>Points</dt>
          <dd>{measures.length}</dd>
        </div>
        <div>
          <dt>Last</dt>
          <dd>
            {last[2]} at {new Date(last[0]).toLocaleString()}
          </dd>
        </div>
        {withRange && (
          <>
            <div>
              <dt>Min</dt>
              <dd>{Math.min(...values)}</dd>
            </div>
            <div>
              <dt>Max</dt>
              <dd>{Math.max(...values)}</dd>
            </div>
          </>
        )}
      </dl>
    </figure>
  );
}
