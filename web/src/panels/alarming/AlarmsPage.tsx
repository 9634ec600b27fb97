import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { Alarm } from '../../api/alarming';
import { useAction, useApi } from '../../api/hooks';
import type { Session } from '../../api/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { AlarmState } from './AlarmState';
import { CreateAlarmForm, type NewAlarm } from './CreateAlarmForm';

type Change = { create: NewAlarm } | { enable: Alarm; enabled: boolean } | { remove: Alarm };

/** Aodh has no partial update: enabling sends the whole alarm back with `enabled` changed, as aodhclient does. */
function changeAlarms(session: Session, change: Change): Promise<unknown> {
  if ('create' in change) return api(session, 'alarming', '/alarms', { method: 'POST', body: change.create });
  if ('enable' in change)
    return api(session, 'alarming', `/alarms/${change.enable.alarm_id}`, { method: 'PUT', body: { ...change.enable, enabled: change.enabled } });
  return api(session, 'alarming', `/alarms/${change.remove.alarm_id}`, { method: 'DELETE' });
}

export default function AlarmsPage() {
  // Aodh's evaluator changes states on its own: the list polls while it is on screen.
  const alarms = useApi<Alarm[]>('alarming', '/alarms', (list) => list.length > 0, 5000);
  const change = useAction<Change>(['alarming'], changeAlarms);
  // A metric's chart links here with its resource, metric, granularity and aggregation filled in.
  const [prefill] = useSearchParams();
  const rows = (alarms.data ?? []).map((alarm) => ({ ...alarm, id: alarm.alarm_id }));

  return (
    <section>
      <h1>Alarms</h1>
      <CreateAlarmForm prefill={prefill} busy={change.isPending} onCreate={(alarm) => change.mutate({ create: alarm })} />
      <ErrorNotice error={alarms.error ?? change.error} />
      {alarms.data && (
        <DataTable
          label="Alarms"
          rows={rows}
          empty="No alarms in this project: create one above."
          columns={[
            { header: 'Name', cell: (a) => <Link to={`/alarms/${a.alarm_id}`}>{a.name}</Link> },
            { header: 'Type', cell: (a) => a.type },
            { header: 'State', cell: (a) => <AlarmState state={a.state} /> },
            { header: 'Severity', cell: (a) => <span className={`severity-${a.severity}`}>{a.severity}</span> },
            { header: 'Enabled', cell: (a) => (a.enabled ? 'Yes' : 'No') },
            {
              header: 'Evaluation',
              cell: (a) => (
                <button type="button" onClick={() => change.mutate({ enable: a, enabled: !a.enabled })}>
                  {a.enabled ? 'Disable' : 'Enable'} {a.name}
                </button>
              ),
            },
            { header: 'Delete', cell: (a) => <ConfirmButton label="Delete" subject={a.name} onConfirm={() => change.mutate({ remove: a })} /> },
          ]}
        />
      )}
    </section>
  );
}
