/**
 * How the CLI's verbs (`nimbus state`, `nimbus clock`) reach a running
 * cloud's `/_nimbus/` endpoints: the server is `--url`, or the configured
 * host and port; the token is `--token`, or one issued to `admin` with the
 * password stored in the data directory.
 */
import type { NimbusConfig } from '../config.js';
import { readStoredPassword } from '../identity/index.js';

export interface ControlOptions {
  url?: string;
  token?: string;
}

export interface ControlClient {
  /** JSON in and out under `/_nimbus`; a status other than 2xx throws with the server's message. */
  call(method: string, path: string, body?: unknown): Promise<unknown>;
}

export async function controlClient(config: NimbusConfig, options: ControlOptions): Promise<ControlClient> {
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const url = (options.url ?? `http://${host}:${config.server.port}`).replace(/\/+$/, '');
  const token = options.token ?? (await adminToken(url, readStoredPassword(config.server.data_dir, 'admin')));
  return {
    async call(method, path, body) {
      const response = await fetch(`${url}/_nimbus${path}`, {
        method,
        headers: { 'x-auth-token': token, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      const parsed: unknown = text ? JSON.parse(text) : {};
      if (!response.ok) throw new Error(`${method} /_nimbus${path}: ${response.status} ${errorMessage(parsed) ?? text}`);
      return parsed;
    },
  };
}

async function adminToken(url: string, password: string): Promise<string> {
  const auth = {
    identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password } } },
    scope: { project: { name: 'admin', domain: { id: 'default' } } },
  };
  const response = await fetch(`${url}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth }),
  });
  const token = response.headers.get('x-subject-token');
  if (response.status !== 201 || !token) throw new Error(`Could not get an admin token from ${url}: ${response.status} ${await response.text()}`);
  return token;
}

function errorMessage(body: unknown): string | null {
  const error = typeof body === 'object' && body !== null ? (body as { error?: { message?: unknown } }).error : undefined;
  return typeof error?.message === 'string' ? error.message : null;
}
