/**
 * `nimbus state save|load|reset|list|delete`: the running cloud's snapshots,
 * through its `/_nimbus/state` endpoints (the cloud is another process; see
 * control-client.ts for the URL and token).
 *
 * A snapshot argument holding a `/` is a folder outside the data directory:
 * `save` exports a snapshot there, `load` imports it first. Both copy through
 * the data directory, so they run on the cloud's own machine.
 */
import { cpSync, existsSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { NimbusConfig } from '../config.js';
import { controlClient, type ControlClient, type ControlOptions } from './control-client.js';

export const STATE_USAGE = `  nimbus state save|load NAME|DIR/ [--url URL] [--token TOKEN] [--data-dir ./nimbus-data]
  nimbus state reset|list [--url URL] [--token TOKEN] [--data-dir ./nimbus-data]
  nimbus state delete NAME [--url URL] [--token TOKEN] [--data-dir ./nimbus-data]`;

export async function stateCommand(config: NimbusConfig, args: string[], options: ControlOptions): Promise<number> {
  const [verb, target] = args;
  const client = await controlClient(config, options);
  const snapshots = join(config.server.data_dir, 'state');
  if (verb === 'reset' && target === undefined) {
    await client.call('POST', '/state/reset');
    console.log('reset to the bootstrap state');
    return 0;
  }
  if (verb === 'list' && target === undefined) {
    const { snapshots: listed } = (await client.call('GET', '/state')) as { snapshots: Array<{ name: string; created_at: string; size: number }> };
    for (const s of listed) console.log(`${s.name}\t${s.created_at}\t${s.size}`);
    return 0;
  }
  if (target === undefined) return usage();
  if (verb === 'delete') {
    await client.call('DELETE', `/state/${encodeURIComponent(target)}`);
    console.log(`deleted ${target}`);
    return 0;
  }
  const folder = target.includes('/') ? target : null;
  const name = folder ? `cli-${randomUUID()}` : target;
  if (verb === 'save') {
    const { snapshot } = (await client.call('POST', '/state/save', { name })) as { snapshot: { size: number } };
    if (folder) await moveOut(client, join(snapshots, name), folder, name);
    console.log(`saved ${target} (${snapshot.size} bytes)`);
    return 0;
  }
  if (verb === 'load') {
    if (folder) {
      if (!existsSync(join(folder, 'snapshot.json'))) throw new Error(`${folder} holds no state snapshot (no snapshot.json)`);
      cpSync(folder, join(snapshots, name), { recursive: true });
    }
    try {
      await client.call('POST', '/state/load', { name });
    } finally {
      if (folder) rmSync(join(snapshots, name), { recursive: true, force: true });
    }
    console.log(`loaded ${target}`);
    return 0;
  }
  return usage();
}

/** The snapshot is copied to `folder`, then dropped from the data directory (the server forgets it too). */
async function moveOut(client: ControlClient, from: string, folder: string, name: string): Promise<void> {
  try {
    cpSync(from, folder, { recursive: true, errorOnExist: true, force: false });
  } finally {
    await client.call('DELETE', `/state/${name}`);
  }
}

function usage(): number {
  console.error(`usage:\n${STATE_USAGE}`);
  return 2;
}
