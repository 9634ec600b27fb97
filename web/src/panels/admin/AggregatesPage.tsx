import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import type { Session } from '../../api/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import type { ComputeService } from './compute-services';
import { KeyValueEditor } from './KeyValueEditor';

interface Aggregate {
  id: number;
  name: string;
  availability_zone: string | null;
  hosts: string[];
  metadata: Record<string, string>;
}

type Change =
  | { create: { name: string; availability_zone?: string } }
  | { remove: Aggregate }
  | {
      aggregate: Aggregate;
      action: { add_host: { host: string } } | { remove_host: { host: string } } | { set_metadata: { metadata: Record<string, string | null> } };
    };

function changeAggregates(session: Session, change: Change): Promise<unknown> {
  if ('create' in change) return api(session, 'compute', '/os-aggregates', { method: 'POST', body: { aggregate: change.create } });
  if ('remove' in change) return api(session, 'compute', `/os-aggregates/${change.remove.id}`, { method: 'DELETE' });
  return api(session, 'compute', `/os-aggregates/${change.aggregate.id}/action`, { method: 'POST', body: change.action });
}

/** Nova's host aggregates: groups of compute hosts, optionally exposed as an availability zone, with metadata for scheduling. */
export default function AggregatesPage() {
  const aggregates = useApi<{ aggregates: Aggregate[] }>('compute', '/os-aggregates');
  const services = useApi<{ services: ComputeService[] }>('compute', '/os-services?binary=nova-compute');
  const change = useAction(['compute'], changeAggregates);
  const [shownId, setShownId] = useState<number | null>(null);
  const shown = aggregates.data?.aggregates.find((a) => a.id === shownId);
  const hosts = services.data?.services.map((s) => s.host) ?? [];

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const zone = String(form.get('zone')).trim();
    change.mutate({ create: { name: String(form.get('name')).trim(), ...(zone && { availability_zone: zone }) } });
    event.currentTarget.reset();
  }

  function hostControls(aggregate: Aggregate) {
    const addable = hosts.filter((h) => !aggregate.hosts.includes(h));
    return (
      <>
        {aggregate.hosts.map((host) => (
          <button
            key={host}
            type="button"
            onClick={() => change.mutate({ aggregate, action: { remove_host: { host } } })}
            aria-label={`Remove ${host} from ${aggregate.name}`}
          >
            Remove {host}
          </button>
        ))}
        {addable.length > 0 && (
          <form
            className="inline"
            onSubmit={(event) => {
              event.preventDefault();
              change.mutate({ aggregate, action: { add_host: { host: String(new FormData(event.currentTarget).get('host')) } } });
            }}
          >
            <label>
              Host for {aggregate.name}
              <select name="host">
                {addable.map((h) => (
                  <option key={h}>{h}</option>
                ))}
              </select>
            </label>
            <button type="submit" aria-label={`Add host to ${aggregate.name}`}>
              Add host
            </button>
          </form>
        )}
      </>
    );
  }

  return (
    <section>
      <h1>Host aggregates</h1>
      <form className="form inline" onSubmit={create} aria-label="Create host aggregate">
        <TextField label="Aggregate name" name="name" required />
        <TextField label="Availability zone (optional)" name="zone" />
        <button type="submit" disabled={change.isPending}>
          Create aggregate
        </button>
      </form>
      <ErrorNotice error={aggregates.error ?? services.error ?? change.error} />
      {aggregates.data && (
        <DataTable
          label="Host aggregates"
          rows={aggregates.data.aggregates.map((a) => ({ ...a, id: String(a.id), aggregate: a }))}
          empty="No host aggregates: create one to group hosts or expose an availability zone."
          columns={[
            { header: 'Name', cell: (a) => a.name },
            { header: 'Availability zone', cell: (a) => a.availability_zone ?? '' },
            { header: 'Hosts', cell: (a) => a.hosts.join(', ') },
            { header: 'Manage hosts', cell: (a) => hostControls(a.aggregate) },
            {
              header: 'Metadata',
              cell: (a) => (
                <button
                  type="button"
                  aria-pressed={shownId === a.aggregate.id}
                  onClick={() => setShownId(shownId === a.aggregate.id ? null : a.aggregate.id)}
                  aria-label={`Metadata of ${a.name}`}
                >
                  Metadata ({Object.keys(a.metadata).length})
                </button>
              ),
            },
            { header: 'Delete', cell: (a) => <ConfirmButton label="Delete" subject={a.name} onConfirm={() => change.mutate({ remove: a.aggregate })} /> },
          ]}
        />
      )}
      {shown && (
        <section aria-label={`Metadata of ${shown.name}`}>
          <h2>Metadata of {shown.name}</h2>
          <KeyValueEditor
            label="Metadata"
            entries={shown.metadata}
            busy={change.isPending}
            onSet={(key, value) => change.mutate({ aggregate: shown, action: { set_metadata: { metadata: { [key]: value } } } })}
            onUnset={(key) => change.mutate({ aggregate: shown, action: { set_metadata: { metadata: { [key]: null } } } })}
          />
        </section>
      )}
    </section>
  );
}
