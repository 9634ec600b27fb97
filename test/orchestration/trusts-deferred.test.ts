/**
 * Heat's deferred auth through Keystone trusts (issue 14): a stack made by a
 * user holds a trust from that user to `heat`, shared by its nested stacks;
 * later work (a scaling signal through the presigned alarm_url) acts through
 * it, so it stops working when the user loses their role on the project, and
 * works again when the role comes back; deleting the stack deletes the trust.
 * With `deferred_auth_method: password`, or a caller Keystone lets create no
 * trust (an application credential), the stack acts as its stored caller.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getStack, orchestrationDb, stackResources } from '../../src/orchestration/store/index.js';
import type { Json } from '../support/json.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { heatApi, type HeatApi } from './support/heat-api.js';

const SCALING_TEMPLATE = {
  heat_template_version: '2016-10-14',
  resources: {
    group: { type: 'OS::Heat::AutoScalingGroup', properties: { min_size: 1, max_size: 4, resource: { type: 'OS::Heat::RandomString' } } },
    up: {
      type: 'OS::Heat::ScalingPolicy',
      properties: { auto_scaling_group_id: { get_resource: 'group' }, adjustment_type: 'change_in_capacity', scaling_adjustment: 1 },
    },
  },
};

const NET = { net: { type: 'OS::Neutron::Net', properties: { name: 'orphaned-net' } } };

interface TrustUser {
  id: string;
  heat: HeatApi;
}

describe('trusts: Heat acts later through a trust to the heat user', () => {
  let cloud: TestServer;
  let admin: string;
  let projectId: string;
  let memberRoleId: string;
  let serial = 0;
  const identity = (method: string, path: string, body?: unknown) => cloud.request(method, `/identity/v3${path}`, { token: admin, body });
  const stackRow = (id: string) => getStack(orchestrationDb(cloud.server.db), id);
  const trustsOf = async (userId: string) => {
    const listed = await identity('GET', `/OS-TRUST/trusts?trustor_user_id=${userId}`);
    assert.equal(listed.status, 200, listed.text);
    return listed.body.trusts as Json[];
  };
  const roleGrant = (userId: string) => `/projects/${projectId}/users/${userId}/roles/${memberRoleId}`;

  /** A new user with `member` on project demo, and heat-api as that user. */
  const newUser = async (): Promise<TrustUser & { password: string }> => {
    serial += 1;
    const password = 'trust-pass';
    const made = await identity('POST', '/users', { user: { name: `trusty-${serial}`, password, default_project_id: projectId } });
    assert.equal(made.status, 201, made.text);
    const id = made.body.user.id as string;
    assert.equal((await identity('PUT', roleGrant(id))).status, 204);
    const token = await cloud.token({ id, password }, { project: { id: projectId } });
    return { id, password, heat: await heatApi(cloud, token) };
  };

  const createStack = async (heat: HeatApi, name: string) => {
    const created = await heat.call('POST', '/stacks', { stack_name: name, template: SCALING_TEMPLATE });
    assert.equal(created.status, 201, created.text);
    const id = created.body.stack.id as string;
    await heat.waitFor(`/stacks/${name}/${id}`, 'CREATE_COMPLETE');
    return id;
  };

  /** The presigned alarm_url of the stack's policy, and the group's nested stack. */
  const scalingParts = async (heat: HeatApi, name: string, id: string) => {
    const policy = (await heat.call('GET', `/stacks/${name}/${id}/resources/up`)).body.resource;
    const group = (await heat.call('GET', `/stacks/${name}/${id}/resources/group`)).body.resource;
    return { alarmUrl: policy.attributes.alarm_url as string, nestedId: group.physical_resource_id as string };
  };
  const memberCount = async (nestedId: string) => (await stackResources(orchestrationDb(cloud.server.db), nestedId)).length;

  before(async () => {
    cloud = await startTestServer((config) => {
      config.orchestration.enable_stack_abandon = true;
    });
    admin = await cloud.adminToken();
    projectId = ((await identity('GET', '/projects?name=demo')).body.projects as Json[])[0]!.id as string;
    memberRoleId = ((await identity('GET', '/roles?name=member')).body.roles as Json[])[0]!.id as string;
  });
  after(() => cloud?.close());

  test('a stack holds a trust from its owner to heat, shared by its nested stacks, deleted with the stack', async () => {
    const user = await newUser();
    const id = await createStack(user.heat, 'trusted');
    const row = await stackRow(id);
    assert.ok(row?.trustId, 'the stack row has a trust id');
    const trusts = await trustsOf(user.id);
    assert.equal(trusts.length, 1);
    const trust = trusts[0]!;
    assert.equal(trust.id, row.trustId);
    const heatUser = ((await identity('GET', '/users?name=heat')).body.users as Json[])[0]!;
    assert.equal(trust.trustee_user_id, heatUser.id);
    assert.equal(trust.project_id, projectId);
    assert.equal(trust.impersonation, true);

    const { nestedId } = await scalingParts(user.heat, 'trusted', id);
    assert.equal((await stackRow(nestedId))?.trustId, row.trustId, 'the group’s nested stack acts through the root’s trust');

    assert.equal((await user.heat.call('DELETE', `/stacks/trusted/${id}`)).status, 204);
    await user.heat.waitFor(`/stacks/trusted/${id}`, 'DELETE_COMPLETE').catch(() => undefined);
    for (let i = 0; i < 100 && (await stackRow(id))?.status !== 'COMPLETE'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(await trustsOf(user.id), [], 'the trust went with the stack');
  });

  test('a scaling signal acts through the trust: it works with the role, fails without it (the nested stack UPDATE_FAILED), works again with it', async () => {
    const user = await newUser();
    const id = await createStack(user.heat, 'scaled');
    const { alarmUrl, nestedId } = await scalingParts(user.heat, 'scaled', id);
    const signal = () => cloud.request('POST', alarmUrl, { body: { current: 'alarm' } });

    assert.equal((await signal()).status, 200);
    assert.equal((await stackRow(nestedId))?.status, 'COMPLETE');
    assert.equal(await memberCount(nestedId), 2);

    assert.equal((await identity('DELETE', roleGrant(user.id))).status, 204);
    const refused = await signal();
    assert.ok(refused.status === 401 || refused.status === 403, `${refused.status} ${refused.text}`);
    const nested = await stackRow(nestedId);
    assert.equal(`${nested?.action}_${nested?.status}`, 'UPDATE_FAILED');
    assert.match(nested!.statusReason, /^Resource UPDATE failed: .+/);
    assert.equal(await memberCount(nestedId), 2, 'nothing was made without the role');

    assert.equal((await identity('PUT', roleGrant(user.id))).status, 204);
    const heat = await heatApi(cloud, await cloud.token({ id: user.id, password: user.password }, { project: { id: projectId } }));
    assert.equal((await signal()).status, 200);
    assert.equal((await stackRow(nestedId))?.status, 'COMPLETE');
    // The group kept the size the refused signal asked for (as Heat's keeps its failed member): this one makes both.
    assert.equal(await memberCount(nestedId), 4);

    assert.equal((await heat.call('DELETE', `/stacks/scaled/${id}`)).status, 204);
    await heat.waitFor(`/stacks/scaled/${id}`, 'DELETE_COMPLETE').catch(() => undefined);
    for (let i = 0; i < 100 && (await trustsOf(user.id)).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(await trustsOf(user.id), []);
  });

  test('once the owner deletes the trust, deferred work fails where it acts, with identity’s error; the owner’s own update acts as them', async () => {
    const user = await newUser();
    const id = await createStack(user.heat, 'untrusted');
    const { alarmUrl, nestedId } = await scalingParts(user.heat, 'untrusted', id);
    const trustId = (await stackRow(id))!.trustId!;
    const userToken = await cloud.token({ id: user.id, password: user.password }, { project: { id: projectId } });
    assert.equal((await cloud.request('DELETE', `/identity/v3/OS-TRUST/trusts/${trustId}`, { token: userToken })).status, 204);

    const refused = await cloud.request('POST', alarmUrl, { body: { current: 'alarm' } });
    assert.ok(refused.status === 401 || refused.status === 404, `${refused.status} ${refused.text}`);
    const nested = await stackRow(nestedId);
    assert.equal(`${nested?.action}_${nested?.status}`, 'UPDATE_FAILED');
    assert.match(nested!.statusReason, /Could not find trust: /);
    assert.equal(await memberCount(nestedId), 1, 'nothing was made through the deleted trust');

    // An update the owner asks for runs in their request's context, as Heat's does.
    const template = {
      ...SCALING_TEMPLATE,
      resources: { ...SCALING_TEMPLATE.resources, net: { type: 'OS::Neutron::Net', properties: { name: 'untrusted-net' } } },
    };
    assert.equal((await user.heat.call('PUT', `/stacks/untrusted/${id}`, { template })).status, 202);
    await user.heat.waitFor(`/stacks/untrusted/${id}`, 'UPDATE_COMPLETE');
    const networks = await cloud.request('GET', '/network/v2.0/networks?name=untrusted-net', { token: admin });
    assert.equal(networks.body.networks.length, 1, 'the owner’s update made the network');
  });

  test('a delete acts as whoever asked: an admin deletes the stack of a user who is gone, trust and all', async () => {
    const user = await newUser();
    const heat = user.heat;
    const created = await heat.call('POST', '/stacks', { stack_name: 'orphaned', template: { heat_template_version: '2016-10-14', resources: NET } });
    assert.equal(created.status, 201, created.text);
    const id = created.body.stack.id as string;
    await heat.waitFor(`/stacks/orphaned/${id}`, 'CREATE_COMPLETE');
    assert.equal((await identity('DELETE', `/users/${user.id}`)).status, 204);

    // The cloud admin, given a role in the project, as an operator cleaning it up.
    const adminUser = ((await identity('GET', '/users?name=admin')).body.users as Json[])[0]!;
    const adminRoleId = ((await identity('GET', '/roles?name=admin')).body.roles as Json[])[0]!.id as string;
    assert.equal((await identity('PUT', `/projects/${projectId}/users/${String(adminUser.id)}/roles/${adminRoleId}`)).status, 204);
    const adminHeat = await heatApi(cloud, await cloud.token({ name: 'admin', password: cloud.adminPassword }, { project: { id: projectId } }));
    const stackUrl = `/stacks/orphaned/${id}`;
    const deleted = await adminHeat.call('DELETE', stackUrl);
    assert.equal(deleted.status, 204, deleted.text);
    await adminHeat.waitFor(stackUrl, 'DELETE_COMPLETE');
    const networks = await cloud.request('GET', '/network/v2.0/networks?name=orphaned-net', { token: admin });
    assert.deepEqual(networks.body.networks, []);
  });

  test('abandon deletes the trust', async () => {
    const user = await newUser();
    const id = await createStack(user.heat, 'abandoned');
    assert.equal((await trustsOf(user.id)).length, 1);
    const abandoned = await user.heat.call('DELETE', `/stacks/abandoned/${id}/abandon`);
    assert.equal(abandoned.status, 200, abandoned.text);
    assert.deepEqual(await trustsOf(user.id), []);
  });

  test('an application credential makes no trust: the stack acts as its stored caller', async () => {
    const user = await newUser();
    const userToken = await cloud.token({ id: user.id, password: user.password }, { project: { id: projectId } });
    const credential = await cloud.request('POST', `/identity/v3/users/${user.id}/application_credentials`, {
      token: userToken,
      body: { application_credential: { name: 'heat-test', secret: 'app-secret' } },
    });
    assert.equal(credential.status, 201, credential.text);
    const issued = await cloud.request('POST', '/identity/v3/auth/tokens', {
      body: {
        auth: {
          identity: { methods: ['application_credential'], application_credential: { id: credential.body.application_credential.id, secret: 'app-secret' } },
        },
      },
    });
    assert.equal(issued.status, 201, issued.text);
    const heat = await heatApi(cloud, issued.headers.get('x-subject-token')!);
    const id = await createStack(heat, 'by-app-credential');
    assert.equal((await stackRow(id))?.trustId, null);
    assert.deepEqual(await trustsOf(user.id), []);
    const { alarmUrl, nestedId } = await scalingParts(heat, 'by-app-credential', id);
    assert.equal((await cloud.request('POST', alarmUrl, { body: {} })).status, 200);
    assert.equal(await memberCount(nestedId), 2);
  });
});

describe('trusts: deferred_auth_method password', () => {
  let cloud: TestServer;
  before(async () => {
    cloud = await startTestServer((config) => {
      config.orchestration.deferred_auth_method = 'password';
    });
  });
  after(() => cloud?.close());

  test('the stack keeps no trust and acts as the caller stored with it', async () => {
    const heat = await heatApi(cloud, await cloud.demoToken());
    const created = await heat.call('POST', '/stacks', { stack_name: 'stored', template: SCALING_TEMPLATE });
    assert.equal(created.status, 201, created.text);
    const id = created.body.stack.id as string;
    await heat.waitFor(`/stacks/stored/${id}`, 'CREATE_COMPLETE');
    assert.equal((await getStack(orchestrationDb(cloud.server.db), id))?.trustId, null);
    const admin = await cloud.adminToken();
    const demo = ((await cloud.request('GET', '/identity/v3/users?name=demo', { token: admin })).body.users as Json[])[0]!;
    const trusts = await cloud.request('GET', `/identity/v3/OS-TRUST/trusts?trustor_user_id=${demo.id}`, { token: admin });
    assert.deepEqual(trusts.body.trusts, []);
    const policy = (await heat.call('GET', `/stacks/stored/${id}/resources/up`)).body.resource;
    assert.equal((await cloud.request('POST', policy.attributes.alarm_url as string, { body: {} })).status, 200);
    const size = (await heat.call('GET', `/stacks/stored/${id}/resources/group`)).body.resource.attributes.current_size;
    assert.equal(size, 2);
  });
});
