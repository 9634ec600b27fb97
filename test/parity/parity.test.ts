/** The parity report: reading api-ref sources, matching their paths to routes, and probing a cloud for what it serves. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseApiRef, parseGnocchiRest, parseParameterVersions, uniqueOperations } from '../../src/cli/parity/api-ref.js';
import { runParity } from '../../src/cli/parity/index.js';
import { routeAnswers } from '../../src/cli/parity/match.js';
import { missingFields, servedMicroversion } from '../../src/cli/parity/probe.js';
import { markdownPage, summaryTable } from '../../src/cli/parity/report.js';
import { nimbusPath, PARITY_SOURCES } from '../../src/cli/parity/sources.js';

const SERVERS_INC = `
Servers - Actions
#################

Reboot Server (reboot Action)
=============================

.. rest_method:: POST /servers/{server_id}/action

Request
-------

.. rest_parameters:: parameters.yaml

  - OpenStack-API-Version: openstack-api-version
  - server_id: server_id_path
  - reboot: reboot
  - type: reboot_type

List Servers
============

.. rest_method::  GET /servers?all_tenants=1

Remove Worker
=============

.. rest_method:: POST v3/{project_id}/workers/cleanup
`;

test('an api-ref file: the operations with their section titles, the action key, the path normalised', () => {
  assert.deepEqual(parseApiRef(SERVERS_INC), [
    { title: 'Reboot Server (reboot Action)', method: 'POST', path: '/servers/{server_id}/action', action: 'reboot' },
    { title: 'List Servers', method: 'GET', path: '/servers' },
    { title: 'Remove Worker', method: 'POST', path: '/v3/{project_id}/workers/cleanup' },
  ]);
});

test("fields that came with a microversion: read from parameters.yaml's min_version, partial where newer than the service's newest", () => {
  const parameters = `reboot:
  description: |
    The action.
  in: body
  min_version: 2.10
reboot_type:
  in: body
  required: true
  min_version: 2.9
server_id_path:
  in: path
`;
  const versions = parseParameterVersions(parameters);
  assert.deepEqual(
    [...versions],
    [
      ['reboot', '2.10'],
      ['reboot_type', '2.9'],
    ],
  );
  const [reboot, list] = parseApiRef(SERVERS_INC, versions);
  assert.deepEqual(reboot?.since, [
    { name: 'type', version: '2.9' },
    { name: 'reboot', version: '2.10' },
  ]);
  assert.equal(list?.since, undefined);
  assert.ok(reboot);
  assert.equal(servedMicroversion('compute 2.79'), '2.79');
  assert.equal(servedMicroversion(null), null);
  assert.equal(missingFields(reboot, '2.9'), 'newest microversion 2.9; not: reboot (2.10)', '2.10 is newer than 2.9, not older');
  assert.equal(missingFields(reboot, '2.10'), null);
  assert.equal(missingFields(reboot, null), null, 'a service without microversions');
});

test("Gnocchi's REST examples: both request forms, templates and uuids as ids, repeats once", () => {
  const rest = `- name: create-metric
  request: |
    POST /v1/metric HTTP/1.1
    Content-Type: application/json

- name: get-metric
  request: GET /v1/metric/{{ scenarios['create-metric']['response'].json['id'] }} HTTP/1.1

- name: get-other
  request: GET /v1/metric/0b2a3c4d-1e2f-4a5b-8c9d-0e1f2a3b4c5d?details=true
`;
  const operations = uniqueOperations(parseGnocchiRest(rest));
  assert.deepEqual(
    operations.map((op) => `${op.method} ${op.path} ${op.title}`),
    ['POST /v1/metric create-metric', 'GET /v1/metric/{id} get-metric'],
  );
});

test('a route answers an api-ref path segment by segment; a wildcard takes the rest', () => {
  const route = { method: 'GET', url: '/compute/v2.1/servers/:server_id' };
  assert.ok(routeAnswers(route, 'GET', '/compute/v2.1/servers/{server_id}'));
  assert.ok(!routeAnswers(route, 'DELETE', '/compute/v2.1/servers/{server_id}'));
  assert.ok(!routeAnswers(route, 'GET', '/compute/v2.1/servers/{server_id}/ips'));
  assert.ok(!routeAnswers(route, 'GET', '/compute/v2.1/servers'));
  assert.ok(routeAnswers({ method: 'GET', url: '/object-store/v1/:account/*' }, 'GET', '/object-store/v1/{account}/{container}/{object}'));
});

test("an api-ref path lands under the service's endpoint, its version document at the root", () => {
  const compute = PARITY_SOURCES.find((s) => s.service === 'compute');
  assert.ok(compute);
  assert.equal(nimbusPath(compute, '/servers'), '/compute/v2.1/servers');
  assert.equal(nimbusPath(compute, '/'), '/compute/');
  assert.equal(nimbusPath(compute, '/{api_version}/'), '/compute/v2.1/');
});

test('a throw-away cloud probed: what image serves, what it lacks (the cache API), and the page that says so', async () => {
  const [image] = await runParity(['image']);
  assert.ok(image);
  const status = (method: string, path: string) => image.operations.find((op) => op.method === method && op.path === path)?.status;
  assert.equal(status('GET', '/v2/images'), 'implemented');
  assert.equal(status('PUT', '/v2/images/{image_id}/file'), 'implemented');
  assert.equal(status('GET', '/v2/cache'), 'absent');
  assert.ok(image.tempestPasses !== null && image.tempestPasses > 0);
  assert.match(summaryTable([image]), /^service\s+operations\s+implemented\s+partial\s+501\s+absent\s+tempest passes\nimage\s+\d+\s+\d+ \(\d+ %\)/);
  assert.match(markdownPage([image], '2026-12-07'), /\| `GET \/v2\/cache` \| .* \| absent \(no route\) \|/);
  await assert.rejects(runParity(['nonesuch']), /unknown service nonesuch/);
});

test('compute probed: an operation with fields newer than the newest microversion Nimbus serves is partial, and says which', async () => {
  const [compute] = await runParity(['compute']);
  assert.ok(compute);
  const find = (method: string, path: string, action?: string) =>
    compute.operations.find((op) => op.method === method && op.path === path && op.action === action);
  // Nova's api-ref: `GET /servers/{server_id}` answers `pinned_availability_zone` from 2.96.
  const show = find('GET', '/servers/{server_id}');
  assert.equal(show?.status, 'partial');
  assert.match(show?.reason ?? '', /^newest microversion 2\.\d+; not: .*pinned_availability_zone \(2\.96\)/);
  // Its fields all came before 2.79 (or with none): served whole.
  assert.equal(find('GET', '/flavors/{flavor_id}')?.status, 'implemented');
  assert.match(markdownPage([compute], '2026-12-07'), /\| `GET \/servers\/\{server_id\}` \| .* \| partial \(newest microversion/);
});
