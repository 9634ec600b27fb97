/** A status as the API names it, marked busy while the resource is changing. */
export function Status({ value, busy }: { value: string; busy: boolean }) {
  return (
    <span className={`status status-${value.toLowerCase()}`} aria-busy={busy}>
      {value}
      {busy ? '…' : ''}
    </span>
  );
}
