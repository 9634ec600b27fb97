/**
 * `nimbus agent compute --host NAME --database postgres://...`: one host's
 * compute agent (src/compute/agent.ts) on the cluster's database, which
 * `nimbus manage db sync` prepared. It runs until SIGINT or SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import type { NimbusConfig } from '../config.js';
import { computeModule, startComputeAgent } from '../compute/index.js';
import { openDatabase } from '../core/db/database.js';
import { createLogger } from '../core/logger.js';
import { placementModule, placementOperations } from '../placement/index.js';
import { requireMigrated } from '../server.js';

export const AGENT_USAGE = `  nimbus agent compute --host NAME --database postgres://... [--config FILE] [--data-dir ./nimbus-data] [--driver fake]
               (one hypervisor host of a cluster, docs/cluster.md)`;

export async function agentCommand(config: NimbusConfig, positionals: string[], host: string | undefined): Promise<number> {
  if (positionals[1] !== 'compute') {
    console.error(`nimbus agent: unknown agent "${positionals[1] ?? ''}"; usage:\n${AGENT_USAGE}`);
    return 2;
  }
  if (!host) {
    console.error('nimbus agent compute: --host NAME is required (the compute host it runs)');
    return 2;
  }
  const connection = config.database.connection;
  if (!connection || !/^postgres(ql)?:/.test(connection)) {
    console.error('nimbus agent compute: --database postgres://... is required (the cluster database)');
    return 2;
  }
  // The fake driver records its guests there.
  mkdirSync(config.server.data_dir, { recursive: true, mode: 0o700 });
  const log = createLogger(config.log.level, config.log.format);
  const db = openDatabase({ connection });
  try {
    await requireMigrated(db, [placementModule, computeModule]);
    const agent = await startComputeAgent({
      db,
      log,
      config: config.compute,
      dataDir: config.server.data_dir,
      host,
      placement: placementOperations(db, config.placement),
    });
    process.stderr.write(`Nimbus compute agent for host ${host} is running (driver ${config.compute.compute_driver})\n`);
    const stop = async (signal: string) => {
      log.info({ signal }, 'stopping');
      await agent.stop();
      await db.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    return -1;
  } catch (error) {
    await db.close();
    throw error;
  }
}
