import type { useChange } from './hooks';
import { ConfirmButton } from '../../components/ConfirmButton';

/**
 * A list row's actions: enable or disable it (when `toggle` and it has `enabled`) and delete it after a confirmation.
 * Keystone's refusal (a domain still enabled, say) shows in the page's error notice.
 */
export function RowActions({
  change,
  kind,
  row,
  toggle = false,
}: {
  change: ReturnType<typeof useChange>;
  kind: string;
  row: { id: string; name: string; enabled?: boolean };
  toggle?: boolean;
}) {
  const enabled = row.enabled;
  return (
    <span className="actions">
      {toggle && enabled !== undefined && (
        <button
          type="button"
          disabled={change.isPending}
          aria-label={`${enabled ? 'Disable' : 'Enable'} ${kind} ${row.name}`}
          onClick={() => change.mutate({ update: row.id, fields: { enabled: !enabled } })}
        >
          {enabled ? 'Disable' : 'Enable'}
        </button>
      )}
      <ConfirmButton label="Delete" subject={`${kind} ${row.name}`} disabled={change.isPending} onConfirm={() => change.mutate({ remove: row.id })} />
    </span>
  );
}
