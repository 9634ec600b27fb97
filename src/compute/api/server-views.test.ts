/** The server view's attached volumes: ids before 2.3, delete_on_termination from 2.3. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMicroversion } from '../../core/microversions.js';
import type { Server, VolumeAttachment } from '../store/index.js';
import { detailView, type ServerViewContext } from './server-views.js';

const server: Server = {
  id: 's1',
  projectId: 'p',
  userId: 'u',
  name: 'vm',
  vmState: 'active',
  taskState: null,
  powerState: 1,
  host: 'h1',
  node: 'h1',
  flavorId: 'f',
  imageRef: 'img',
  locked: false,
  deleted: false,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  deletedAt: null,
  revision: 1,
  attrs: {
    flavor: { id: 'f', name: 'tiny', vcpus: 1, memoryMb: 512, rootGb: 1, ephemeralGb: 0, swap: 0, extraSpecs: {} },
    oldFlavor: null,
    metadata: {},
    tags: [],
    keyName: null,
    keyData: null,
    accessIPv4: '',
    accessIPv6: '',
    description: null,
    userData: null,
    availabilityZone: null,
    reservationId: 'r-1',
    launchIndex: 0,
    hostname: 'vm',
    securityGroups: [],
    networks: [],
    fault: null,
    lockedReason: null,
    lockedBy: null,
    launchedAt: null,
    terminatedAt: null,
    configDrive: '',
    diskConfig: 'MANUAL',
    schedulerHints: {},
    serverGroup: null,
    migrationUuid: null,
    resizeSourceHost: null,
    ownedPorts: [],
  },
};

const attachment = (volumeId: string, deleteOnTermination: boolean): VolumeAttachment => ({
  serverId: 's1',
  volumeId,
  attachmentId: `a-${volumeId}`,
  device: '/dev/vdb',
  tag: null,
  deleteOnTermination,
  createdAt: '2026-01-01T00:00:00Z',
});

const ctx = (version: string, volumes: VolumeAttachment[]): ServerViewContext => ({
  root: 'http://x/compute/v2.1',
  version: parseMicroversion(version),
  extendedAttributes: false,
  flavorExtraSpecs: false,
  admin: false,
  addresses: new Map(),
  securityGroups: new Map(),
  volumes: new Map(volumes.length ? [['s1', volumes]] : []),
});

test('volumes_attached lists the attached volumes, with delete_on_termination from 2.3', () => {
  const volumes = [attachment('v1', false), attachment('v2', true)];
  assert.deepEqual(detailView(ctx('2.1', volumes), server)['os-extended-volumes:volumes_attached'], [{ id: 'v1' }, { id: 'v2' }]);
  assert.deepEqual(detailView(ctx('2.3', volumes), server)['os-extended-volumes:volumes_attached'], [
    { id: 'v1', delete_on_termination: false },
    { id: 'v2', delete_on_termination: true },
  ]);
  assert.deepEqual(detailView(ctx('2.79', []), server)['os-extended-volumes:volumes_attached'], []);
});
