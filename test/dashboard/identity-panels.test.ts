/**
 * The Identity panels in a real browser: the admin manages projects, users, groups, roles and domains through
 * them (each change checked through Keystone's API), the new user signs in to its project, and the demo
 * user sees no Identity navigation and gets Keystone's 403 at the URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openPanel, screenshot, seriousAccessibilityViolations, signIn, skipBrowser, startDashboardRig, type DashboardRig } from './browser.js';

const PASSWORD = 'dash user pw 1';
const NEW_PASSWORD = 'set by the admin 2';

describe('dashboard identity panels', { skip: skipBrowser }, () => {
  let rig: DashboardRig;
  let token: string;
  before(async () => {
    rig = await startDashboardRig();
    token = await rig.cloud.adminToken();
  });
  after(async () => rig?.close());

  const keystone = (path: string) => rig.cloud.request('GET', `/identity/v3${path}`, { token });
  const oneNamed = async (collection: string, name: string) => {
    const answer = await keystone(`/${collection}?name=${name}`);
    assert.equal(answer.body[collection].length, 1, `${collection} named ${name}: ${answer.text}`);
    return answer.body[collection][0] as { id: string; description?: string; enabled?: boolean; email?: string };
  };
  const accessible = async (page: Page, name: string) => {
    await screenshot(page, `identity-${name}`);
    assert.deepEqual(await seriousAccessibilityViolations(page), [], name);
  };
  const row = (page: Page, table: string, text: string) => page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: text });

  test('admin creates a project and a member user, sets its password, and the user signs in to that project', async () => {
    const page = await signIn(rig, 'admin');
    const nav = page.getByRole('navigation', { name: 'Panels' });
    await nav.getByRole('heading', { name: 'Identity' }).waitFor();

    await openPanel(page, 'Projects');
    const createProject = page.getByRole('form', { name: 'Create project' });
    await createProject.getByLabel('Project name').fill('dash-proj');
    await createProject.getByLabel('Description').fill('made in the dashboard');
    await createProject.getByRole('button', { name: 'Create project' }).click();
    await row(page, 'Projects', 'dash-proj').getByRole('cell', { name: 'Default' }).waitFor();
    const project = await oneNamed('projects', 'dash-proj');
    assert.equal(project.description, 'made in the dashboard');
    await accessible(page, 'projects');

    await openPanel(page, 'Users');
    const createUser = page.getByRole('form', { name: 'Create user' });
    await createUser.getByLabel('User name').fill('dash-user');
    await createUser.getByLabel('Email').fill('dash@example.org');
    await createUser.getByLabel('Password').fill(PASSWORD);
    await createUser.getByLabel('Project').selectOption({ label: 'dash-proj' });
    assert.equal(await createUser.getByLabel('Role').locator('option:checked').innerText(), 'member');
    await createUser.getByRole('button', { name: 'Create user' }).click();
    await row(page, 'Users', 'dash-user').getByRole('cell', { name: 'dash-proj' }).waitFor();
    const user = await oneNamed('users', 'dash-user');
    assert.equal(user.email, 'dash@example.org');
    await rig.cloud.token({ name: 'dash-user', password: PASSWORD });
    await accessible(page, 'users');

    // The admin sets the user's password on the user's page (the one the user signs in with below).
    await page.getByRole('link', { name: 'dash-user' }).click();
    await page.getByRole('heading', { name: 'User dash-user', level: 1 }).waitFor();
    const setPassword = page.getByRole('form', { name: 'Set password of dash-user' });
    await setPassword.getByLabel('New password').fill(NEW_PASSWORD);
    await setPassword.getByRole('button', { name: 'Set password' }).click();
    await setPassword.getByRole('status').waitFor();
    await assert.rejects(rig.cloud.token({ name: 'dash-user', password: PASSWORD }), /401/);
    await accessible(page, 'user');

    // The project's page: its members with their roles, and its edit form.
    await openPanel(page, 'Projects');
    await page.getByRole('link', { name: 'dash-proj' }).click();
    await page.getByRole('heading', { name: 'Project dash-proj', level: 1 }).waitFor();
    const members = page.getByRole('table', { name: 'Members' });
    await members.getByRole('list', { name: 'Roles of dash-user' }).getByText('member').waitFor();
    const edit = page.getByRole('form', { name: 'Edit project dash-proj' });
    await edit.getByLabel('Description').fill('edited');
    await edit.getByRole('button', { name: 'Save project' }).click();
    await edit.getByRole('status').waitFor();
    assert.equal((await oneNamed('projects', 'dash-proj')).description, 'edited');

    // A second role through the form, then removed with a confirmation.
    const add = page.getByRole('form', { name: 'Add member' });
    await add.getByLabel('User').selectOption({ label: 'dash-user' });
    await add.getByLabel('Role').selectOption({ label: 'reader' });
    await add.getByRole('button', { name: 'Add member' }).click();
    const roles = members.getByRole('list', { name: 'Roles of dash-user' });
    await roles.getByText('reader').waitFor();
    const assigned = async () => {
      const answer = await keystone(`/role_assignments?scope.project.id=${project.id}&user.id=${user.id}&include_names=true`);
      return (answer.body.role_assignments as { role: { name: string } }[]).map((a) => a.role.name).sort();
    };
    assert.deepEqual(await assigned(), ['member', 'reader']);
    await accessible(page, 'project');
    await page.getByRole('button', { name: 'Remove role reader of dash-user' }).click();
    await page.getByRole('group', { name: 'Confirm remove role reader of dash-user' }).getByRole('button', { name: 'Confirm remove' }).click();
    await roles.getByText('reader').waitFor({ state: 'detached' });
    assert.deepEqual(await assigned(), ['member']);
    await page.close();

    // The new user signs in with the password the admin gave, into the project the admin made.
    const own = await rig.browser.newPage();
    own.setDefaultTimeout(30_000);
    await own.goto(`${rig.cloud.url}/`);
    await own.getByLabel('User name').fill('dash-user');
    await own.getByLabel('Password').fill(NEW_PASSWORD);
    await own.getByRole('button', { name: 'Sign in' }).click();
    await own.getByRole('heading', { name: 'Instances', level: 1 }).waitFor();
    assert.equal(await own.locator('.project-switcher select option:checked').innerText(), 'dash-proj');
    assert.equal(await own.getByRole('heading', { name: 'Identity' }).count(), 0);
    await own.close();
  });

  test('admin deletes the project, makes a group with a member, a role, and a domain Keystone deletes only once disabled', async () => {
    const page = await signIn(rig, 'admin');
    // The project of the first test goes, once confirmed.
    await openPanel(page, 'Projects');
    await page.getByRole('button', { name: 'Delete project dash-proj' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await row(page, 'Projects', 'dash-proj').waitFor({ state: 'detached' });
    assert.equal((await keystone('/projects?name=dash-proj')).body.projects.length, 0);

    await openPanel(page, 'Groups');
    const createGroup = page.getByRole('form', { name: 'Create group' });
    await createGroup.getByLabel('Group name').fill('dash-group');
    await createGroup.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('link', { name: 'dash-group' }).click();
    await page.getByRole('heading', { name: 'Group dash-group', level: 1 }).waitFor();
    const addUser = page.getByRole('form', { name: 'Add user to group' });
    await addUser.getByLabel('User').selectOption({ label: 'demo' });
    await addUser.getByRole('button', { name: 'Add to group' }).click();
    await row(page, 'Group members', 'demo').waitFor();
    const group = await oneNamed('groups', 'dash-group');
    const inGroup = await keystone(`/groups/${group.id}/users`);
    assert.deepEqual(
      inGroup.body.users.map((u: { name: string }) => u.name),
      ['demo'],
    );
    await accessible(page, 'group');
    await page.getByRole('button', { name: 'Remove demo from group dash-group' }).click();
    await page.getByRole('button', { name: 'Confirm remove' }).click();
    await page.getByText('No users in this group yet').waitFor();
    assert.equal((await keystone(`/groups/${group.id}/users`)).body.users.length, 0);

    await openPanel(page, 'Roles');
    const createRole = page.getByRole('form', { name: 'Create role' });
    await createRole.getByLabel('Role name').fill('dash-role');
    await createRole.getByRole('button', { name: 'Create role' }).click();
    await row(page, 'Roles', 'dash-role').waitFor();
    await oneNamed('roles', 'dash-role');
    await accessible(page, 'roles');
    await page.getByRole('button', { name: 'Delete role dash-role' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await row(page, 'Roles', 'dash-role').waitFor({ state: 'detached' });
    assert.equal((await keystone('/roles?name=dash-role')).body.roles.length, 0);

    await openPanel(page, 'Domains');
    const createDomain = page.getByRole('form', { name: 'Create domain' });
    await createDomain.getByLabel('Domain name').fill('dash-domain');
    await createDomain.getByRole('button', { name: 'Create domain' }).click();
    const domainRow = row(page, 'Domains', 'dash-domain');
    await domainRow.getByRole('cell', { name: 'Yes', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Delete domain dash-domain' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /Not allowed \(403\): Cannot delete a domain that is enabled, please disable it first\./);
    await accessible(page, 'domains');
    assert.equal((await oneNamed('domains', 'dash-domain')).enabled, true);

    await page.getByRole('button', { name: 'Disable domain dash-domain' }).click();
    await domainRow.getByRole('cell', { name: 'No', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Delete domain dash-domain' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await domainRow.waitFor({ state: 'detached' });
    assert.equal((await keystone('/domains?name=dash-domain')).body.domains.length, 0);
    await page.close();
  });

  test('demo sees no Identity navigation and gets Keystone’s 403 at the URLs', async () => {
    const page = await signIn(rig, 'demo');
    assert.equal(await page.getByRole('heading', { name: 'Identity' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0);
    for (const [path, heading] of [
      ['/dashboard/identity/projects', 'Projects'],
      ['/dashboard/identity/users', 'Users'],
      ['/dashboard/identity/domains', 'Domains'],
    ]) {
      await page.goto(`${rig.cloud.url}${path}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.innerText(), /Not allowed \(403\)/);
      assert.equal(await page.getByRole('table').count(), 0);
    }
    await accessible(page, 'demo-refused');
    await page.close();
  });
});
