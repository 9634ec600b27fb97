import { useApi } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ComputeServices } from './ComputeServices';
import './admin.css';

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

const INTERFACES = ['public', 'internal', 'admin'] as const;

interface CatalogRow {
  id: string;
  service: CatalogEntry;
  region: string;
  urls: Record<string, string>;
}

/** One row per service and region, its URL on each interface, as the token's catalog gives them. */
function catalogRows(catalog: CatalogEntry[]): CatalogRow[] {
  return catalog
    .flatMap((service) => {
      const regions = [...new Set(service.endpoints.map((e) => e.region_id ?? e.region ?? ''))];
      return regions.map((region) => {
        const inRegion = service.endpoints.filter((e) => (e.region_id ?? e.region ?? '') === region);
        const urls = Object.fromEntries(INTERFACES.map((i) => [i, inRegion.find((e) => e.interface === i)?.url ?? '']));
        return { id: `${service.id}@${region}`, service, region, urls };
      });
    })
    .sort((a, b) => a.service.type.localeCompare(b.service.type) || a.region.localeCompare(b.region));
}

function Catalog() {
  const catalog = useApi<{ catalog: CatalogEntry[] }>('identity', '/auth/catalog');
  return (
    <section aria-labelledby="catalog" className="catalog">
      <h2 id="catalog">Services</h2>
      <ErrorNotice error={catalog.error} />
      {catalog.data && (
        <DataTable
          label="Service catalog"
          rows={catalogRows(catalog.data.catalog)}
          empty="The catalog lists no service."
          columns={[
            { header: 'Type', cell: (r) => r.service.type },
            { header: 'Name', cell: (r) => r.service.name },
            { header: 'Region', cell: (r) => r.region },
            ...INTERFACES.map((i) => ({
              header: `${i[0]?.toUpperCase()}${i.slice(1)} URL`,
              cell: (r: ReturnType<typeof catalogRows>[number]) => <code>{r.urls[i]}</code>,
            })),
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
