import type { InputHTMLAttributes } from 'react';

/** An input with its visible label wrapped around it, so the label names it for assistive technology. */
export function TextField({ label, ...input }: { label: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label>
      {label}
      <input {...input} />
    </label>
  );
}
