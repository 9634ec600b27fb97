#!/usr/bin/env node
/**
 * What Heat needs in Keystone, created if missing (re-runnable), over the v3 REST API in
 * one process (the openstack CLI would take a Python start per object):
 * the `service` project and Heat's service user (admin there), the `heat`
 * (orchestration) and `heat-cfn` (cloudformation) services with public, internal and
 * admin endpoints, the heat_stack_owner and heat_stack_user roles (heat_stack_owner given
 * to the bench's user), and the stack user domain `heat` with its admin user.
 *
 *   KS_URL=http://127.0.0.1:5000/v3 ADMIN_PW=secret HEAT_PW=... DOMAIN_ADMIN_PW=... \
 *   HEAT_URL=http://127.0.0.1:8004 CFN_URL=http://127.0.0.1:8000 node keystone-heat.mjs
 */
import { URLSearchParams } from 'node:url';

const env = (name) => process.env[name] ?? (console.error(`keystone-heat: ${name} is not set`), process.exit(2));
const KS = env('KS_URL').replace(/\/$/, '');
const REGION = process.env.REGION ?? 'RegionOne';

async function call(method, path, token, body) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers['x-auth-token'] = token;
  const response = await fetch(`${KS}${path}`, { method, headers, body: body && JSON.stringify(body) });
  if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return { response, body: response.status === 204 ? undefined : await response.json() };
}

const auth = {
  auth: {
    identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: env('ADMIN_PW') } } },
    scope: { project: { name: 'admin', domain: { id: 'default' } } },
  },
};
const token = (await call('POST', '/auth/tokens', undefined, auth)).response.headers.get('x-subject-token');

/** The one `kind` matching `query`, created from `fields` when absent. */
async function ensure(kind, query, fields) {
  const found = (await call('GET', `/${kind}s?${new URLSearchParams(query)}`, token)).body[`${kind}s`];
  if (found.length) return found[0];
  return (await call('POST', `/${kind}s`, token, { [kind]: fields })).body[kind];
}

/** A user with this password (reset if the user exists from an earlier setup with another one). */
async function ensureUser(name, domainId, password) {
  const user = await ensure('user', { name, domain_id: domainId }, { name, domain_id: domainId, password, enabled: true });
  await call('PATCH', `/users/${user.id}`, token, { user: { password } });
  return user;
}

async function ensureEndpoints(name, type, url) {
  const service = await ensure('service', { type }, { name, type, enabled: true });
  for (const iface of ['public', 'internal', 'admin']) {
    const endpoint = await ensure(
      'endpoint',
      { service_id: service.id, interface: iface },
      { service_id: service.id, interface: iface, url, region_id: REGION },
    );
    if (endpoint.url !== url) await call('PATCH', `/endpoints/${endpoint.id}`, token, { endpoint: { url } });
  }
}

const role = (name) => ensure('role', { name }, { name });
const grant = (scope, scopeId, userId, roleId) => call('PUT', `/${scope}/${scopeId}/users/${userId}/roles/${roleId}`, token);

const admin = await role('admin');
const service = await ensure('project', { name: 'service', domain_id: 'default' }, { name: 'service', domain_id: 'default', description: 'Service project' });
const heat = await ensureUser('heat', 'default', env('HEAT_PW'));
await grant('projects', service.id, heat.id, admin.id);

await ensureEndpoints('heat', 'orchestration', `${env('HEAT_URL')}/v1/%(tenant_id)s`);
await ensureEndpoints('heat-cfn', 'cloudformation', `${env('CFN_URL')}/v1`);

const owner = await role('heat_stack_owner');
await role('heat_stack_user');
const adminUser = (await call('GET', '/users?name=admin&domain_id=default', token)).body.users[0];
const adminProject = (await call('GET', '/projects?name=admin&domain_id=default', token)).body.projects[0];
await grant('projects', adminProject.id, adminUser.id, owner.id);

const domain = await ensure('domain', { name: 'heat' }, { name: 'heat', description: 'Owns users and projects created by heat', enabled: true });
const domainAdmin = await ensureUser('heat_domain_admin', domain.id, env('DOMAIN_ADMIN_PW'));
await grant('domains', domain.id, domainAdmin.id, admin.id);
console.log(JSON.stringify({ stack_user_domain_id: domain.id, service_project_id: service.id }));
