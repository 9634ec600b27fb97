/**
 * kill -9 during mixed concurrent work of several services (issue 12): a
 * Nimbus child process with three fake hosts (spawns take a while, so builds
 * are in flight) gets server, volume, snapshot, attachment, network, image
 * and Swift work from six demo clients at once, and is killed with SIGKILL
 * at seeded random moments, 2 to 4 times, restarting on the same data dir
 * each time. After the last restart and a bounded convergence window,
 * nothing may be lost, stuck, half-made or leaked. NIMBUS_CRASH_SEED picks
 * another seed (the default keeps CI deterministic in its kill times).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNimbusProcess, type NimbusProcess } from '../support/nimbus-process.js';
import { qemuImgAvailable } from '../volume/support.js';
import { temporaries } from './support/disk.js';
import {
  acceptedCreatesExist,
  converge,
  neutronPortUsageCountsEveryPort,
  nothingHalfMade,
  quotaUsageMatches,
  stuckByCutAttach,
  swiftConsistent,
  swiftCountQuotaHeld,
  unsettled,
} from './support/invariants.js';
import { Ledger, seededRandom } from './support/ledger.js';
import { openSession, paths, type Session } from './support/session.js';
import { startRound, type Fixtures } from './support/workload.js';

const SEED = Number(process.env.NIMBUS_CRASH_SEED ?? 20260512);
const WORKERS = 6;
const OPERATIONS_PER_ROUND = 60;
/** A round that has not reached its kill point by then is killed anyway (a very slow machine). */
const ROUND_LIMIT_MS = 20_000;
const QUOTA_COUNT = 6;
// An upload cut by the kill is back to queued once its 90 s lease lapsed and the next 15 s recovery pass ran.
const CONVERGENCE_MS = 120_000;

// Known bugs these assertions found, left to the engineers rewriting those services (see the crash branch's report).
// Their assertions run as `todo`: the output shows what they found, and they stop failing visibly once fixed.
const ATTACH_CUT_BUG =
  'BUG attach-cut: os-volume_attachments runs in the request, not as a durable task: a kill after Cinder reserved the volume and before Nova recorded and completed the attachment leaves the volume reserved (or attaching) for good, and no restart reconciles Cinder attachments with Nova rows (src/compute/service/volume-attachments.ts attach)';
const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-mixed-crash-'));
let child: ChildProcess | null = null;
let logs = '';

after(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

// The file volume backend (temporaries, qemu-img) when the host has qemu-img; the fake one otherwise.
const CONFIG = `compute:
  fake:
    hosts: 3
    spawn_delay_ms: 400
    action_delay_ms: 100
object_store:
  replicator_interval: 1
${qemuImgAvailable() ? '' : 'volume:\n  backends:\n    file:\n      volume_driver: fake\n'}`;

async function start(): Promise<{ nimbus: NimbusProcess; session: Session }> {
  const nimbus = await startNimbusProcess(dataDir, { config: CONFIG });
  child = nimbus.process;
  return { nimbus, session: await openSession(nimbus.url, dataDir) };
}

async function kill(nimbus: NimbusProcess): Promise<void> {
  const exited = new Promise((resolve) => nimbus.process.once('exit', resolve));
  nimbus.process.kill('SIGKILL');
  await exited;
  logs += nimbus.log();
}

async function expectStatus(reply: Promise<{ status: number; text: string }>, status: number, what: string): Promise<void> {
  const answered = await reply;
  assert.equal(answered.status, status, `${what}: ${answered.text}`);
}

/**
 * Room for the whole run under demo's quotas (so every multi-create makes all
 * its servers), a bootable image, the demo network and two containers (one
 * with a count quota).
 */
async function prepare(session: Session): Promise<Fixtures> {
  const project = session.demoProject;
  await expectStatus(
    session.call('PUT', `${paths.compute}/os-quota-sets/${project}`, { admin: true, body: { quota_set: { instances: 100, cores: 100, ram: 100 * 512 } } }),
    200,
    'nova quotas',
  );
  await expectStatus(
    session.call('PUT', `${paths.volume(project)}/os-quota-sets/${project}`, { admin: true, body: { quota_set: { volumes: 100, snapshots: 100 } } }),
    200,
    'cinder quotas',
  );
  const image = await session.call('POST', `${paths.image}/images`, { body: { name: 'crash-base', disk_format: 'raw', container_format: 'bare' } });
  assert.equal(image.status, 201, image.text);
  await expectStatus(session.call('PUT', `${paths.image}/images/${image.body.id}/file`, { body: Buffer.alloc(1024 * 1024) }), 204, 'base image upload');
  const networks = await session.call('GET', `${paths.network}/networks?name=private`);
  const fixtures = {
    baseImage: image.body.id as string,
    privateNetwork: networks.body.networks[0].id as string,
    freeContainer: 'crash-free',
    quotaContainer: 'crash-quota',
  };
  await expectStatus(session.call('PUT', `${paths.swift(project)}/${fixtures.freeContainer}`), 201, 'container');
  await expectStatus(
    session.call('PUT', `${paths.swift(project)}/${fixtures.quotaContainer}`, { headers: { 'x-container-meta-quota-count': String(QUOTA_COUNT) } }),
    201,
    'quota container',
  );
  return fixtures;
}

test(`kill -9 during mixed work of every service converges with nothing lost, stuck, half-made or leaked (seed ${SEED})`, { timeout: 300_000 }, async (t) => {
  const random = seededRandom(SEED);
  const ledger = new Ledger();
  let { nimbus, session } = await start();
  const fixtures = await prepare(session);

  const rounds = 2 + Math.floor(random() * 3);
  for (let round = 1; round <= rounds; round++) {
    const work = startRound({ session, ledger, fixtures, random, workers: WORKERS, budget: OPERATIONS_PER_ROUND, round });
    // The kill comes once a seeded share of the round's operations has started, not after a
    // fixed time: on a fast machine the whole round would otherwise be over before it.
    const killAt = Math.floor(OPERATIONS_PER_ROUND * (0.3 + random() * 0.6));
    const roundStart = Date.now();
    while (work.started() < killAt && Date.now() - roundStart < ROUND_LIMIT_MS) await delay(10);
    work.stop();
    await kill(nimbus);
    await work.done;
    t.diagnostic(
      `round ${round}/${rounds}: killed at operation ${work.started()} (${Date.now() - roundStart} ms); ${ledger.answered} answered, ${ledger.unanswered} cut so far`,
    );
    ({ nimbus, session } = await start());
  }
  t.diagnostic(`answers: ${ledger.summary()}`);
  assert.ok(ledger.servers.size > 0 && ledger.volumes.size > 0 && ledger.objects.size > 0, 'the rounds got servers, volumes and objects accepted');
  assert.ok(ledger.unanswered > 0, 'the kills cut requests short');

  const { state, waitedMs } = await converge(session, ledger, CONVERGENCE_MS);
  t.diagnostic(
    `waited ${waitedMs} ms for convergence (at most ${CONVERGENCE_MS}): ${state.servers.length} servers, ${state.volumes.length} volumes, ${state.snapshots.length} snapshots, ${state.images.length} images`,
  );
  const serverLog = () => logs + nimbus.log();

  await t.test('no 5xx answer to any request', () => assert.deepEqual(ledger.serverErrors, []));
  await t.test('nothing stuck in a transitional state, every accepted delete done', () => assert.deepEqual(unsettled(state, ledger), []));
  await t.test('an attach cut by the kill leaves no volume reserved or attaching', { todo: ATTACH_CUT_BUG }, () =>
    assert.deepEqual(stuckByCutAttach(state, ledger), []),
  );
  await t.test('every accepted create exists, in a final state or in error with a reason', () =>
    assert.deepEqual(acceptedCreatesExist(state, ledger, serverLog()), []),
  );
  await t.test('nothing half-made: ports, attachments, placement allocations', async () => assert.deepEqual(await nothingHalfMade(session, state, ledger), []));
  await t.test('quota usage equals the resources listed (nova, cinder, neutron)', async () => assert.deepEqual(await quotaUsageMatches(session, state), []));
  await t.test('neutron port usage counts every port of the project, as Neutron', async () =>
    assert.deepEqual(await neutronPortUsageCountsEveryPort(session), []),
  );
  await t.test('swift: acknowledged objects read back, listings match the devices', async () =>
    assert.deepEqual(await swiftConsistent(session, ledger, dataDir), []),
  );
  await t.test("swift: concurrent PUTs never overfill a container's count quota", async () =>
    assert.deepEqual(await swiftCountQuotaHeld(session, fixtures.quotaContainer, QUOTA_COUNT), []),
  );
  const left = temporaries(dataDir);
  await t.test('no image or volume temporary left in the data dir', () =>
    assert.deepEqual(
      left.filter((f) => !f.startsWith('object-store/')),
      [],
    ),
  );
  await t.test('no Swift upload temporary left on the devices', () =>
    assert.deepEqual(
      left.filter((f) => f.startsWith('object-store/')),
      [],
    ),
  );

  const exited = new Promise((resolve) => nimbus.process.once('exit', resolve));
  nimbus.process.kill('SIGTERM');
  await exited;
  child = null;
});
