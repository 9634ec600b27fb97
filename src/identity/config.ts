/** Keystone's options, under `identity:` (its sections: token, identity, fernet_tokens, security_compliance, oauth1). */

export interface SecurityComplianceConfig {
  /** Failed password attempts before the user is locked; 0 disables lockout. */
  lockout_failure_attempts: number;
  /** Seconds a locked user stays locked; 0 means until an admin unlocks. */
  lockout_duration: number;
  /** How many previous passwords a new one may not repeat; 0 or 1 disables. */
  unique_last_password_count: number;
  /** Days a password must be kept before the user may change it again. */
  minimum_password_age: number;
  /** Days until a password expires; 0 means never. */
  password_expires_days: number;
  password_regex: string | null;
  password_regex_description: string | null;
  change_password_upon_first_use: boolean;
  disable_user_account_days_inactive: number;
}

export interface IdentityConfig {
  /** cache_time: seconds a validated token is remembered (0 disables; see identity/service/token-cache.ts). */
  token: { expiration: number; allow_rescope_scoped_token: boolean; cache_time: number };
  identity: { password_hash_rounds: number; list_limit: number | null };
  /** key_repository: the Fernet key directory, null for `<data-dir>/fernet-keys`; API processes of one cloud share one (docs/cluster.md). */
  fernet_tokens: { max_active_keys: number; key_repository: string | null };
  security_compliance: SecurityComplianceConfig;
  /** Seconds OS-OAUTH1 request and access tokens live; 0 means they never expire (Keystone's [oauth1]). */
  oauth1: { request_token_duration: number; access_token_duration: number };
}

export function identityDefaults(): IdentityConfig {
  return {
    token: { expiration: 3600, allow_rescope_scoped_token: true, cache_time: 300 },
    identity: { password_hash_rounds: 12, list_limit: null },
    fernet_tokens: { max_active_keys: 3, key_repository: null },
    security_compliance: {
      lockout_failure_attempts: 0,
      lockout_duration: 1800,
      unique_last_password_count: 0,
      minimum_password_age: 0,
      password_expires_days: 0,
      password_regex: null,
      password_regex_description: null,
      change_password_upon_first_use: false,
      disable_user_account_days_inactive: 0,
    },
    oauth1: { request_token_duration: 28800, access_token_duration: 86400 },
  };
}
