import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { ComputeService } from './compute-services';

/** Nova's services with their state; a compute service is disabled (no new instances scheduled there) or enabled again. */
export function ComputeServices() {
  const services = useApi<{ services: ComputeService[] }>('compute', '/os-services');
  const change = useAction<{ service: ComputeService; to: 'enable' | 'disable' }>(['compute'], (session, { service, to }) =>
    api(session, 'compute', `/os-services/${to}`, { method: 'PUT', body: { host: service.host, binary: service.binary } }),
  );
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
            { header: 'Updated', cell: (s) => s.updated_at ?? '' },
            {
              header: 'Scheduling',
              cell: (s) => {
                const to = s.status === 'enabled' ? 'disable' : 'enable';
                return (
                  <button
                    type="button"
                    disabled={change.isPending}
                    onClick={() => change.mutate({ service: s.service, to })}
                    aria-label={`${to === 'enable' ? 'Enable' : 'Disable'} ${s.binary} on ${s.host}`}
                  >
                    {to === 'enable' ? 'Enable' : 'Disable'}
                  </button>
                );
              },
            },
          ]}
        />
      )}
    </section>
  );
}
