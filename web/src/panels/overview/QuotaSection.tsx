import type { UseQueryResult } from '@tanstack/react-query';
import type { QuotaUsage } from '../../api/quotas';
import { ErrorNotice } from '../../components/ErrorNotice';
import { QuotaBar } from './QuotaBar';

/** One service's quotas; each service is asked on its own, so a slow or refusing one leaves the others shown. */
export function QuotaSection<T>({ title, query, pick }: { title: string; query: UseQueryResult<T>; pick(data: T): QuotaUsage[] }) {
  return (
    <section aria-labelledby={`quota-${title}`}>
      <h2 id={`quota-${title}`}>{title}</h2>
      <ErrorNotice error={query.error} />
      {query.isPending && <p aria-busy="true">Loading…</p>}
      {query.data && pick(query.data).map((quota) => <QuotaBar key={quota.label} quota={quota} />)}
    </section>
  );
}
