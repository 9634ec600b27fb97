/** The bootstrap users of a test cloud as clients take them: credentials, OS_* variables, tokens. */

/** The users every Nimbus bootstraps: `admin` in project `admin`, `demo` in project `demo`. */
export type NimbusUserName = 'admin' | 'demo';

export interface NimbusCredentials {
  readonly username: string;
  readonly password: string;
  readonly projectName: string;
  readonly userDomainName: string;
  readonly projectDomainName: string;
}

export function credentialsOf(user: NimbusUserName, password: string): NimbusCredentials {
  return { username: user, password, projectName: user, userDomainName: 'Default', projectDomainName: 'Default' };
}

/**
 * The variables openstackclient and openstacksdk read when no OS_CLOUD is set. No OS_CLIENT_CONFIG_FILE: the
 * CLI lets OS_USERNAME and OS_PASSWORD override the cloud `--os-cloud` names, so the two would mix users.
 */
export function openStackEnv(identityUrl: string, user: NimbusCredentials): Record<string, string> {
  return {
    OS_AUTH_TYPE: 'password',
    OS_AUTH_URL: identityUrl,
    OS_IDENTITY_API_VERSION: '3',
    OS_USERNAME: user.username,
    OS_PASSWORD: user.password,
    OS_PROJECT_NAME: user.projectName,
    OS_USER_DOMAIN_NAME: user.userDomainName,
    OS_PROJECT_DOMAIN_NAME: user.projectDomainName,
    OS_REGION_NAME: 'RegionOne',
    OS_INTERFACE: 'public',
  };
}

/** A password token scoped to the user's own project (POST /v3/auth/tokens). */
export async function issueProjectToken(identityUrl: string, user: NimbusCredentials): Promise<string> {
  const response = await fetch(`${identityUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: user.username, domain: { name: user.userDomainName }, password: user.password } } },
        scope: { project: { name: user.projectName, domain: { name: user.projectDomainName } } },
      },
    }),
  });
  const token = response.headers.get('x-subject-token');
  if (response.status !== 201 || token === null) throw new Error(`Keystone refused a token to ${user.username}: ${response.status} ${await response.text()}`);
  return token;
}
