import { useId, type TextareaHTMLAttributes } from 'react';

/**
 * A text area with its visible label. The label points at the area instead of wrapping it: Chromium
 * counts a wrapped area's text into its accessible name, so a pasted template would become its name.
 */
export function TextAreaField({ label, ...area }: { label: string } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} {...area} />
    </>
  );
}
