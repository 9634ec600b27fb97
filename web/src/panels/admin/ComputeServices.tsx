import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { ComputeService } from './compute-services';

/** Nova 2.1's service actions name the service by host and binary; a reason, when given, is logged with the disabling. */
type Change = { service: ComputeService; enable: true } | { service: ComputeService; enable: false; reason: string };

function changeService(session: Parameters<typeof api>[0], change: Change): Promise<unknown> {
  const target = { host: change.service.host, binary: change.service.binary };
  if (change.enable) return api(session, 'compute', '/os-services/enable', { method: 'PUT', body: target });
  if (!change.reason) return api(session, 'compute', '/os-services/disable', { method: 'PUT', body: target });
  return api(session, 'compute', '/os-services/disable-log-reason', { method: 'PUT', body: { ...target, disabled_reason: change.reason } });
}

/** Nova's services with their state; a compute service is disabled (no new instances scheduled there) or enabled again. */
export function ComputeServices() {
  const services = useApi<{ services: ComputeService[] }>('compute', '/os-services');
  const change = useAction(['compute'], changeService);

  function scheduling(service: ComputeService) {
    const name = `${service.binary} on ${service.host}`;
    if (service.status === 'disabled') {
      return (
        <button type="button" disabled={change.isPending} onClick={() => change.mutate({ service, enable: true })} aria-label={`Enable ${name}`}>
          Enable
        </button>
      );
    }
    return (
      <form
        className="inline"
        onSubmit={(event) => {
          event.preventDefault();
          change.mutate({ service, enable: false, reason: String(new FormData(event.currentTarget).get('reason')).trim() });
        }}
      >
        <label>
          Reason for disabling {name} (optional)
          <input name="reason" maxLength={255} />
        </label>
        <button type="submit" disabled={change.isPending} aria-label={`Disable ${name}`}>
          Disable
        </button>
      </form>
    );
  }

  return (
    <section aria-labelledby="compute-services">
      <h2 id="compute-services">Compute services</h2>
      <ErrorNotice error={services.error ?? change.error} />
      {services.data && (
        <DataTable
          label="Compute services"
          rows={services.data.services.map((s) => ({ ...s, id: String(s.id), service: s }))}
          empty="No compute service has reported."
          columns={[
            { header: 'Binary', cell: (s) => s.binary },
            { header: 'Host', cell: (s) => s.host },
            { header: 'Zone', cell: (s) => s.zone },
            { header: 'Status', cell: (s) => s.status },
            { header: 'State', cell: (s) => s.state },
            { header: 'Disabled reason', cell: (s) => s.disabled_reason ?? '' },
            { header: 'Updated', cell: (s) => s.updated_at ?? '' },
            { header: 'Scheduling', cell: (s) => scheduling(s.service) },
          ]}
        />
      )}
    </section>
  );
}
