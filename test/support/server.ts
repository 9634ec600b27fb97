/**
 * Starts a fresh Nimbus server for a test: temporary data dir, a free port,
 * silent logs, cheap bcrypt. `close()` stops it and removes the data dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type NimbusConfig } from '../../src/config.js';
import { createLogger } from '../../src/core/logger.js';
import { readStoredPassword } from '../../src/identity/index.js';
import { startServer, writeCloudsYaml, type RunningServer } from '../../src/server.js';
import type { Json } from './json.js';

export interface TestServer {
  url: string;
  identityUrl: string;
  dataDir: string;
  /** The clouds.yaml the server wrote (clouds `nimbus` and `nimbus-demo`). */
  cloudsYaml: string;
  adminPassword: string;
  demoPassword: string;
  server: RunningServer;
  /** A request with JSON in and out; `token` becomes X-Auth-Token. */
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  /** A project-scoped token for `admin` in project `admin`. */
  adminToken(): Promise<string>;
  /** A project-scoped token for `demo` in project `demo`. */
  demoToken(): Promise<string>;
  /** A password token for any user, scoped as asked. */
  token(user: { name?: string; id?: string; password: string }, scope?: unknown): Promise<string>;
  close(): Promise<void>;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as-is (for malformed-body tests). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // Tests read fields freely; the assertions check their shapes.
  body: Json;
  text: string;
}

/** A fetch response as tests read it: status, headers, text, and the body parsed as JSON when it is JSON. */
export async function readResponse(response: Response): Promise<TestResponse> {
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export async function startTestServer(configure?: (config: NimbusConfig) => void): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-test-'));
  const config = defaultConfig();
  config.server.data_dir = dataDir;
  config.server.port = 0;
  config.identity.identity.password_hash_rounds = 4;
  // No compute hosts and no compute first-start content (flavors, a default image) unless a
  // test asks for them: other services' tests count their images, providers and traits.
  config.compute.fake.hosts = 0;
  config.compute.devstack_defaults = false;
  // Only the state snapshot tests reset to it: every other test server skips the save.
  config.server.bootstrap_snapshot = false;
  configure?.(config);
  const server = await startServer(config, createLogger(process.env.NIMBUS_TEST_LOG ?? 'silent'));
  const identityUrl = `${server.url}/identity`;
  // A test may point data_dir elsewhere (to restart over the same data).
  const usedDir = config.server.data_dir;
  const adminPassword = readStoredPassword(usedDir, 'admin');
  const demoPassword = readStoredPassword(usedDir, 'demo');
  const cloudsYaml = writeCloudsYaml(usedDir, server.url, { admin: adminPassword, demo: demoPassword });

  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['x-auth-token'] = options.token;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const url = path.startsWith('http') ? path : `${server.url}${path}`;
    const response = await fetch(url, { method, headers, body });
    return readResponse(response);
  };

  const token = async (user: { name?: string; id?: string; password: string }, scope?: unknown): Promise<string> => {
    const identityUser = user.id ? { id: user.id, password: user.password } : { name: user.name, domain: { id: 'default' }, password: user.password };
    const auth: Record<string, unknown> = { identity: { methods: ['password'], password: { user: identityUser } } };
    if (scope !== undefined) auth.scope = scope;
    const response = await request('POST', '/identity/v3/auth/tokens', { body: { auth } });
    if (response.status !== 201) throw new Error(`token issue failed: ${response.status} ${response.text}`);
    return response.headers.get('x-subject-token') as string;
  };

  return {
    url: server.url,
    identityUrl,
    dataDir: usedDir,
    cloudsYaml,
    adminPassword,
    demoPassword,
    server,
    request,
    token,
    adminToken: () => token({ name: 'admin', password: adminPassword }, { project: { name: 'admin', domain: { id: 'default' } } }),
    demoToken: () => token({ name: 'demo', password: demoPassword }, { project: { name: 'demo', domain: { id: 'default' } } }),
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
