/**
 * Reads an OpenStack api-ref's operation list out of its reStructuredText
 * sources: every `.. rest_method:: METHOD /path` with the title of the section
 * it sits in and, for the `/action` endpoints that multiplex many operations
 * (Nova's and Cinder's), the action's key (the first request parameter that
 * is not in the path). Gnocchi publishes no api-ref: its REST page's example
 * requests (doc/source/rest.yaml) stand for its operation list.
 */
import { compareMicroversions, parseMicroversion } from '../../core/microversions.js';

/** One operation of a service's API reference. */
export interface ApiRefOperation {
  title: string;
  method: string;
  /** As the api-ref writes it, e.g. `/servers/{server_id}/action`. */
  path: string;
  /** For `POST …/action`: the body's key that names the action (`reboot`, `os-reset_status`). */
  action?: string;
  /** The operation's parameters (request and response) that its api-ref says came with a microversion (`min_version`). */
  since?: MicroversionedField[];
}

export interface MicroversionedField {
  name: string;
  /** The microversion the field came with, e.g. `2.91`. */
  version: string;
}

/** Each parameter's `min_version` in an api-ref's parameters.yaml, by the parameter's key. */
export function parseParameterVersions(text: string): Map<string, string> {
  const versions = new Map<string, string>();
  let key = '';
  for (const line of text.split('\n')) {
    const top = /^([A-Za-z0-9_:.-]+):\s*$/.exec(line);
    if (top) key = top[1] ?? '';
    const version = /^\s+min_version:\s*([0-9]+\.[0-9]+)\s*$/.exec(line);
    if (version && key) versions.set(key, version[1] ?? '');
  }
  return versions;
}

const REST_METHOD = /^\.\. rest_method::\s+(GET|HEAD|POST|PUT|PATCH|DELETE|COPY)\s+(\S+)/;
const UNDERLINE = /^(=+|-+|~+|\^+|"+)\s*$/;
const PARAMETERS = /^\.\. rest_parameters::/;
const PARAMETER = /^\s+- ([A-Za-z0-9_:.-]+)\s*:\s*(\S+)?/;

/**
 * The operations one `.inc`/`.rst` file documents, in order. `versions`:
 * parameters.yaml's `min_version`s (parseParameterVersions), to note the
 * fields of each operation that came with a microversion.
 */
export function parseApiRef(text: string, versions: Map<string, string> = new Map()): ApiRefOperation[] {
  const lines = text.split('\n');
  const operations: ApiRefOperation[] = [];
  let title = '';
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const next = lines[i + 1] ?? '';
    if (line.trim() && UNDERLINE.test(next) && next.trim().length >= line.trim().length) {
      title = line.trim();
      continue;
    }
    const method = REST_METHOD.exec(line);
    if (!method) continue;
    const [, verb = '', written = ''] = method;
    // A few api-ref lines carry an example query string or lack the leading slash.
    const path = `/${written.split('?')[0]!.replace(/^\/+/, '')}`;
    const operation: ApiRefOperation = { title, method: verb, path };
    if (verb === 'POST' && path.endsWith('/action')) {
      const action = firstBodyParameter(lines, i + 1, path);
      if (action) operation.action = action;
    }
    const since = microversionedFields(lines, i + 1, versions);
    if (since.length > 0) operation.since = since;
    operations.push(operation);
  }
  return operations;
}

/** The parameters listed after `lineIndex`, up to the next operation, that came with a microversion: each name once, at its earliest. */
function microversionedFields(lines: string[], lineIndex: number, versions: Map<string, string>): MicroversionedField[] {
  const fields = new Map<string, string>();
  for (let i = lineIndex; i < lines.length && !REST_METHOD.test(lines[i] ?? ''); i += 1) {
    const [, name, key] = PARAMETER.exec(lines[i] ?? '') ?? [];
    const version = key ? versions.get(key) : undefined;
    if (!name || !version) continue;
    const known = fields.get(name);
    if (!known || compareVersions(version, known) < 0) fields.set(name, version);
  }
  return [...fields].map(([name, version]) => ({ name, version })).sort((a, b) => compareVersions(a.version, b.version) || a.name.localeCompare(b.name));
}

/** Orders `X.Y` microversions numerically (2.9 before 2.10). */
export function compareVersions(a: string, b: string): number {
  return compareMicroversions(parseMicroversion(a), parseMicroversion(b));
}

/** The first request parameter after `lineIndex` that is neither in the path nor a header, up to the next operation. */
function firstBodyParameter(lines: string[], lineIndex: number, path: string): string | null {
  const inPath = new Set([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
  let inParameters = false;
  for (let i = lineIndex; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (REST_METHOD.test(line)) return null;
    if (PARAMETERS.test(line)) {
      inParameters = true;
      continue;
    }
    if (!inParameters) continue;
    const parameter = PARAMETER.exec(line);
    if (parameter) {
      const name = parameter[1] ?? '';
      // Headers are written as they travel (`OpenStack-API-Version`, `X-Auth-Token`); path parameters are in braces.
      if (!inPath.has(name) && !/^[A-Z]/.test(name) && name !== 'project_id' && name !== 'tenant_id') return name;
    } else if (line.trim() && !line.startsWith(' ')) {
      inParameters = false;
    }
  }
  return null;
}

/**
 * Gnocchi's operations from its REST page's example requests
 * (`POST /v1/metric HTTP/1.1`): template expressions become `{id}`, query
 * strings are dropped, and repeats are one operation. The title is the
 * scenario's name.
 */
export function parseGnocchiRest(text: string): ApiRefOperation[] {
  const operations: ApiRefOperation[] = [];
  let scenario = '';
  for (const line of text.split('\n')) {
    const name = /^- name:\s*(\S+)/.exec(line);
    if (name) scenario = name[1] ?? '';
    // `request: GET /v1/… HTTP/1.1` on one line, or the method line first in a `request: |` block.
    const request = /^\s+(?:request:\s*)?(GET|HEAD|POST|PUT|PATCH|DELETE) (\/v1\/\S*)(?: HTTP\/1\.1)?\s*$/.exec(line.replace(/\{\{[^}]*\}\}/g, '{id}'));
    if (!request) continue;
    const path = (request[2] ?? '')
      .split('?')[0]!
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '{id}')
      .replace(/\/+$/, '');
    operations.push({ title: scenario, method: request[1] ?? '', path });
  }
  return operations;
}

/** One entry per method, path and action: an api-ref documents some operations twice (deprecated aliases, includes). */
export function uniqueOperations(operations: ApiRefOperation[]): ApiRefOperation[] {
  const seen = new Map<string, ApiRefOperation>();
  for (const operation of operations) {
    const key = `${operation.method} ${operation.path.replace(/\{[^}]+\}/g, '{}')} ${operation.action ?? ''}`;
    if (!seen.has(key)) seen.set(key, operation);
  }
  return [...seen.values()];
}
