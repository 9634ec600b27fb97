/** An admin password Nova makes up when the request gives none (12 URL-safe characters). */
import { randomBytes } from 'node:crypto';

export function generatedPassword(): string {
  return randomBytes(9).toString('base64url').slice(0, 12);
}
