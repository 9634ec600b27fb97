import type { FormEvent } from 'react';
import { api, type ServiceType } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import type { QuotaClassSet } from '../../api/quotas';
import { ErrorNotice } from '../../components/ErrorNotice';

const PATH = '/os-quota-class-sets/default';

/** One service's default quota class (Nova's and Cinder's share the path and shape); only changed limits are sent. */
export function QuotaDefaults({ service, title }: { service: ServiceType; title: string }) {
  const defaults = useApi<{ quota_class_set: QuotaClassSet }>(service, PATH);
  const update = useAction<Record<string, number>>([service], (session, changed) =>
    api(session, service, PATH, { method: 'PUT', body: { quota_class_set: changed } }),
  );
  const limits = Object.entries(defaults.data?.quota_class_set ?? {}).filter((entry): entry is [string, number] => typeof entry[1] === 'number');

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const changed = Object.fromEntries(
      limits.map(([key]) => [key, Number(form.get(key))]).filter(([key, value]) => defaults.data?.quota_class_set[key] !== value),
    );
    if (Object.keys(changed).length > 0) update.mutate(changed);
  }

  return (
    <section aria-labelledby={`defaults-${service}`}>
      <h2 id={`defaults-${service}`}>{title}</h2>
      <ErrorNotice error={defaults.error ?? update.error} />
      {update.isSuccess && <p role="status">Defaults saved.</p>}
      {defaults.data && (
        // Keyed by the values so the inputs show what the API answers after a save.
        <form key={JSON.stringify(limits)} className="form" onSubmit={save} aria-label={`${title} form`}>
          {limits.map(([key, value]) => (
            <label key={key}>
              {key}
              <input name={key} type="number" min={-1} defaultValue={value} required />
            </label>
          ))}
          <p className="hint">-1 means unlimited.</p>
          <button type="submit" disabled={update.isPending}>
            Save {title.toLowerCase()}
          </button>
        </form>
      )}
    </section>
  );
}
