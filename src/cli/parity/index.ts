/**
 * `nimbus parity`: every operation of each service's OpenStack API reference
 * (docs/parity/api-ref/*.json, read from the projects' own api-ref sources by
 * scripts/parity/extract-api-ref.mjs) against what a throw-away Nimbus answers,
 * with the Tempest whole-suite tests known to pass (conformance/expected/).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../../config.js';
import { createLogger } from '../../core/logger.js';
import { readStoredPassword } from '../../identity/index.js';
import { startServer, type RunningServer } from '../../server.js';
import type { ApiRefOperation } from './api-ref.js';
import { probeOperation, type ProbeCredentials, type ProbedOperation } from './probe.js';
import { PARITY_SOURCES, type ParitySource } from './sources.js';

export interface ServiceParity {
  service: string;
  repository: string;
  commit: string;
  date: string;
  operations: ProbedOperation[];
  /** Tests of Tempest's whole `tempest.api.<suite>` known to pass (conformance/expected/<suite>.txt), when there is a list. */
  tempestPasses: number | null;
}

interface ApiRefFile {
  repository: string;
  commit: string;
  date: string;
  operations: ApiRefOperation[];
}

/** Tempest's suite name where it differs from the catalog type. */
const TEMPEST_SUITE: Record<string, string> = { 'object-store': 'object-storage' };

/** The repository root: the folder above this module (dist/src/cli/parity, or dist/ for the bundle) that has docs/parity. */
export function repositoryRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'docs', 'parity', 'api-ref'))) return dir;
    if (dirname(dir) === dir) throw new Error('docs/parity/api-ref not found above this module: run from a Nimbus checkout or package');
  }
}

export async function runParity(services: string[] = [], root = repositoryRoot()): Promise<ServiceParity[]> {
  const unknown = services.filter((name) => !PARITY_SOURCES.some((source) => source.service === name));
  if (unknown.length > 0) throw new Error(`unknown service ${unknown.join(', ')}: one of ${PARITY_SOURCES.map((s) => s.service).join(', ')}`);
  const chosen = PARITY_SOURCES.filter((source) => services.length === 0 || services.includes(source.service));
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-parity-'));
  const config = defaultConfig('fake');
  config.server.data_dir = dataDir;
  config.server.port = 0;
  const server = await startServer(config, createLogger('silent'));
  try {
    const credentials = await adminCredentials(server, readStoredPassword(dataDir, 'admin'));
    const report: ServiceParity[] = [];
    for (const source of chosen) report.push(await serviceParity(server, source, credentials, root));
    return report;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function serviceParity(server: RunningServer, source: ParitySource, credentials: ProbeCredentials, root: string): Promise<ServiceParity> {
  const file = JSON.parse(readFileSync(join(root, 'docs', 'parity', 'api-ref', `${source.service}.json`), 'utf8')) as ApiRefFile;
  const operations: ProbedOperation[] = [];
  // One at a time: a probe may change what the next one sees (a revoked token, a deleted account).
  for (const operation of file.operations) operations.push(await probeOperation(server, source, operation, credentials));
  const expected = join(root, 'conformance', 'expected', `${TEMPEST_SUITE[source.service] ?? source.service}.txt`);
  const tempestPasses = existsSync(expected)
    ? readFileSync(expected, 'utf8')
        .split('\n')
        .filter((line) => line.trim()).length
    : null;
  return { service: source.service, repository: file.repository, commit: file.commit, date: file.date, operations, tempestPasses };
}

async function adminCredentials(server: RunningServer, password: string): Promise<ProbeCredentials> {
  const auth = {
    identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password } } },
    scope: { project: { name: 'admin', domain: { id: 'default' } } },
  };
  const response = await fetch(`${server.url}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth }),
  });
  if (response.status !== 201) throw new Error(`admin token: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { token: { project: { id: string } } };
  return { token: response.headers.get('x-subject-token') ?? '', projectId: body.token.project.id };
}
