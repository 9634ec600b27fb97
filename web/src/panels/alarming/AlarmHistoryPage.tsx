import { Link, useParams } from 'react-router';
import type { Alarm, AlarmChange } from '../../api/alarming';
import { useApi } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { AlarmState } from './AlarmState';

/** Aodh keeps a change's detail as JSON text: a state change shows its state and reason, anything else its fields. */
function describeDetail(detail: string): string {
  try {
    const parsed: unknown = JSON.parse(detail);
    if (typeof parsed !== 'object' || parsed === null) return detail;
    const fields = parsed as Record<string, unknown>;
    if (typeof fields.state === 'string' && Object.keys(fields).length <= 3) {
      return typeof fields.transition_reason === 'string' ? `${fields.state}: ${fields.transition_reason}` : fields.state;
    }
    return Object.keys(fields).join(', ');
  } catch {
    return detail;
  }
}

/** One alarm with its history, newest first as Aodh lists it. */
export default function AlarmHistoryPage() {
  const { id = '' } = useParams();
  const alarm = useApi<Alarm>('alarming', `/alarms/${encodeURIComponent(id)}`);
  const history = useApi<AlarmChange[]>('alarming', `/alarms/${encodeURIComponent(id)}/history`, () => true, 5000);
  const rows = (history.data ?? []).map((change) => ({ ...change, id: change.event_id }));

  return (
    <section>
      <h1>Alarm {alarm.data?.name ?? id}</h1>
      <p>
        <Link to="/alarms">All alarms</Link>
      </p>
      <ErrorNotice error={alarm.error ?? history.error} />
      {alarm.data && (
        <dl>
          <dt>State</dt>
          <dd>
            <AlarmState state={alarm.data.state} /> {alarm.data.state_reason}
          </dd>
          <dt>Type</dt>
          <dd>{alarm.data.type}</dd>
          <dt>Description</dt>
          <dd>{alarm.data.description}</dd>
        </dl>
      )}
      <h2>History</h2>
      {history.data && (
        <DataTable
          label="Alarm history"
          rows={rows}
          empty="No history recorded for this alarm."
          columns={[
            { header: 'Time', cell: (c) => new Date(`${c.timestamp}Z`).toLocaleString() },
            { header: 'Change', cell: (c) => c.type },
            { header: 'Detail', cell: (c) => <span className="detail">{describeDetail(c.detail)}</span> },
            { header: 'Severity', cell: (c) => c.severity },
          ]}
        />
      )}
    </section>
  );
}
