import { useApi } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ComputeServices } from './ComputeServices';

interface CatalogEntry {
  id: string;
  type: string;
  name: string;
  endpoints: { id: string; interface: string; region_id?: string; region?: string; url: string }[];
}

interface VolumeService {
  binary: string;
  host: string;
  zone: string;
  status: string;
  state: string;
  updated_at: string | null;
}

interface Agent {
  id: string;
  agent_type: string;
  binary: string;
  host: string;
  availability_zone: string | null;
  alive: boolean;
  admin_state_up: boolean;
}

/** One endpoint a row, by service, region and interface, as the token's catalog gives them. */
function Catalog() {
  const catalog = useApi<{ catalog: CatalogEntry[] }>('identity', '/auth/catalog');
  const rows = (catalog.data?.catalog ?? [])
    .flatMap((service) => service.endpoints.map((e) => ({ ...e, service })))
    .sort(
      (a, b) => a.service.type.localeCompare(b.service.type) || (a.region_id ?? '').localeCompare(b.region_id ?? '') || a.interface.localeCompare(b.interface),
    );
  return (
    <section aria-labelledby="catalog">
      <h2 id="catalog">Services</h2>
      <ErrorNotice error={catalog.error} />
      {catalog.data && (
        <DataTable
          label="Service catalog"
          rows={rows}
          empty="The catalog lists no service."
          columns={[
            { header: 'Type', cell: (e) => e.service.type },
            { header: 'Name', cell: (e) => e.service.name },
            { header: 'Region', cell: (e) => e.region_id ?? e.region ?? '' },
            { header: 'Interface', cell: (e) => e.interface },
            { header: 'URL', cell: (e) => <code>{e.url}</code> },
          ]}
        />
      )}
    </section>
  );
}

function VolumeServices() {
  const services = useApi<{ services: VolumeService[] }>('volumev3', '/os-services');
  return (
    <section aria-labelledby="volume-services">
      <h2 id="volume-services">Block storage services</h2>
      <ErrorNotice error={services.error} />
      {services.data && (
        <DataTable
          label="Block storage services"
          rows={services.data.services.map((s) => ({ ...s, id: `${s.binary}@${s.host}` }))}
          empty="No block storage service has reported."
          columns={[
            { header: 'Binary', cell: (s) => s.binary },
            { header: 'Host', cell: (s) => s.host },
            { header: 'Zone', cell: (s) => s.zone },
            { header: 'Status', cell: (s) => s.status },
            { header: 'State', cell: (s) => s.state },
            { header: 'Updated', cell: (s) => s.updated_at ?? '' },
          ]}
        />
      )}
    </section>
  );
}

function NetworkAgents() {
  const agents = useApi<{ agents: Agent[] }>('network', '/agents');
  return (
    <section aria-labelledby="network-agents">
      <h2 id="network-agents">Network agents</h2>
      <ErrorNotice error={agents.error} />
      {agents.data && (
        <DataTable
          label="Network agents"
          rows={agents.data.agents}
          empty="Neutron lists no agents."
          columns={[
            { header: 'Type', cell: (a) => a.agent_type },
            { header: 'Binary', cell: (a) => a.binary },
            { header: 'Host', cell: (a) => a.host },
            { header: 'Zone', cell: (a) => a.availability_zone ?? '' },
            { header: 'Alive', cell: (a) => (a.alive ? 'Yes' : 'No') },
            { header: 'Admin state', cell: (a) => (a.admin_state_up ? 'Up' : 'Down') },
          ]}
        />
      )}
    </section>
  );
}

/** The cloud as its services describe it; every section asks its own API in parallel. */
export default function SystemInfoPage() {
  return (
    <section>
      <h1>System information</h1>
      <Catalog />
      <ComputeServices />
      <VolumeServices />
      <NetworkAgents />
    </section>
  );
}
