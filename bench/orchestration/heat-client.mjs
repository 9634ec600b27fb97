// The few orchestration v1 calls the bench needs, over plain fetch, against any
// Keystone v3 + Heat pair: Debian's Heat behind Keystone, or Nimbus (one server).
// Loopback only, like every bench here.

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class StackTimeout extends Error {}

/** A password-scoped session: token plus the catalog's public orchestration URL (…/v1/<project_id>). */
export async function connect(target) {
  const authUrl = target.auth_url.replace(/\/$/, '');
  if (!LOOPBACK.test(new URL(authUrl).hostname)) throw new Error(`refusing non-loopback auth_url ${authUrl}`);
  const body = {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: target.username, domain: { name: target.user_domain ?? 'Default' }, password: target.password } },
      },
      scope: { project: { name: target.project, domain: { name: target.project_domain ?? 'Default' } } },
    },
  };
  const response = await fetch(`${authUrl}/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`${target.name}: token: ${response.status} ${await response.text()}`);
  const token = response.headers.get('x-subject-token');
  const { catalog } = (await response.json()).token;
  const service = catalog.find((s) => s.type === 'orchestration');
  const endpoint = service?.endpoints.find((e) => e.interface === 'public');
  if (!endpoint) throw new Error(`${target.name}: no public orchestration endpoint in the catalog`);
  if (!LOOPBACK.test(new URL(endpoint.url).hostname)) throw new Error(`refusing non-loopback orchestration endpoint ${endpoint.url}`);
  return new HeatSession(token, endpoint.url.replace(/\/$/, ''));
}

export class HeatSession {
  constructor(token, url) {
    this.token = token;
    this.url = url;
  }

  async call(method, path, body) {
    const headers = { 'x-auth-token': this.token, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  }

  /** POST /stacks; the stack's "name/id" path for later calls. */
  async createStack(name, template, timeoutSeconds) {
    const r = await this.call('POST', '/stacks', { stack_name: name, template, timeout_mins: Math.ceil(timeoutSeconds / 60), disable_rollback: true });
    if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    return `${name}/${r.body.stack.id}`;
  }

  /** Polls until the stack reaches `status`; a *_FAILED status or the deadline throws. */
  async waitFor(stackPath, status, deadline) {
    await this.poll(deadline, async () => {
      const r = await this.call('GET', `/stacks/${stackPath}`);
      if (r.status !== 200) throw new Error(`show ${stackPath}: ${r.status} ${JSON.stringify(r.body)}`);
      const { stack_status: now, stack_status_reason: reason } = r.body.stack;
      if (now.endsWith('_FAILED')) throw new Error(`${stackPath}: ${now}: ${reason}`);
      return now === status;
    });
  }

  /** DELETE, then polls until the stack is gone (404, or DELETE_COMPLETE where Heat still shows it by id). */
  async deleteStack(stackPath, deadline) {
    const r = await this.call('DELETE', `/stacks/${stackPath}`);
    if (r.status !== 204 && r.status !== 404) throw new Error(`delete ${stackPath}: ${r.status} ${JSON.stringify(r.body)}`);
    await this.poll(deadline, async () => {
      const show = await this.call('GET', `/stacks/${stackPath}`);
      if (show.status === 404) return true;
      if (show.status !== 200) throw new Error(`show ${stackPath}: ${show.status} ${JSON.stringify(show.body)}`);
      if (show.body.stack.stack_status === 'DELETE_FAILED') throw new Error(`${stackPath}: DELETE_FAILED: ${show.body.stack.stack_status_reason}`);
      return show.body.stack.stack_status === 'DELETE_COMPLETE';
    });
  }

  /**
   * Calls `done` until it answers true. The interval grows with the time spent (5 %,
   * between 50 ms and 1 s), so polling adds at most ~5 % to a measured duration and
   * its own load on the server stays small on long runs.
   */
  async poll(deadline, done) {
    const began = performance.now();
    for (;;) {
      if (await done()) return;
      if (Date.now() > deadline) throw new StackTimeout(`timed out after ${((performance.now() - began) / 1000).toFixed(0)} s`);
      await sleep(Math.min(1000, Math.max(50, (performance.now() - began) * 0.05)));
    }
  }
}
