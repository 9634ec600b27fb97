/**
 * The files that point the CLI and SDKs at this cloud for the current project: a clouds.yaml
 * entry and an openrc script. As Horizon's, neither holds a password: clouds.yaml leaves it
 * out (the CLI asks, or OS_PASSWORD gives it) and the openrc prompts for it when sourced.
 * An application credential's clouds.yaml carries its id and secret instead, the only way to use one.
 */
import { serviceUrl } from './client';
import type { Session } from './session';

export interface ApplicationCredentialSecret {
  id: string;
  name: string;
  secret: string;
}

/** JSON's double-quoted strings are valid YAML scalars, whatever a name holds. */
const yamlString = (value: string) => JSON.stringify(value);
/** A shell word in single quotes, each single quote written as '\'' . */
const shellWord = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

function authUrl(session: Session): string {
  return new URL(serviceUrl(session, 'identity', ''), window.location.origin).href;
}

/** The name of the clouds.yaml entry: what `--os-cloud` takes (with the credential's name for one). */
export function cloudName(session: Session, credential?: ApplicationCredentialSecret): string {
  return ['nimbus', session.project.name, ...(credential ? [credential.name] : [])].join('-').replace(/[^A-Za-z0-9_.-]/g, '-');
}

export function cloudsYaml(session: Session, credential?: ApplicationCredentialSecret): string {
  const auth = credential
    ? [`      application_credential_id: ${yamlString(credential.id)}`, `      application_credential_secret: ${yamlString(credential.secret)}`]
    : [
        `      username: ${yamlString(session.userName)}`,
        `      user_domain_name: ${yamlString(session.domainName)}`,
        `      project_id: ${yamlString(session.project.id)}`,
        `      project_name: ${yamlString(session.project.name)}`,
        `      project_domain_id: ${yamlString(session.project.domainId)}`,
      ];
  return [
    'clouds:',
    `  ${cloudName(session, credential)}:`,
    '    auth:',
    `      auth_url: ${yamlString(authUrl(session))}`,
    ...auth,
    ...(credential ? ['    auth_type: "v3applicationcredential"'] : []),
    ...(session.region ? [`    region_name: ${yamlString(session.region)}`] : []),
    '    interface: "public"',
    '    identity_api_version: 3',
    '',
  ].join('\n');
}

export function openrc(session: Session): string {
  return [
    '#!/usr/bin/env bash',
    `# Source this file (". ${cloudName(session)}-openrc.sh") to use project ${session.project.name} from the command line.`,
    `export OS_AUTH_URL=${shellWord(authUrl(session))}`,
    `export OS_USERNAME=${shellWord(session.userName)}`,
    `export OS_USER_DOMAIN_NAME=${shellWord(session.domainName)}`,
    `export OS_PROJECT_ID=${shellWord(session.project.id)}`,
    `export OS_PROJECT_NAME=${shellWord(session.project.name)}`,
    `export OS_PROJECT_DOMAIN_ID=${shellWord(session.project.domainId)}`,
    'unset OS_TENANT_ID OS_TENANT_NAME OS_CLOUD',
    ...(session.region ? [`export OS_REGION_NAME=${shellWord(session.region)}`] : []),
    'export OS_INTERFACE=public',
    'export OS_IDENTITY_API_VERSION=3',
    '# The password is asked for here, never kept in this file.',
    'printf "Password of %s for project %s: " "$OS_USERNAME" "$OS_PROJECT_NAME" >&2',
    'read -rs OS_PASSWORD',
    'echo >&2',
    'export OS_PASSWORD',
    '',
  ].join('\n');
}
