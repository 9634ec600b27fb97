/**
 * What `keystone-manage bootstrap` plus DevStack create on a new cloud, done
 * once on the first start: the Default domain, the admin/member/reader roles
 * (admin implies member implies reader), service and ResellerAdmin roles, the
 * admin, demo and service projects and users, and RegionOne. The catalog is
 * synced on every start, so a new service or a new port shows up by itself.
 */
import type { CatalogEntry } from '../core/service-module.js';
import { hexId } from '../core/ids.js';
import { nowIso } from '../core/time.js';
import type { IdentityConfig } from './config.js';
import * as store from './store/index.js';
import { hashPassword } from './service/passwords.js';

export const DEFAULT_DOMAIN_ID = 'default';
export const REGION = 'RegionOne';
const INTERFACES = ['public', 'internal', 'admin'] as const;

export interface BootstrapPasswords {
  admin: string;
  demo: string;
  service: string;
}

/** Service users DevStack makes, one per service, in project `service` with roles service and admin. */
const SERVICE_USERS = ['nova', 'placement', 'glance', 'neutron', 'cinder', 'swift', 'heat', 'ceilometer', 'gnocchi', 'aodh'];

export async function isBootstrapped(db: store.IdentityDb): Promise<boolean> {
  return (await store.getDomain(db, DEFAULT_DOMAIN_ID)) !== undefined;
}

export async function bootstrap(db: import('kysely').Kysely<store.IdentityTables>, config: IdentityConfig, passwords: BootstrapPasswords): Promise<void> {
  const rounds = config.identity.password_hash_rounds;
  // Hash before the transaction: bcrypt at cost 12 is slow, and runs on the thread pool in parallel.
  const [adminHash, demoHash, serviceHash] = await Promise.all([
    hashPassword(passwords.admin, rounds),
    hashPassword(passwords.demo, rounds),
    hashPassword(passwords.service, rounds),
  ]);
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await store.insertDomain(trx, {
      id: DEFAULT_DOMAIN_ID,
      name: 'Default',
      description: 'The default domain',
      enabled: true,
      extra: '{}',
      created_at: now,
    });
    const roles: Record<string, string> = {};
    for (const name of ['admin', 'member', 'reader', 'service', 'ResellerAdmin']) {
      roles[name] = hexId();
      await store.insertRole(trx, { id: roles[name], name, domain_id: '', description: null, options: '{}', extra: '{}', created_at: now });
    }
    await store.insertImpliedRole(trx, roles.admin as string, roles.member as string);
    await store.insertImpliedRole(trx, roles.member as string, roles.reader as string);

    const project = async (name: string, description: string) => {
      const id = hexId();
      await store.insertProject(trx, { id, name, domain_id: DEFAULT_DOMAIN_ID, parent_id: null, description, enabled: true, extra: '{}', created_at: now }, []);
      return id;
    };
    const adminProject = await project('admin', 'Bootstrap project for initializing the cloud.');
    const demoProject = await project('demo', 'The demo project');
    const serviceProject = await project('service', 'Project of the service users');

    const user = async (name: string, hash: string, defaultProject: string) => {
      const id = hexId();
      await store.insertUser(trx, {
        id,
        name,
        domain_id: DEFAULT_DOMAIN_ID,
        enabled: true,
        default_project_id: defaultProject,
        description: null,
        extra: '{}',
        options: '{}',
        failed_auth_count: 0,
        failed_auth_at: null,
        last_active_at: null,
        created_at: now,
      });
      await store.insertPassword(trx, { id: hexId(), user_id: id, hash, self_service: false, expires_at: null, created_at: now });
      return id;
    };
    const grant = (type: store.AssignmentType, actor: string, target: string, role: string) =>
      store.insertAssignment(trx, { type, actor_id: actor, target_id: target, role_id: role, inherited: false });

    const admin = await user('admin', adminHash, adminProject);
    await grant('UserProject', admin, adminProject, roles.admin as string);
    await grant('UserSystem', admin, 'system', roles.admin as string);
    await grant('UserDomain', admin, DEFAULT_DOMAIN_ID, roles.admin as string);
    const demo = await user('demo', demoHash, demoProject);
    await grant('UserProject', demo, demoProject, roles.member as string);
    for (const name of SERVICE_USERS) {
      const id = await user(name, serviceHash, serviceProject);
      await grant('UserProject', id, serviceProject, roles.service as string);
      await grant('UserProject', id, serviceProject, roles.admin as string);
    }
    await store.insertRegion(trx, { id: REGION, description: '', parent_region_id: null, extra: '{}' });
  });
}

/** The admin project's id (tokens scoped to it are is_admin_project). */
export async function adminProjectId(db: store.IdentityDb): Promise<string | null> {
  return (await store.findProjectByName(db, DEFAULT_DOMAIN_ID, 'admin'))?.id ?? null;
}

/**
 * Makes the catalog match the services this server runs: one service per
 * entry (found by type) with public, internal and admin endpoints at
 * `publicUrl + path`. Services and endpoints an operator added are left alone.
 */
export async function syncCatalog(db: import('kysely').Kysely<store.IdentityTables>, entries: CatalogEntry[], publicUrl: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const entry of entries) {
      const url = publicUrl + entry.path;
      let service = (await store.listServices(trx, { type: entry.type }))[0];
      if (!service) {
        const id = hexId();
        await store.insertService(trx, { id, type: entry.type, name: entry.name, description: null, enabled: true, extra: '{}' });
        service = await store.getServiceOrThrow(trx, id);
      }
      const endpoints = await store.listEndpoints(trx, { serviceId: service.id });
      for (const iface of INTERFACES) {
        const existing = endpoints.find((e) => e.interface === iface && e.region_id === REGION);
        if (!existing) {
          await store.insertEndpoint(trx, { id: hexId(), service_id: service.id, interface: iface, url, region_id: REGION, enabled: true, extra: '{}' });
        } else if (existing.url !== url) {
          await store.updateEndpoint(trx, existing.id, { url });
        }
      }
    }
  });
}
