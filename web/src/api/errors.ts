/** An API's refusal as the dashboard shows it: the service's own message and the request id to quote. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Gnocchi's description: a sentence, or for schema and argument errors `{cause, reason, detail}`. */
function describedMessage(description: unknown): string | null {
  if (typeof description === 'string') return description;
  if (isObject(description) && typeof description.reason === 'string') return `${String(description.cause ?? 'Error')}: ${description.reason}`;
  return null;
}

/**
 * The message out of an OpenStack error body. Each service wraps it its own way: Keystone's
 * `{"error": {"message"}}`, Nova's and Cinder's `{"itemNotFound": {"message"}}`, Neutron's
 * `{"NeutronError": {"message"}}`, Gnocchi's `{"description"}` (a sentence, or an object with its
 * `reason`), Aodh's `{"error_message": {"faultstring"}}`, Glance's and Swift's plain text.
 */
export function errorMessage(body: string, status: number): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isObject(parsed)) {
      if (typeof parsed.message === 'string') return parsed.message;
      const described = describedMessage(parsed.description);
      if (described) return described;
      for (const value of Object.values(parsed)) {
        if (isObject(value) && typeof value.message === 'string') return value.message;
        if (isObject(value) && typeof value.faultstring === 'string') return value.faultstring;
      }
    }
  } catch {
    // not JSON: the text itself is the message
  }
  const text = body
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text || `HTTP ${status}`;
}

export function requestIdOf(headers: Headers): string | null {
  return headers.get('x-openstack-request-id') ?? headers.get('x-compute-request-id') ?? headers.get('x-trans-id');
}
