/** make_url: builds a URL from its parts, quoting each as Python's urllib does. */
import { isJsonObject, type Json, type JsonObject } from '../../json.js';
import { pythonRepr } from '../python-names.js';
import { argumentError, type TemplateFunction } from './types.js';

/** Python's urllib.parse.uses_netloc. */
const USES_NETLOC = [
  'ftp',
  'http',
  'gopher',
  'nntp',
  'telnet',
  'imap',
  'wais',
  'file',
  'mms',
  'https',
  'shttp',
  'snews',
  'prospero',
  'rtsp',
  'rtsps',
  'rtspu',
  'rsync',
  'svn',
  'svn+ssh',
  'sftp',
  'nfs',
  'git',
  'git+ssh',
  'ws',
  'wss',
  'itms-services',
];
const KEYS = ['scheme', 'username', 'password', 'host', 'port', 'path', 'query', 'fragment'];

/** urllib.parse.quote: letters, digits and `_.-~` stay, plus the `safe` characters; everything else is %-encoded UTF-8. */
function quote(text: string, safe: string): string {
  return [...text]
    .map((c) =>
      /[A-Za-z0-9_.\-~]/.test(c) || safe.includes(c) ? c : [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
    )
    .join('');
}

/** urlencode uses quote_plus: spaces become `+` and `/` is encoded (Heat turns `%2F` back into `/`). */
function quotePlus(text: string): string {
  return quote(text, ' ').replace(/ /g, '+');
}

function checkParts(args: JsonObject, name: string, isCall: (v: Json) => boolean): void {
  for (const key of KEYS) {
    if (!(key in args)) continue;
    const value = args[key] ?? null;
    if (isCall(value)) continue;
    if (key === 'query') {
      if (!isJsonObject(value)) throw argumentError(`The "query" argument to "${name}" must be a map`);
      // Heat stops checking at the query (its loop returns there); later keys are checked when used.
      return;
    }
    if (key === 'port') {
      const port = typeof value === 'number' ? value : Number.parseInt(String(value), 10);
      if (Number.isNaN(port) || (typeof value === 'string' && !/^\s*[-+]?\d+\s*$/.test(value))) {
        throw argumentError(`Invalid URL port "${String(value)}" for ${name} called with ${pythonRepr(args)}`);
      }
      if (!(port > 0 && port <= 65535)) throw argumentError(`Invalid URL port ${port}, must be in range 1-65535`);
    } else if (typeof value !== 'string') {
      throw argumentError(`The "${key}" argument to "${name}" must be a string`);
    }
  }
}

export const makeUrl: TemplateFunction = {
  check(args, name, isCall) {
    if (isCall(args)) return;
    if (!isJsonObject(args)) throw argumentError(`The arguments to "${name}" must be a map`);
    const invalid = Object.keys(args).filter((k) => !KEYS.includes(k));
    if (invalid.length > 0) throw argumentError(`Invalid arguments to "${name}": ${invalid.join(', ')}`);
    checkParts(args, name, isCall);
  },
  apply(rawArgs, _env, name) {
    if (!isJsonObject(rawArgs)) throw argumentError(`The arguments to "${name}" must be a map`);
    checkParts(rawArgs, name, () => false);
    const part = (key: string): string => {
      const value = rawArgs[key];
      return value === undefined || value === null ? '' : String(value);
    };
    const scheme = part('scheme');
    if (scheme.includes(':')) throw argumentError(`URL "scheme" should not contain ':'`);
    const username = quote(part('username'), '');
    const password = quote(part('password'), '');
    let netloc = username || password ? `${username}${password ? `:${password}` : ''}@` : '';
    let host = part('host');
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    host = quote(host, ':');
    netloc += host.includes(':') ? `[${host}]` : host;
    if (part('port')) netloc += `:${part('port')}`;
    const path = quote(part('path'), '/');
    const query = Object.entries(isJsonObject(rawArgs.query ?? null) ? (rawArgs.query as JsonObject) : {})
      .map(([k, v]) => `${quotePlus(k)}=${quotePlus(typeof v === 'string' ? v : pythonRepr(v))}`)
      .join('&')
      .replace(/%2F/g, '/');
    const fragment = quote(part('fragment'), '/');
    // urlunsplit: `//netloc` when there is a netloc or the scheme is one that carries one; the path then starts with '/'.
    let url = path;
    if (netloc || (scheme && USES_NETLOC.includes(scheme) && !url.startsWith('//'))) {
      if (url && !url.startsWith('/')) url = `/${url}`;
      url = `//${netloc}${url}`;
    }
    if (scheme) url = `${scheme}:${url}`;
    if (query) url += `?${query}`;
    if (fragment) url += `#${fragment}`;
    return url;
  },
};
