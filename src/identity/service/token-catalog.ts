/**
 * The service catalog as tokens carry it: enabled services with their
 * enabled endpoints, project id substituted into URLs. Endpoints whose URL
 * needs a project are left out of tokens without one, as Keystone does.
 * A project associated with endpoints or endpoint groups (OS-EP-FILTER)
 * sees only those.
 */
import { toBool } from '../../core/db/values.js';
import { listEndpoints, listServices, type IdentityDb } from '../store/index.js';
import { projectEndpoints } from './endpoint-filter.js';

export interface CatalogEndpoint {
  id: string;
  interface: string;
  region: string | null;
  region_id: string | null;
  url: string;
}

export interface CatalogService {
  id: string;
  type: string;
  name: string;
  endpoints: CatalogEndpoint[];
}

const PROJECT_PLACEHOLDER = /\$\((project_id|tenant_id)\)s|%\((project_id|tenant_id)\)s/g;

export async function tokenCatalog(db: IdentityDb, projectId: string | null): Promise<CatalogService[]> {
  const services = (await listServices(db, {})).filter((s) => toBool(s.enabled));
  const associated = projectId ? await projectEndpoints(db, projectId) : new Map<string, unknown>();
  const endpoints = (await listEndpoints(db, { enabled: true })).filter((e) => associated.size === 0 || associated.has(e.id));
  const catalog = services.map((service) => ({
    id: service.id,
    type: service.type,
    name: service.name ?? '',
    endpoints: endpoints
      .filter((e) => e.service_id === service.id)
      .flatMap((e) => {
        const needsProject = e.url.match(PROJECT_PLACEHOLDER) !== null;
        if (needsProject && !projectId) return [];
        return [
          {
            id: e.id,
            interface: e.interface,
            region: e.region_id,
            region_id: e.region_id,
            url: needsProject ? e.url.replace(PROJECT_PLACEHOLDER, projectId as string) : e.url,
          },
        ];
      }),
  }));
  // A filtered catalog leaves out services none of whose endpoints the project is associated with.
  return associated.size === 0 ? catalog : catalog.filter((service) => service.endpoints.length > 0);
}
