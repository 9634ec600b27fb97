import { api, type ServiceType } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { ErrorNotice } from '../../components/ErrorNotice';
import { KeyValueEditor } from './KeyValueEditor';

type Change = { set: Record<string, string> } | { unset: string };

/**
 * Extra specs where Nova (`/flavors/{id}/os-extra_specs`) and Cinder (`/types/{id}/extra_specs`) keep them:
 * both list them with GET, add with POST `{extra_specs}` and remove one key with DELETE on its path.
 */
export function ExtraSpecs({ service, path, subject }: { service: ServiceType; path: string; subject: string }) {
  const specs = useApi<{ extra_specs: Record<string, string> }>(service, path);
  const change = useAction<Change>([service], (session, c) =>
    'set' in c
      ? api(session, service, path, { method: 'POST', body: { extra_specs: c.set } })
      : api(session, service, `${path}/${encodeURIComponent(c.unset)}`, { method: 'DELETE' }),
  );
  return (
    <section aria-label={`Extra specs of ${subject}`}>
      <h2>Extra specs of {subject}</h2>
      <ErrorNotice error={specs.error ?? change.error} />
      {specs.data && (
        <KeyValueEditor
          label="Extra specs"
          entries={specs.data.extra_specs}
          busy={change.isPending}
          onSet={(key, value) => change.mutate({ set: { [key]: value } })}
          onUnset={(key) => change.mutate({ unset: key })}
        />
      )}
    </section>
  );
}
