/**
 * OS::Heat::WaitConditionHandle: the address a guest signals when its
 * setup is done. Signals are kept in the handle's metadata, one entry per
 * signal id (`{status, reason, data}`), where OS::Heat::WaitCondition reads
 * them and `resource metadata` shows them, as in Heat.
 */
import type { Json, JsonObject } from '../../json.js';
import { isJsonObject } from '../../json.js';
import type { ResourceContext, ResourcePlugin } from '../types.js';
import { heatResourceErrors } from './errors.js';
import { pythonJsonDumps } from './python-json.js';
import { storedCfnSignalUrl } from './signal-url.js';

export const WAIT_CONDITION_HANDLE_TYPE = 'OS::Heat::WaitConditionHandle';
const SIGNAL_TRANSPORTS = ['CFN_SIGNAL', 'TEMP_URL_SIGNAL', 'HEAT_SIGNAL', 'NO_SIGNAL', 'ZAQAR_SIGNAL', 'TOKEN_SIGNAL'];
/** Transports that need a Swift temp URL or a Zaqar queue per handle, which this cloud does not create. */
const UNSUPPORTED_TRANSPORTS = ['TEMP_URL_SIGNAL', 'ZAQAR_SIGNAL'];
const SIGNAL_KEYS = ['data', 'reason', 'status', 'id'];

/** One signal as Heat stores it, with the defaults Heat fills in (SUCCESS, "Signal <n> received", the signal's number as id). */
export function normaliseSignal(details: Json, existing: JsonObject): { id: string; entry: JsonObject } {
  const number = Object.keys(existing).length + 1;
  const signal: JsonObject = isJsonObject(details) ? { ...details } : {};
  const defaults: JsonObject = { reason: `Signal ${number} received`, data: null, id: number, status: 'SUCCESS' };
  for (const [key, value] of Object.entries(defaults)) if (!(key in signal)) signal[key] = value;
  const keys = Object.keys(signal);
  if (keys.length !== SIGNAL_KEYS.length || !SIGNAL_KEYS.every((key) => keys.includes(key)) || !['SUCCESS', 'FAILURE'].includes(String(signal.status))) {
    throw heatResourceErrors.signalMetadataInvalid();
  }
  const { id, ...entry } = signal;
  return { id: typeof id === 'string' ? id : pythonJsonDumps(id ?? null), entry };
}

/**
 * The handle's `signal` attribute: how a guest signals it over the chosen
 * transport. TOKEN_SIGNAL has none in Heat (its token and endpoint are
 * attributes of their own), so it answers JSON null.
 */
async function signalDetails(ctx: ResourceContext, transport: string): Promise<JsonObject | null> {
  switch (transport) {
    case 'CFN_SIGNAL':
      return { alarm_url: await storedCfnSignalUrl(ctx) };
    case 'HEAT_SIGNAL':
      return { alarm_url: ctx.signalUrls.heat(), project_id: ctx.stack.projectId };
    case 'NO_SIGNAL':
      return {};
    default:
      return null;
  }
}

export const waitConditionHandle: ResourcePlugin = {
  type: WAIT_CONDITION_HANDLE_TYPE,
  description: 'Resource for managing instance signals.',
  properties: {
    signal_transport: {
      type: 'string',
      description:
        'How the client will signal the wait condition. CFN_SIGNAL will allow an HTTP POST to a CFN keypair signed URL. TEMP_URL_SIGNAL will create a Swift TempURL to be signalled via HTTP PUT. HEAT_SIGNAL will allow calls to the Heat API resource-signal using the provided keystone credentials. ZAQAR_SIGNAL will create a dedicated zaqar queue to be signalled using the provided keystone credentials. TOKEN_SIGNAL will allow and HTTP POST to a Heat API endpoint with the provided keystone token. NO_SIGNAL will result in the resource going to a signalled state without waiting for any signal.',
      default: 'TOKEN_SIGNAL',
      constraints: [{ allowed_values: SIGNAL_TRANSPORTS }],
      supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
    },
  },
  attributes: {
    token: {
      description:
        'Token for stack-user which can be used for signalling handle when signal_transport is set to TOKEN_SIGNAL. None for all other signal transports.',
      type: 'string',
    },
    endpoint: {
      description: 'Endpoint/url which can be used for signalling handle when signal_transport is set to TOKEN_SIGNAL. None for all other signal transports.',
      type: 'string',
    },
    curl_cli: {
      description:
        'Convenience attribute, provides curl CLI command prefix, which can be used for signalling handle completion or failure when signal_transport is set to TOKEN_SIGNAL. You can signal success by adding --data-binary \'{"status": "SUCCESS"}\' , or signal failure by adding --data-binary \'{"status": "FAILURE"}\'. This attribute is set to None for all other signal transports.',
      type: 'string',
    },
    signal: {
      description:
        'JSON serialized map that includes the endpoint, token and/or other attributes the client must use for signalling this handle. The contents of this map depend on the type of signal selected in the signal_transport property.',
      type: 'string',
    },
  },
  supportStatus: { status: 'SUPPORTED', version: '2014.2' },

  async validate(props) {
    const transport = String(props.signal_transport ?? 'TOKEN_SIGNAL');
    if (UNSUPPORTED_TRANSPORTS.includes(transport)) {
      throw heatResourceErrors.stackValidation(`signal_transport ${transport} is not supported: this cloud has no per-resource Swift or Zaqar signal channel.`);
    }
  },

  async create(ctx, props) {
    const transport = String(props.signal_transport ?? 'TOKEN_SIGNAL');
    await ctx.setData('transport', transport);
    if (transport === 'TOKEN_SIGNAL') {
      // The token a guest presents is the stack owner's delegated one; without one, `token` stays null.
      if (ctx.caller.token !== '') await ctx.setData('token', ctx.caller.token);
      await ctx.setData('endpoint', ctx.signalUrls.heat());
    }
    await ctx.setPhysicalId(ctx.resource.physicalName);
  },

  async delete() {},

  async resolveAttribute(ctx, name) {
    if (ctx.resource.physicalId === null) return null;
    const { token, endpoint } = ctx.resource.data;
    switch (name) {
      case 'signal':
        return pythonJsonDumps(await signalDetails(ctx, ctx.resource.data.transport ?? 'TOKEN_SIGNAL'));
      case 'token':
        return token ?? null;
      case 'endpoint':
        return endpoint ?? null;
      case 'curl_cli':
        if (token === undefined || endpoint === undefined) return null;
        return `curl -i -X POST -H 'X-Auth-Token: ${token}' -H 'Content-Type: application/json' -H 'Accept: application/json' ${endpoint}`;
      default:
        return null;
    }
  },

  async signal(ctx, details) {
    const { id, entry } = normaliseSignal(details, ctx.resource.metadata);
    await ctx.setMetadata({ ...ctx.resource.metadata, [id]: entry });
  },
};
