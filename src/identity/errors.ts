/** Keystone's error body: {"error": {"code", "title", "message"}}. */
import { STATUS_CODES } from 'node:http';
import type { NimbusError } from '../core/errors.js';

export function renderKeystoneError(error: NimbusError, status: number): unknown {
  return { error: { code: status, title: STATUS_CODES[status] ?? 'Error', message: error.message } };
}
