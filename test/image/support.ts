/** Helpers for the image API tests: JSON calls, patches, uploads and downloads as a given token. */
import { readResponse, type TestResponse, type TestServer } from '../support/server.js';
import type { Json } from '../support/json.js';

export const PATCH_V21 = 'application/openstack-images-v2.1-json-patch';
export const PATCH_V20 = 'application/openstack-images-v2.0-json-patch';

export interface BinaryResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface ImageClient {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  create(body: Record<string, unknown>): Promise<Json>;
  patch(id: string, changes: unknown, contentType?: string): Promise<TestResponse>;
  upload(id: string, data: Buffer | AsyncIterable<Uint8Array> | string, headers?: Record<string, string>): Promise<TestResponse>;
  stage(id: string, data: Buffer, headers?: Record<string, string>): Promise<TestResponse>;
  download(id: string, headers?: Record<string, string>): Promise<BinaryResponse>;
}

export function imageClient(cloud: TestServer, token: string): ImageClient {
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    cloud.request(method, `/image${path}`, { token, body, headers: { accept: 'application/json', ...headers } });
  const put = async (path: string, data: Buffer | AsyncIterable<Uint8Array> | string, headers: Record<string, string> = {}) => {
    const streamed = typeof data !== 'string' && !Buffer.isBuffer(data);
    const response = await fetch(`${cloud.url}/image${path}`, {
      method: 'PUT',
      headers: { 'x-auth-token': token, 'content-type': 'application/octet-stream', accept: 'application/json', ...headers },
      body: data as BodyInit,
      ...(streamed && { duplex: 'half' }),
    } as RequestInit);
    return readResponse(response);
  };
  return {
    call,
    async create(body) {
      const response = await call('POST', '/v2/images', body);
      if (response.status !== 201) throw new Error(`image create failed: ${response.status} ${response.text}`);
      return response.body;
    },
    patch: (id, changes, contentType = PATCH_V21) => call('PATCH', `/v2/images/${id}`, changes, { 'content-type': contentType }),
    upload: (id, data, headers) => put(`/v2/images/${id}/file`, data, headers),
    stage: (id, data, headers) => put(`/v2/images/${id}/stage`, data, headers),
    async download(id, headers = {}) {
      const response = await fetch(`${cloud.url}/image/v2/images/${id}/file`, { headers: { 'x-auth-token': token, ...headers } });
      return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
    },
  };
}

/** Polls `check` every 20 ms until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A project with a member user, as Tempest's dynamic credentials make them; returns the user's token. */
export async function projectMember(cloud: TestServer, adminToken: string, name: string): Promise<{ projectId: string; token: string }> {
  const identity = (method: string, path: string, body?: unknown) => cloud.request(method, `/identity/v3${path}`, { token: adminToken, body });
  const project = (await identity('POST', '/projects', { project: { name } })).body.project;
  const user = (await identity('POST', '/users', { user: { name: `${name}-user`, password: 'secret-pw-1', default_project_id: project.id } })).body.user;
  const member = (await identity('GET', '/roles?name=member')).body.roles[0];
  await identity('PUT', `/projects/${project.id}/users/${user.id}/roles/${member.id}`);
  const token = await cloud.token({ id: user.id, password: 'secret-pw-1' }, { project: { id: project.id } });
  return { projectId: project.id, token };
}
