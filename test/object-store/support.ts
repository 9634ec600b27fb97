/** A test server with the object store, and Swift requests against the admin and demo accounts. */
import { createHash } from 'node:crypto';
import type { NimbusConfig } from '../../src/config.js';
import { startTestServer, type TestServer } from '../support/server.js';

export interface SwiftTestCloud {
  cloud: TestServer;
  adminToken: string;
  demoToken: string;
  /** `/object-store/v1/AUTH_<admin project>` */
  adminAccount: string;
  demoAccount: string;
  /** A raw Swift request; `token: null` for an anonymous one. */
  swift(method: string, path: string, options?: { token?: string | null; headers?: Record<string, string>; body?: BodyInit | null }): Promise<SwiftResponse>;
}

export interface SwiftResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  text: string;
}

export async function startSwiftCloud(configure: (config: NimbusConfig) => void = () => {}): Promise<SwiftTestCloud> {
  const cloud = await startTestServer((config) => {
    config.object_store.replicator_interval = 0;
    configure(config);
  });
  const adminToken = await cloud.adminToken();
  const demoToken = await cloud.demoToken();
  const project = async (token: string) => {
    const response = await cloud.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } });
    return response.body.token.project.id as string;
  };
  const adminAccount = `/object-store/v1/AUTH_${await project(adminToken)}`;
  const demoAccount = `/object-store/v1/AUTH_${await project(demoToken)}`;
  const swift: SwiftTestCloud['swift'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? adminToken : options.token;
    if (token !== null) headers['x-auth-token'] = token;
    // Strings go as bytes: fetch would otherwise add its own text/plain Content-Type.
    const body = typeof options.body === 'string' ? Buffer.from(options.body) : (options.body ?? null);
    const init: RequestInit & { duplex?: string } = { method, headers, body };
    if (options.body instanceof ReadableStream) init.duplex = 'half';
    const response = await fetch(`${cloud.url}${path}`, init);
    const received = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, body: received, text: received.toString('utf8') };
  };
  return { cloud, adminToken, demoToken, adminAccount, demoAccount, swift };
}

export function md5(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}
