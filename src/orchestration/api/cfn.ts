/**
 * The `cloudformation` endpoint's signal paths (heat/api/cfn/v1/signal.py):
 * `POST /cfn/v1/signal/{arn}` and `PUT /cfn/v1/waitcondition/{arn}`, taken
 * without a token when the URL carries a valid EC2 signature made with the
 * resource's keypair; and the making of those presigned URLs, which the
 * engine hands to resources as `signalUrls.cfn()`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest, Forbidden } from '../../core/errors.js';
import { isoSeconds } from '../../core/time.js';
import type { Json } from '../json.js';
import type { StackService } from '../service/types.js';
import type { CfnKeys } from '../software/cfn-keys.js';
import { signatureV2, verifySignatureV2 } from './cfn-signature.js';

export const CFN_PATH = '/cfn/v1';

/** Python's `urllib.parse.quote` with `/` safe (its default) or nothing safe. */
function pyQuote(value: string, safe = '/'): string {
  const encoded = encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return safe === '/' ? encoded.replaceAll('%2F', '/') : encoded;
}

/** Heat's resource ARN: `arn:openstack:heat::<project>:stacks/<name>/<id>/resources/<resource>`. */
export function resourceArn(stack: { projectId: string; name: string; id: string }, resourceName: string): string {
  return `arn:openstack:heat::${pyQuote(stack.projectId, '')}:stacks/${pyQuote(stack.name, '')}/${pyQuote(stack.id, '')}${pyQuote(`/resources/${resourceName}`)}`;
}

/** `decodeURIComponent`, or null for a malformed escape (a hostile URL is a refused signature, not a crash). */
function decoded(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

function parseArn(arn: string): { stackId: string; resourceName: string } | null {
  const match = /^arn:openstack:heat::[^:]*:stacks\/([^/]+)\/([^/]+)\/resources\/(.+)$/.exec(arn);
  const stackId = match ? decoded(match[2]!) : null;
  const resourceName = match ? decoded(match[3]!) : null;
  return stackId === null || resourceName === null ? null : { stackId, resourceName };
}

const SIGNAL_VERBS = { signal: 'POST', waitcondition: 'PUT' } as const;

/** The wait condition endpoint under the orchestration root (heat_waitcondition_server_url's default). */
export function cfnWaitconditionUrl(orchestrationRoot: string): string {
  return `${orchestrationRoot}${CFN_PATH}/waitcondition`;
}

/**
 * The presigned URL of a resource (signal_responder's ec2 signed URL) made
 * from the wait condition endpoint's URL (its `/waitcondition` turned into
 * the kind asked for): `<...>/cfn/v1/signal/<quoted arn>?AWSAccessKeyId=...&Signature=...`.
 */
export async function cfnSignalUrl(
  keys: CfnKeys,
  waitconditionUrl: string,
  stack: { projectId: string; name: string; id: string },
  resourceName: string,
  kind: keyof typeof SIGNAL_VERBS = 'signal',
): Promise<string> {
  const key = await keys.forResource(stack.id, resourceName);
  const base = new URL(waitconditionUrl.replace(/\/waitcondition\/?$/, `/${kind}`).toLowerCase());
  const arn = resourceArn(stack, resourceName);
  const params: Record<string, string> = {
    SignatureMethod: 'HmacSHA256',
    SignatureVersion: '2',
    AWSAccessKeyId: key.access_key,
    Timestamp: isoSeconds(key.created_at),
  };
  params['Signature'] = signatureV2(key.secret_key, { verb: SIGNAL_VERBS[kind], host: base.host, path: `${base.pathname}/${arn}`, params });
  return `${base.origin}${base.pathname}/${pyQuote(arn)}?${new URLSearchParams(params).toString()}`;
}

const signatureMismatch = () =>
  new Forbidden('The request signature we calculated does not match the signature you provided', { type: 'SignatureDoesNotMatch' });

export function cfnRoutes(app: FastifyInstance, deps: { keys: CfnKeys; stacks: StackService }): void {
  const handle = (kind: keyof typeof SIGNAL_VERBS) => async (request: FastifyRequest) => {
    const [rawPath = '', rawQuery = ''] = request.url.split('?');
    const params = Object.fromEntries(new URLSearchParams(rawQuery));
    const accessKey = params['AWSAccessKeyId'];
    const signature = params['Signature'];
    if (accessKey === undefined || signature === undefined) {
      throw new Forbidden('Does not contain a valid AWS Access Key or certificate', { type: 'MissingAuthenticationToken' });
    }
    const key = await deps.keys.byAccessKey(accessKey);
    if (!key) throw signatureMismatch();
    const path = decoded(rawPath);
    if (path === null) throw signatureMismatch();
    const host = (request.headers.host ?? '').toLowerCase();
    if (!verifySignatureV2(key.secret_key, { verb: request.method, host, path, params }, signature)) throw signatureMismatch();
    const prefix = `${CFN_PATH}/${kind}/`;
    const target = parseArn(path.slice(path.indexOf(prefix) + prefix.length));
    if (!target || target.stackId !== key.stack_id || target.resourceName !== key.resource_name) throw signatureMismatch();
    const body = request.body;
    if (body !== undefined && body !== null && typeof body !== 'object') throw new BadRequest('The signal body must be JSON.');
    await deps.stacks.signal(null, target.stackId, target.resourceName, (body ?? null) as Json);
    return '';
  };
  app.post(`${CFN_PATH}/signal/*`, handle('signal'));
  app.put(`${CFN_PATH}/waitcondition/*`, handle('waitcondition'));
}
