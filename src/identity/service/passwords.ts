/**
 * Passwords: bcrypt hashing at Keystone's cost (so hashes move between Keystone
 * and Nimbus both ways) and Keystone's [security_compliance] rules: lockout,
 * history, minimum age, expiry, regex, change on first use.
 */
import bcrypt from 'bcrypt';
import type { SecurityComplianceConfig } from '../config.js';

import { hexId } from '../../core/ids.js';
import { toBool } from '../../core/db/values.js';
import { insertPassword, passwordHistory, prunePasswords, type IdentityDb, type User } from '../store/index.js';
import { identityErrors } from '../errors.js';
import { nowMs } from '../../core/time.js';

const DAY_MS = 24 * 3600 * 1000;

export async function hashPassword(password: string, rounds: number): Promise<string> {
  return bcrypt.hash(password, rounds);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  // Keystone stores bcrypt as $2b$; Node's bcrypt reads $2a$/$2b$/$2y$ alike.
  return hash.startsWith('$2') ? bcrypt.compare(password, hash) : false;
}

export interface UserOptions {
  ignore_password_expiry?: boolean;
  ignore_lockout_failure_attempts?: boolean;
  ignore_change_password_upon_first_use?: boolean;
  lock_password?: boolean;
  [key: string]: unknown;
}

/** Checks a new password against password_regex. */
export function checkPasswordRequirements(password: string, rules: SecurityComplianceConfig): void {
  if (typeof password !== 'string') throw identityErrors.passwordNotString();
  if (rules.password_regex && !new RegExp(rules.password_regex).test(password)) {
    const detail = rules.password_regex_description ?? `the password must match ${rules.password_regex}`;
    throw identityErrors.passwordRequirements(detail);
  }
}

/**
 * The new password may not repeat any of the last unique_last_password_count
 * passwords, the current one included (Keystone's _validate_password_history).
 */
export async function checkPasswordHistory(db: IdentityDb, userId: string, password: string, rules: SecurityComplianceConfig): Promise<void> {
  const count = rules.unique_last_password_count;
  if (count <= 0) return;
  for (const old of await passwordHistory(db, userId, count)) {
    if (await verifyPassword(password, old.hash)) {
      throw identityErrors.passwordReused(count);
    }
  }
}

/** Self-service changes must wait minimum_password_age days after the last change. */
export async function checkMinimumPasswordAge(db: IdentityDb, userId: string, rules: SecurityComplianceConfig): Promise<void> {
  const days = rules.minimum_password_age;
  if (days <= 0) return;
  const [current] = await passwordHistory(db, userId, 1);
  if (!current || !toBool(current.self_service)) return;
  const allowedAt = Date.parse(current.created_at) + days * DAY_MS;
  if (nowMs() < allowedAt) {
    const daysLeft = Math.ceil((allowedAt - nowMs()) / DAY_MS);
    throw identityErrors.passwordTooYoung(days, daysLeft);
  }
}

/** Stores a new current password and trims history to what the checks need. */
export async function setPassword(
  db: IdentityDb,
  user: Pick<User, 'id' | 'options'>,
  password: string,
  options: { selfService: boolean; rules: SecurityComplianceConfig; rounds: number },
): Promise<void> {
  const now = nowMs();
  const userOptions = JSON.parse(user.options) as UserOptions;
  let expiresAt: string | null = null;
  if (!options.selfService && options.rules.change_password_upon_first_use && !userOptions.ignore_change_password_upon_first_use) {
    expiresAt = new Date(now).toISOString();
  } else if (options.rules.password_expires_days > 0 && !userOptions.ignore_password_expiry) {
    expiresAt = new Date(now + options.rules.password_expires_days * DAY_MS).toISOString();
  }
  // History is ordered by created_at, so two changes within one millisecond
  // must still get increasing times.
  const [previous] = await passwordHistory(db, user.id, 1);
  const createdAt = Math.max(now, previous ? Date.parse(previous.created_at) + 1 : now);
  await insertPassword(db, {
    id: hexId(),
    user_id: user.id,
    hash: await hashPassword(password, options.rounds),
    self_service: options.selfService,
    expires_at: expiresAt,
    created_at: new Date(createdAt).toISOString(),
  });
  await prunePasswords(db, user.id, Math.max(options.rules.unique_last_password_count, 1));
}

/** Lockout state before a password is even checked. */
export function checkNotLocked(user: User, rules: SecurityComplianceConfig): void {
  const options = JSON.parse(user.options) as UserOptions;
  if (rules.lockout_failure_attempts <= 0 || options.ignore_lockout_failure_attempts) return;
  if (user.failed_auth_count < rules.lockout_failure_attempts) return;
  const lockedUntil = user.failed_auth_at ? Date.parse(user.failed_auth_at) + rules.lockout_duration * 1000 : Infinity;
  if (rules.lockout_duration <= 0 || nowMs() < lockedUntil) {
    throw identityErrors.accountLocked(user.id);
  }
}

/** Whether a lockout has run out, so the failure count starts again. */
export function lockoutExpired(user: User, rules: SecurityComplianceConfig): boolean {
  if (rules.lockout_duration <= 0 || !user.failed_auth_at) return false;
  return nowMs() >= Date.parse(user.failed_auth_at) + rules.lockout_duration * 1000;
}

export function passwordExpired(expiresAt: string | null, options: UserOptions): boolean {
  if (!expiresAt || options.ignore_password_expiry) return false;
  return Date.parse(expiresAt) <= nowMs();
}
