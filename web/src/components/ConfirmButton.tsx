import { useState } from 'react';

/** A destructive action asks once more in place, naming what it will do to what. */
export function ConfirmButton({ label, subject, onConfirm, disabled }: { label: string; subject: string; onConfirm(): void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="danger" disabled={disabled} onClick={() => setAsking(true)} aria-label={`${label} ${subject}`}>
        {label}
      </button>
    );
  }
  return (
    <span role="group" aria-label={`Confirm ${label.toLowerCase()} ${subject}`}>
      <button
        type="button"
        className="danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Confirm {label.toLowerCase()}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
