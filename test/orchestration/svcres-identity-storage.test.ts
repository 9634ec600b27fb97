/**
 * OS::Swift::Container and the Keystone types against a real in-process
 * cloud: ACLs, metadata and counts of a container, PurgeOnDelete; a project
 * and a user with role assignments made, updated and deleted by an admin.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IdentityOperations } from '../../src/identity/operations.js';
import type { ObjectStoreOperations } from '../../src/object-store/operations.js';
import { projectResource } from '../../src/orchestration/resources/services/identity/project.js';
import { userResource } from '../../src/orchestration/resources/services/identity/user.js';
import { containerResource } from '../../src/orchestration/resources/services/object-store/container.js';
import { startTestServer } from '../support/server.js';
import { failure, fakeResource, svcresCloud, type SvcresCloud } from './support/svcres-context.js';

describe('svcres: Swift and Keystone resource types', () => {
  let svc: SvcresCloud;
  before(async () => {
    svc = await svcresCloud(await startTestServer());
  });
  after(() => svc?.cloud.close());

  test('OS::Swift::Container: ACLs, metadata, URLs and counts; a non-empty container is kept unless PurgeOnDelete', async () => {
    const swift = svc.services['object-store'] as ObjectStoreOperations;
    const container = fakeResource(svc, containerResource);
    await container.create({ 'X-Container-Read': '.r:*', 'X-Container-Meta': { color: 'blue' } });
    const name = container.state.physicalName;
    assert.equal(container.state.physicalId, name);
    assert.equal((await swift.getContainer(svc.demo, name)).readAcl, '.r:*');
    await swift.putObject(svc.demo, name, 'a.txt', Buffer.from('hello'));
    assert.equal(await container.attr('ObjectCount'), 1);
    assert.equal(await container.attr('BytesUsed'), 5);
    assert.equal(((await container.attr('HeadContainer')) as Record<string, string>)['x-container-meta-color'], 'blue');
    const root = String(await container.attr('RootURL'));
    assert.match(root, new RegExp(`/AUTH_${svc.demo.project!.id}$`));
    assert.equal(await container.attr('WebsiteURL'), `${root}/${name}`);
    assert.equal(await container.attr('DomainName'), new URL(svc.cloud.url).hostname);

    const refused = await failure(container.delete());
    assert.equal(refused.type, 'ResourceActionNotSupported');
    assert.equal(refused.message, `Deleting non-empty container (${name}) when PurgeOnDelete is False is not supported for resource.`);

    const purged = fakeResource(svc, containerResource);
    await purged.create({ name: 'svcres-purged', PurgeOnDelete: true });
    await swift.putObject(svc.demo, 'svcres-purged', 'b.txt', Buffer.from('x'));
    await purged.delete();
    await purged.delete();
    assert.equal((await failure(swift.getContainer(svc.demo, 'svcres-purged'))).status, 404);
    await swift.deleteObject(svc.demo, name, 'a.txt');
    await container.delete();
  });

  test('OS::Keystone::Project and OS::Keystone::User with roles: made, updated, deleted by an admin', async () => {
    const identity = svc.services.identity as IdentityOperations;
    const project = fakeResource(svc, projectResource, { caller: svc.admin });
    await project.create({ description: 'made by a stack', tags: ['heat'] });
    const projectId = project.state.physicalId!;
    assert.equal(await project.attr('name'), project.state.physicalName);
    assert.equal(await project.attr('domain_id'), 'default');
    await project.update({ ...project.properties, enabled: false, description: 'off' });
    assert.equal((await identity.getProject(svc.admin, projectId)).enabled, false);

    const user = fakeResource(svc, userResource, { caller: svc.admin });
    await user.create({ name: 'svcres-user', password: 'secret-pw', default_project: projectId, roles: [{ role: 'member', project: projectId }] });
    const userId = user.state.physicalId!;
    const member = (await identity.findRole(svc.admin, 'member')).id;
    const reader = (await identity.findRole(svc.admin, 'reader')).id;
    const on = (roleId: string) => ({ roleId, actor: { kind: 'user' as const, id: userId }, target: { kind: 'project' as const, id: projectId } });
    assert.equal(await identity.hasRole(svc.admin, on(member)), true);
    assert.equal(await user.attr('default_project_id'), projectId);
    await user.update({ ...user.properties, email: 'u@example.org', roles: [{ role: 'reader', project: projectId }] });
    assert.equal(await identity.hasRole(svc.admin, on(member)), false);
    assert.equal(await identity.hasRole(svc.admin, on(reader)), true);
    assert.equal((await identity.getUser(svc.admin, userId)).email, 'u@example.org');

    await user.delete();
    await user.delete();
    await project.delete();
    await project.delete();
    assert.equal((await failure(identity.getProject(svc.admin, projectId))).status, 404);

    const refused = fakeResource(svc, projectResource);
    assert.equal((await failure(refused.create({}))).status, 403);
  });
});
