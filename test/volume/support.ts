/** Helpers for the volume API tests: a server with the chosen backend, calls as a project, waits on statuses. */
import { execFileSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import type { NimbusConfig } from '../../src/config.js';
import type { VolumeBackendConfig } from '../../src/volume/config.js';
import { startTestServer, type TestResponse, type TestServer } from '../support/server.js';
import type { Json } from '../support/json.js';

/** Whether Debian's qemu-img (qemu-utils), which the file backend runs, is installed. */
export function qemuImgAvailable(): boolean {
  try {
    execFileSync('qemu-img', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function startVolumeServer(backend: Partial<VolumeBackendConfig> = {}): Promise<TestServer> {
  return startTestServer((config) => useFakeVolumeBackend(config, backend));
}

/** The volume tests' configuration: no default network, the `fake` volume driver (with `backend`'s options). */
export function useFakeVolumeBackend(config: NimbusConfig, backend: Partial<VolumeBackendConfig> = {}): void {
  config.network.devstack_defaults = false;
  config.volume.backends.file = { ...config.volume.backends.file!, volume_driver: 'fake', ...backend };
}

export interface VolumeClient {
  projectId: string;
  token: string;
  /** A call under /volume/v3/{project}; `version` becomes `OpenStack-API-Version: volume X.Y`. */
  call(method: string, path: string, body?: unknown, version?: string): Promise<TestResponse>;
  /** Polls a volume (or `snapshots/<id>`, `backups/<id>`) until `status`; fails on another final status or after 20 s. */
  waitFor(path: string, status: string): Promise<Json>;
  /** Polls until the resource is gone (404). */
  waitGone(path: string): Promise<void>;
}

export async function volumeClient(cloud: TestServer, token: string): Promise<VolumeClient> {
  const check = await cloud.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } });
  const projectId = check.body.token.project.id as string;
  const call = (method: string, path: string, body?: unknown, version?: string) =>
    cloud.request(method, `/volume/v3/${projectId}${path}`, { token, body, headers: version ? { 'openstack-api-version': `volume ${version}` } : {} });
  return {
    projectId,
    token,
    call,
    async waitFor(path, status) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const response = await call('GET', path.includes('/') ? `/${path}` : `/volumes/${path}`);
        const entity = response.body.volume ?? response.body.snapshot ?? response.body.backup;
        if (entity?.status === status) return entity;
        if (entity && /^error/.test(entity.status) && !/^error/.test(status)) throw new Error(`${path} went to ${entity.status}`);
        if (Date.now() > deadline) throw new Error(`${path} still ${entity?.status ?? response.status} (waiting for ${status})`);
        await delay(25);
      }
    },
    async waitGone(path) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const response = await call('GET', path.includes('/') ? `/${path}` : `/volumes/${path}`);
        if (response.status === 404) return;
        if (Date.now() > deadline) throw new Error(`${path} still there: ${JSON.stringify(response.body)}`);
        await delay(25);
      }
    },
  };
}
