/** Reading request bodies the way Glance's JSON deserializer does. */
import { imageErrors } from '../errors.js';

/** The parsed JSON body; Glance's "Body expected in request." when there is none. */
export function requireBody(body: unknown): unknown {
  if (body === undefined || body === null) throw imageErrors.bodyExpected();
  return body;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A header's single value (the last one when repeated). */
export function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** The media type of a Content-Type header, without parameters, lower-cased. */
export function mediaType(value: string | string[] | undefined): string | undefined {
  return header(value)?.split(';')[0]?.trim().toLowerCase();
}
