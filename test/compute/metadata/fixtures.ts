/** A server as the compute store holds it, for the metadata tests (in-memory sources, no cloud). */
import type { Server } from '../../../src/compute/store/index.js';

export const SERVER_ID = '3f2a6c1e-1111-4222-8333-444455556666';
export const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMetaTest meta@test';

export function server(overrides: Partial<Server['attrs']> = {}): Server {
  return {
    id: SERVER_ID,
    projectId: 'proj1',
    userId: 'user1',
    name: 'web 1',
    vmState: 'active',
    taskState: null,
    powerState: 1,
    host: 'h1',
    node: 'n1',
    flavorId: 'f1',
    imageRef: 'a1b2c3d4-0000-4000-8000-000000000000',
    locked: false,
    deleted: false,
    createdAt: '',
    updatedAt: '',
    deletedAt: null,
    revision: 1,
    attrs: {
      flavor: { id: 'f1', name: 'm1.tiny', vcpus: 1, memoryMb: 128, rootGb: 1, ephemeralGb: 0, swap: 0, extraSpecs: {} },
      oldFlavor: null,
      metadata: { role: 'web' },
      tags: [],
      keyName: 'k1',
      keyData: KEY,
      accessIPv4: '',
      accessIPv6: '',
      description: null,
      userData: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'),
      availabilityZone: null,
      reservationId: 'r-abc123',
      launchIndex: 0,
      hostname: 'web-1',
      securityGroups: ['default'],
      networks: [],
      fault: null,
      lockedReason: null,
      lockedBy: null,
      launchedAt: null,
      terminatedAt: null,
      configDrive: 'True',
      diskConfig: 'MANUAL',
      schedulerHints: {},
      serverGroup: null,
      migrationUuid: null,
      resizeSourceHost: null,
      ownedPorts: [],
      ...overrides,
    },
  };
}
