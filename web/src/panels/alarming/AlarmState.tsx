import type { AlarmState as State } from '../../api/alarming';
import './alarming.css';

/** Aodh's state word, coloured by its meaning (`insufficient data` takes its first word as the class). */
export function AlarmState({ state }: { state: State }) {
  return <span className={`status status-${state.split(' ')[0] ?? state}`}>{state}</span>;
}
