/**
 * Talking to a Nimbus child process as `demo` (a member of project demo) and
 * as `admin`: tokens from the stored passwords, and one call that any
 * request of the crash test goes through. A call to a killed process answers
 * `{ status: 0 }` instead of throwing, so workers can tell "no answer" from
 * an answer.
 */
import { readStoredPassword } from '../../../src/identity/index.js';
import { readResponse } from '../../support/server.js';
import type { Json } from '../../support/json.js';

export interface Reply {
  /** 0 when the process gave no answer (killed, connection refused or reset). */
  status: number;
  // Replies are read field by field; the assertions check their shapes.
  body: Json;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  /** JSON body, or raw bytes sent as application/octet-stream. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Call as admin (project admin) instead of demo. */
  admin?: boolean;
}

export interface Session {
  url: string;
  demoProject: string;
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
}

async function issueToken(url: string, dataDir: string, user: 'admin' | 'demo'): Promise<{ token: string; project: string }> {
  const auth = {
    identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password: readStoredPassword(dataDir, user) } } },
    scope: { project: { name: user, domain: { id: 'default' } } },
  };
  const response = await fetch(`${url}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth }),
  });
  if (response.status !== 201) throw new Error(`token for ${user}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { token: { project: { id: string } } };
  return { token: response.headers.get('x-subject-token') as string, project: body.token.project.id };
}

export async function openSession(url: string, dataDir: string): Promise<Session> {
  const demo = await issueToken(url, dataDir, 'demo');
  const admin = await issueToken(url, dataDir, 'admin');
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { 'x-auth-token': options.admin ? admin.token : demo.token, ...options.headers };
    let body: Blob | string | undefined;
    if (options.body instanceof Buffer) {
      body = new Blob([options.body]);
      headers['content-type'] ??= 'application/octet-stream';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    try {
      return await readResponse(await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) }));
    } catch (error) {
      return { status: 0, body: {}, text: String(error), headers: new Headers() };
    }
  };
  return { url, demoProject: demo.project, call };
}

/** Path prefixes of the demo project's APIs. */
export const paths = {
  compute: '/compute/v2.1',
  network: '/network/v2.0',
  image: '/image/v2',
  volume: (project: string) => `/volume/v3/${project}`,
  swift: (project: string) => `/object-store/v1/AUTH_${project}`,
  placement: '/placement',
};

/** Nova at a microversion that shows task_state, faults and attachments with their flags. */
export const NOVA_VERSION = { 'openstack-api-version': 'compute 2.79' };
