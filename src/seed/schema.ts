/**
 * The seed file's shape, checked as a whole before anything is applied:
 * unknown keys, missing names and values of the wrong type are each an error
 * naming its line and column, and the server does not start.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { Seed } from './model.js';
import { SeedError, type SeedPath, type SeedSource } from './source.js';
import { lazy } from '../core/lazy.js';

type Schema = Record<string, unknown>;

const string: Schema = { type: 'string' };
const nonEmpty: Schema = { type: 'string', minLength: 1 };
const boolean: Schema = { type: 'boolean' };
const count: Schema = { type: 'integer', minimum: 0 };
const strings: Schema = { type: 'array', items: string };
const stringMap: Schema = { type: 'object', additionalProperties: string };
const anyObject: Schema = { type: 'object' };
const limits: Schema = { type: 'object', additionalProperties: { type: 'integer', minimum: -1 } };

/** A mapping with exactly these keys, `required` among them. */
function entry(required: string[], properties: Record<string, Schema>): Schema {
  return { type: 'object', required, properties, additionalProperties: false };
}

function list(item: Schema): Schema {
  return { type: 'array', items: item };
}

const roleGrant = entry(['role'], { role: nonEmpty, project: nonEmpty, domain: nonEmpty });
const owned = { project: nonEmpty, user: nonEmpty };

const SEED_SCHEMA = entry([], {
  domains: list(entry(['name'], { name: nonEmpty, description: string, enabled: boolean })),
  projects: list(
    entry(['name'], {
      name: nonEmpty,
      domain: nonEmpty,
      description: string,
      enabled: boolean,
      tags: strings,
      quotas: entry([], { compute: limits, network: limits, volume: limits }),
    }),
  ),
  users: list(
    entry(['name', 'password'], {
      name: nonEmpty,
      domain: nonEmpty,
      password: nonEmpty,
      email: string,
      description: string,
      enabled: boolean,
      default_project: nonEmpty,
      roles: list(roleGrant),
    }),
  ),
  groups: list(entry(['name'], { name: nonEmpty, domain: nonEmpty, description: string, users: strings, roles: list(roleGrant) })),
  application_credentials: list(
    entry(['name', 'user', 'project', 'secret'], {
      name: nonEmpty,
      user: nonEmpty,
      project: nonEmpty,
      secret: nonEmpty,
      description: string,
      roles: strings,
      expires_at: nonEmpty,
      unrestricted: boolean,
    }),
  ),
  flavors: list(
    entry(['name', 'ram_mb', 'vcpus', 'disk_gb'], {
      name: nonEmpty,
      ram_mb: { type: 'integer', minimum: 1 },
      vcpus: { type: 'integer', minimum: 1 },
      disk_gb: count,
      ephemeral_gb: count,
      swap_mb: count,
      public: boolean,
      description: string,
      extra_specs: stringMap,
      projects: strings,
    }),
  ),
  images: list(
    entry(['name'], {
      name: nonEmpty,
      project: nonEmpty,
      file: nonEmpty,
      generate: entry(['size_mb', 'format'], { size_mb: { type: 'integer', minimum: 1, maximum: 1024 }, format: { enum: ['raw', 'qcow2'] } }),
      disk_format: nonEmpty,
      container_format: nonEmpty,
      visibility: { enum: ['public', 'private', 'shared', 'community'] },
      min_disk: count,
      min_ram: count,
      properties: stringMap,
      tags: strings,
    }),
  ),
  networks: list(
    entry(['name'], {
      name: nonEmpty,
      project: nonEmpty,
      description: string,
      shared: boolean,
      external: boolean,
      mtu: { type: 'integer', minimum: 68 },
      port_security_enabled: boolean,
    }),
  ),
  subnets: list(
    entry(['name', 'network', 'cidr'], {
      name: nonEmpty,
      network: nonEmpty,
      cidr: nonEmpty,
      project: nonEmpty,
      ip_version: { enum: [4, 6] },
      gateway_ip: { type: ['string', 'null'] },
      enable_dhcp: boolean,
      dns_nameservers: strings,
      allocation_pools: list(entry(['start', 'end'], { start: nonEmpty, end: nonEmpty })),
      description: string,
    }),
  ),
  routers: list(entry(['name'], { name: nonEmpty, project: nonEmpty, description: string, external_gateway: nonEmpty, interfaces: strings })),
  security_groups: list(
    entry(['name'], {
      name: nonEmpty,
      project: nonEmpty,
      description: string,
      stateful: boolean,
      rules: list(
        entry(['direction'], {
          direction: { enum: ['ingress', 'egress'] },
          ethertype: { enum: ['IPv4', 'IPv6'] },
          protocol: nonEmpty,
          port_range_min: { type: 'integer', minimum: 0, maximum: 65535 },
          port_range_max: { type: 'integer', minimum: 0, maximum: 65535 },
          remote_ip_prefix: nonEmpty,
          remote_group: nonEmpty,
          description: string,
        }),
      ),
    }),
  ),
  keypairs: list(entry(['name', 'user'], { name: nonEmpty, user: nonEmpty, project: nonEmpty, public_key: nonEmpty, type: { enum: ['ssh', 'x509'] } })),
  volumes: list(
    entry(['name', 'size_gb'], {
      name: nonEmpty,
      size_gb: { type: 'integer', minimum: 1 },
      ...owned,
      description: string,
      image: nonEmpty,
      volume_type: nonEmpty,
      availability_zone: nonEmpty,
      metadata: stringMap,
    }),
  ),
  containers: list(
    entry(['name'], {
      name: nonEmpty,
      ...owned,
      read_acl: string,
      write_acl: string,
      metadata: stringMap,
      objects: list(entry(['name'], { name: nonEmpty, content: string, file: nonEmpty, content_type: nonEmpty, metadata: stringMap })),
    }),
  ),
  stacks: list(
    entry(['name'], {
      name: nonEmpty,
      ...owned,
      template: anyObject,
      template_file: nonEmpty,
      parameters: anyObject,
      environment: anyObject,
      timeout_mins: { type: 'integer', minimum: 1 },
    }),
  ),
  // Each rule's fields are checked by the fault rules themselves, in the same words as the REST API's 400.
  faults: list(anyObject),
});

const seedValidator = lazy(() => new Ajv({ allErrors: true, strict: true }).compile<Seed>(SEED_SCHEMA));

/** Entries that give exactly one of two keys: the list, the nested list in each of its entries (if any), the two keys. */
const CHOICES: ReadonlyArray<[string, string | null, [string, string]]> = [
  ['users', 'roles', ['project', 'domain']],
  ['groups', 'roles', ['project', 'domain']],
  ['images', null, ['file', 'generate']],
  ['containers', 'objects', ['content', 'file']],
  ['stacks', null, ['template', 'template_file']],
];

/** The seed's data as a Seed, or a SeedError listing every shape error (one a line, each with its place). */
export function checkShape(source: SeedSource): Seed {
  const data = source.data;
  const validate = seedValidator();
  const problems = validate(data) ? choiceProblems(source, data) : (validate.errors ?? []).map((error) => describe(source, error));
  const [first, ...rest] = problems;
  if (!first) return data as Seed;
  throw new SeedError(first.where, [first.message, ...rest.map((p) => `${p.where}: ${p.message}`)].join('\n'));
}

function choiceProblems(source: SeedSource, seed: Seed): Problem[] {
  const problems: Problem[] = [];
  for (const [list, nested, [one, other]] of CHOICES) {
    for (const [i, entry] of rows(seed, list).entries()) {
      const items: Array<[SeedPath, Record<string, unknown>]> =
        nested === null ? [[[list, i], entry]] : rows(entry, nested).map((item, j) => [[list, i, nested, j], item]);
      for (const [path, item] of items) {
        if ((item[one] === undefined) === (item[other] === undefined)) {
          problems.push({ where: source.where(path), message: `${dotted(path)} needs exactly one of '${one}' and '${other}'` });
        }
      }
    }
  }
  return problems;
}

/** The entries of a list the schema has already checked to be a list of mappings. */
function rows(parent: object, key: string): Array<Record<string, unknown>> {
  return (parent as Record<string, Array<Record<string, unknown>> | undefined>)[key] ?? [];
}

interface Problem {
  where: string;
  message: string;
}

function describe(source: SeedSource, error: ErrorObject): Problem {
  const path: SeedPath = error.instancePath
    .split('/')
    .slice(1)
    .map((step) => step.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((step) => (/^\d+$/.test(step) ? Number(step) : step));
  const name = dotted(path);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      return { where: source.where([...path, key], { key: true }), message: `unknown key '${key}'${name ? ` in ${name}` : ''}` };
    }
    case 'required':
      return { where: source.where(path), message: `${name || 'the seed'} needs '${String(error.params.missingProperty)}'` };
    case 'enum':
      return { where: source.where(path), message: `${name} must be one of ${(error.params.allowedValues as unknown[]).map(String).join(', ')}` };
    default:
      return { where: source.where(path), message: `${name || 'the seed'} ${error.message ?? 'is not valid'}` };
  }
}

/** `networks[0].shared`, as a person names the place. */
function dotted(path: SeedPath): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}
