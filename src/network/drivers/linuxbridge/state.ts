/**
 * What the driver made, kept under `<dataDir>/network/` so a restarted Nimbus
 * finds (and can remove) it: `networks/<id>/` (the network, its DHCP port and
 * the ports its DHCP server answers for, dnsmasq's files, helper pid files),
 * `routers/<id>/` (the router, its port forwardings, the proxy's pid file) and
 * `ports/<id>.json` (each bound port). Files are replaced by rename, so a
 * reader never sees half a file.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class DriverState {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'network');
  }

  networkDir(networkId: string): string {
    return join(this.root, 'networks', networkId);
  }

  routerDir(routerId: string): string {
    return join(this.root, 'routers', routerId);
  }

  portFile(portId: string): string {
    return join(this.root, 'ports', `${portId}.json`);
  }

  async ids(kind: 'networks' | 'routers' | 'ports'): Promise<string[]> {
    const entries = await readdir(join(this.root, kind)).catch(() => [] as string[]);
    return entries.filter((e) => !e.endsWith('.tmp')).map((e) => e.replace(/\.json$/, ''));
  }

  async read<T>(path: string): Promise<T | null> {
    const text = await readFile(path, 'utf8').catch(() => null);
    return text === null ? null : (JSON.parse(text) as T);
  }

  async write(path: string, value: unknown): Promise<void> {
    await this.writeText(path, `${JSON.stringify(value, null, 1)}\n`);
  }

  /** Writes `text` to `path` unless it already holds it; true when it changed. */
  async writeText(path: string, text: string): Promise<boolean> {
    if ((await readFile(path, 'utf8').catch(() => null)) === text) return false;
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(`${path}.tmp`, text);
    await rename(`${path}.tmp`, path);
    return true;
  }

  async remove(path: string): Promise<void> {
    await rm(path, { recursive: true, force: true });
  }
}
