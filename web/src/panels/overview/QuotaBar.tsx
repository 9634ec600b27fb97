import type { QuotaUsage } from '../../api/quotas';
import './overview.css';

/** "used of limit" with a progress bar assistive technology reads; an unlimited quota (-1) says so and draws no bar. */
export function QuotaBar({ quota }: { quota: QuotaUsage }) {
  const unit = quota.unit ? ` ${quota.unit}` : '';
  const unlimited = quota.limit < 0;
  const text = unlimited ? `${quota.used}${unit} used, unlimited` : `${quota.used} of ${quota.limit}${unit} used`;
  const full = !unlimited && quota.used >= quota.limit;
  return (
    <div className="quota">
      <span className="quota-label">{quota.label}</span>
      {unlimited ? (
        <span className="quota-bar unlimited" aria-hidden="true" />
      ) : (
        <progress
          className={full ? 'quota-bar full' : 'quota-bar'}
          max={Math.max(quota.limit, 1)}
          value={Math.min(quota.used, quota.limit)}
          aria-label={`${quota.label}: ${text}`}
        />
      )}
      <span className="quota-text">{text}</span>
    </div>
  );
}
