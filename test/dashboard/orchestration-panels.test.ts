/**
 * The orchestration panels in a real browser, as the demo user: a stack launched from a template
 * file through the parameter form Heat's /validate describes, followed to CREATE_COMPLETE with its
 * topology and outputs, updated, suspended, resumed and checked, deleted; a template from a URL; an
 * invalid template and a malformed environment show Heat's messages.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openPanel, screenshot, seriousAccessibilityViolations, signIn, skipBrowser, startDashboardRig, type DashboardRig } from './browser.js';

const TEMPLATE = `heat_template_version: 2018-08-31
description: Dashboard test stack
parameters:
  length:
    type: number
    default: 8
    description: How many characters the random string has
    constraints: [{range: {min: 4, max: 32}}]
  flavor:
    type: string
    label: Size
    constraints: [{allowed_values: [small, big]}]
  secret:
    type: string
    hidden: true
    default: s3cret
  verbose:
    type: boolean
    default: true
resources:
  rand:
    type: OS::Heat::RandomString
    properties: {length: {get_param: length}}
  test:
    type: OS::Heat::TestResource
    properties:
      value: {list_join: ['-', [{get_param: flavor}, {get_attr: [rand, value]}]]}
      action_wait_secs: {create: 1}
outputs:
  result:
    description: The size and the random string
    value: {get_attr: [test, output]}
`;

interface StackShow {
  stack: { id: string; parameters: Record<string, string>; outputs: { output_key: string; output_value: string }[] };
}

describe('dashboard orchestration panels (demo)', { skip: skipBrowser }, () => {
  let rig: DashboardRig;
  let page: Page;
  let heat: string;
  let token: string;
  let templateSource: Server;
  before(async () => {
    // Heat fetches a template_url itself; Nimbus's Heat fetches only from loopback.
    templateSource = createServer((_request, response) => response.end(TEMPLATE));
    await new Promise<void>((resolve) => templateSource.listen(0, '127.0.0.1', resolve));
    rig = await startDashboardRig();
    page = await signIn(rig, 'demo');
    token = await rig.cloud.demoToken();
    const { body } = await rig.cloud.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } });
    heat = `/orchestration/v1/${(body as { token: { project: { id: string } } }).token.project.id}`;
  });
  after(async () => {
    await rig?.close();
    templateSource?.close();
  });

  const noSeriousViolations = async () => assert.deepEqual(await seriousAccessibilityViolations(page), []);
  const overviewStatus = (status: string) => page.locator('dl.overview').getByText(status, { exact: true });
  const showStack = async (name: string) => {
    const listed = await rig.cloud.request('GET', `${heat}/stacks?name=${name}`, { token });
    const [found] = (listed.body as { stacks: { id: string }[] }).stacks;
    assert.ok(found, `no stack ${name}`);
    const response = await rig.cloud.request('GET', `${heat}/stacks/${name}/${found.id}`, { token });
    assert.equal(response.status, 200);
    return (response.body as StackShow).stack;
  };

  test("a stack launched from a file with Heat's parameter form reaches CREATE_COMPLETE with its topology and outputs", async () => {
    await openPanel(page, 'Stacks');
    await page.getByText('No stacks in this project yet').waitFor();
    await page.getByRole('link', { name: 'Launch stack' }).click();
    await page.getByLabel('Template file').setInputFiles({ name: 'web.yaml', mimeType: 'text/yaml', buffer: Buffer.from(TEMPLATE) });
    await page.getByRole('button', { name: 'Next: parameters' }).click();

    // The form is what /validate said: a number with its range and hint, allowed values as a select, hidden as a password.
    const length = page.getByLabel('length', { exact: true });
    assert.equal(await length.getAttribute('type'), 'number');
    assert.equal(await length.getAttribute('max'), '32');
    assert.equal(await length.inputValue(), '8');
    assert.equal(
      await length.getAttribute('aria-describedby').then((id) => page.locator(`[id="${id}"]`).textContent()),
      'How many characters the random string has',
    );
    assert.deepEqual(await page.getByLabel('Size').locator('option').allTextContents(), ['Choose…', 'small', 'big']);
    assert.equal(await page.getByLabel('secret').getAttribute('type'), 'password');
    assert.equal(await page.getByLabel('verbose').isChecked(), true);
    await noSeriousViolations();

    await page.getByLabel('Stack name').fill('web');
    await length.fill('12');
    await page.getByLabel('Size').selectOption('big');
    await page.getByLabel('verbose').uncheck();
    await page.getByRole('button', { name: 'Launch' }).click();

    await page.getByRole('heading', { name: 'Stack web', level: 1 }).waitFor();
    await overviewStatus('CREATE_COMPLETE').waitFor();
    const stack = await showStack('web');
    assert.equal(stack.parameters.length, '12');
    assert.equal(stack.parameters.flavor, 'big');
    assert.equal(stack.parameters.verbose, 'false');
    const graph = page.getByRole('img', { name: 'Resources of web' });
    for (const name of ['rand', 'test']) await graph.locator('g.node-status-complete', { hasText: name }).waitFor();
    assert.equal(await graph.locator('polyline.edge').count(), 1);
    const output = stack.outputs.find((o) => o.output_key === 'result')?.output_value ?? '';
    assert.match(output, /^big-.{12}$/);
    await page.getByRole('table', { name: 'Outputs' }).getByRole('row').filter({ hasText: 'result' }).getByText(output).waitFor();
    await page.getByRole('table', { name: 'Events' }).getByText('Stack CREATE completed successfully').waitFor();
    await noSeriousViolations();
    await screenshot(page, 'stack');

    await openPanel(page, 'Stacks');
    await page.getByRole('table', { name: 'Stacks' }).getByRole('row').filter({ hasText: 'web' }).getByText('CREATE_COMPLETE').waitFor();
    await noSeriousViolations();
  });

  test('the stack is updated with a changed parameter, suspended, resumed and checked, then deleted from the list', async () => {
    await page.getByRole('link', { name: 'web', exact: true }).click();
    await page.getByRole('link', { name: 'Update web' }).click();
    await page.getByRole('button', { name: 'Next: parameters' }).click();
    assert.equal(await page.getByLabel('length', { exact: true }).inputValue(), '12');
    await page.getByLabel('length', { exact: true }).fill('16');
    await noSeriousViolations();
    await page.getByRole('button', { name: 'Update web' }).click();
    await overviewStatus('UPDATE_COMPLETE').waitFor();
    const stack = await showStack('web');
    assert.equal(stack.parameters.length, '16');
    assert.equal(stack.parameters.flavor, 'big');
    await page
      .getByRole('table', { name: 'Outputs' })
      .getByText(stack.outputs[0]?.output_value ?? '')
      .waitFor();

    await page.getByRole('button', { name: 'Suspend web' }).click();
    await overviewStatus('SUSPEND_COMPLETE').waitFor();
    await page.getByRole('button', { name: 'Resume web' }).click();
    await overviewStatus('RESUME_COMPLETE').waitFor();
    await page.getByRole('button', { name: 'Check web' }).click();
    await overviewStatus('CHECK_COMPLETE').waitFor();

    await openPanel(page, 'Stacks');
    await page.getByRole('button', { name: 'Delete web' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await page.getByText('No stacks in this project yet').waitFor();
    const gone = await rig.cloud.request('GET', `${heat}/stacks/web`, { token });
    assert.equal(gone.status, 404);
  });

  test("an invalid template shows Heat's own message and no parameter form", async () => {
    await openPanel(page, 'Stacks');
    await page.getByRole('link', { name: 'Launch stack' }).click();
    await page.getByLabel('Template source').selectOption('text');
    await page.getByLabel('Template data').fill('heat_template_version: 2018-08-31\nresources:\n  broken:\n    type: OS::Nope\n');
    await page.getByRole('button', { name: 'Next: parameters' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('The Resource Type (OS::Nope) could not be found.').waitFor();
    assert.match((await alert.textContent()) ?? '', /Error \(400\)/);
    assert.match((await alert.textContent()) ?? '', /Request ID: req-/);
    assert.equal(await page.getByLabel('Stack name').count(), 0);
    await noSeriousViolations();
  });

  test("a template from a URL gets its parameter form; an environment that is no mapping shows Heat's message", async () => {
    const { port } = templateSource.address() as AddressInfo;
    await page.getByLabel('Template source').selectOption('url');
    await page.getByLabel('Template URL').fill(`http://127.0.0.1:${port}/web.yaml`);
    await page.getByLabel('Environment data (optional)').fill('- not a mapping');
    await page.getByRole('button', { name: 'Next: parameters' }).click();
    await page.getByRole('alert').getByText('The environment is not a valid YAML mapping data type.').waitFor();
    await page.getByLabel('Environment data (optional)').fill('parameter_defaults: {length: 10}');
    await page.getByRole('button', { name: 'Next: parameters' }).click();
    await page.getByLabel('Size').waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);
  });
});
