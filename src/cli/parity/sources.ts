/**
 * Where each service's operation list comes from, and where Nimbus serves
 * that service: an api-ref path is relative to the service's endpoint (Nova's
 * `/servers` is `/compute/v2.1/servers`) except the version documents, which
 * sit at the service's root.
 */
export interface ParitySource {
  /** Nimbus's name for the service (its catalog type). */
  service: string;
  /** The project whose documentation lists the operations (owner/name). */
  repository: string;
  /** `api-ref`: reStructuredText `.inc` files; `gnocchi-rest`: Gnocchi's rest.yaml examples. */
  format: 'api-ref' | 'gnocchi-rest';
  /** The documentation files read, relative to the repository. */
  files: RegExp;
  /** Nimbus's mount point of the service. */
  root: string;
  /** What an api-ref path is relative to (the catalog endpoint's path). */
  endpoint: string;
}

export const PARITY_SOURCES: ParitySource[] = [
  {
    service: 'identity',
    repository: 'openstack/keystone',
    format: 'api-ref',
    files: /^api-ref\/source\/v3(-ext)?\/.*\.inc$/,
    root: '/identity',
    endpoint: '/identity',
  },
  { service: 'compute', repository: 'openstack/nova', format: 'api-ref', files: /^api-ref\/source\/[^/]+\.inc$/, root: '/compute', endpoint: '/compute/v2.1' },
  {
    service: 'placement',
    repository: 'openstack/placement',
    format: 'api-ref',
    files: /^api-ref\/source\/[^/]+\.inc$/,
    root: '/placement',
    endpoint: '/placement',
  },
  { service: 'image', repository: 'openstack/glance', format: 'api-ref', files: /^api-ref\/source\/(v2\/)?[^/]+\.inc$/, root: '/image', endpoint: '/image' },
  {
    service: 'network',
    repository: 'openstack/neutron-lib',
    format: 'api-ref',
    files: /^api-ref\/source\/v2\/[^/]+\.inc$/,
    root: '/network',
    endpoint: '/network',
  },
  { service: 'volume', repository: 'openstack/cinder', format: 'api-ref', files: /^api-ref\/source\/v3\/[^/]+\.inc$/, root: '/volume', endpoint: '/volume' },
  {
    service: 'object-store',
    repository: 'openstack/swift',
    format: 'api-ref',
    files: /^api-ref\/source\/[^/]+\.inc$/,
    root: '/object-store',
    endpoint: '/object-store',
  },
  {
    service: 'orchestration',
    repository: 'openstack/heat',
    format: 'api-ref',
    files: /^api-ref\/source\/v1\/[^/]+\.inc$/,
    root: '/orchestration',
    endpoint: '/orchestration',
  },
  { service: 'metric', repository: 'gnocchixyz/gnocchi', format: 'gnocchi-rest', files: /^doc\/source\/rest\.yaml$/, root: '/metric', endpoint: '/metric' },
];

/** The Nimbus path of an api-ref path: version documents (`/`, `/{api_version}/`) at the root, the rest under the endpoint. */
export function nimbusPath(source: ParitySource, path: string): string {
  // Nova documents its version document as `/{api_version}/`: the endpoint's own version.
  if (path.startsWith('/{api_version}')) return `${source.root}${path.replace('{api_version}', source.endpoint.split('/').pop() ?? '')}`;
  if (path === '/') return `${source.root}${path}`;
  return `${source.endpoint}${path}`.replace(/\/+$/, '') || '/';
}
