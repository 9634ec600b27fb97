/**
 * Which request headers set account and container metadata, as Swift's
 * proxy passes them on: `X-<Kind>-Meta-*` (an empty value removes it),
 * `X-Remove-<Kind>-Meta-*`, and for containers the ACLs and versioning
 * locations with their `X-Remove-*` forms.
 */
const SYSTEM: Record<'account' | 'container', string[]> = {
  container: [
    'x-container-read',
    'x-container-write',
    'x-versions-location',
    'x-history-location',
    'x-versions-mode',
    'x-container-sync-to',
    'x-container-sync-key',
  ],
  // account_quotas' current headers (X-Account-Meta-Quota-Bytes is their older form).
  account: ['x-account-quota-bytes', 'x-account-quota-count'],
};

/**
 * Header names as Swift's WSGI server hands them on: `_` becomes `-`
 * (`X-Container-Meta-a_b` is stored and answered as `x-container-meta-a-b`).
 */
function wsgiName(name: string): string {
  return name.replaceAll('_', '-');
}

export function metadataUpdates(headers: Record<string, string>, kind: 'account' | 'container'): Record<string, string> {
  const updates: Record<string, string> = {};
  const meta = `x-${kind}-meta-`;
  const remove = `x-remove-${kind}-meta-`;
  for (const [rawName, value] of Object.entries(headers)) {
    const name = wsgiName(rawName);
    if (name.startsWith(meta)) updates[name] = value.trim();
    else if (name.startsWith(remove)) updates[meta + name.slice(remove.length)] = '';
    else {
      if (SYSTEM[kind].includes(name)) updates[name] = value.trim();
      else if (name.startsWith('x-remove-') && SYSTEM[kind].includes(`x-${name.slice('x-remove-'.length)}`)) {
        updates[`x-${name.slice('x-remove-'.length)}`] = '';
      }
    }
  }
  return updates;
}

/** Swift's swift_owner_headers: shown only to the account's owner (ACLs and temp URL keys are its secrets). */
const OWNER_ONLY = new Set([
  'x-container-read',
  'x-container-write',
  'x-container-sync-key',
  'x-container-sync-to',
  'x-account-meta-temp-url-key',
  'x-account-meta-temp-url-key-2',
  'x-container-meta-temp-url-key',
  'x-container-meta-temp-url-key-2',
  'x-account-access-control',
]);

/** The stored metadata a caller may see: all of it for the owner, without the owner-only headers for anyone else. */
export function visibleMetadata(metadata: Record<string, string>, owner: boolean): Array<[string, string]> {
  return Object.entries(metadata).filter(([name]) => owner || !OWNER_ONLY.has(name));
}

/** Object headers a PUT stores and a POST replaces (besides Content-Type). */
export function objectUserHeaders(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = wsgiName(rawName);
    if (name.startsWith('x-object-meta-') || ['content-disposition', 'content-encoding', 'x-object-manifest', 'x-delete-at'].includes(name)) {
      kept[name] = value;
    }
  }
  return kept;
}
