import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useAction } from '../../api/hooks';
import type { TemplateSource, ValidateResult } from '../../api/orchestration';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextAreaField } from '../../components/TextAreaField';
import { fieldName, ParameterField } from './ParameterField';

type SourceKind = 'file' | 'url' | 'text';

/** What the form hands its page: the body of `POST /stacks` or of an update. */
export type StackBody = Record<string, unknown>;

export interface StackFormProps {
  /** Launch asks for the stack's name; update keeps it. */
  askName: boolean;
  /** An update starts from the stack's template, parameters, timeout and rollback setting. */
  initialTemplate?: string;
  current?: { parameters: Record<string, string>; timeout_mins: number | null; disable_rollback: boolean };
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit(body: StackBody): void;
}

/**
 * A template (file, URL or pasted text) and an optional environment go to Heat's own `/validate`
 * first; the parameter form is then built from the parameters Heat found, so it asks exactly what
 * Heat will check. Changing the template asks for validation again.
 */
export function StackForm({ askName, initialTemplate, current, submitLabel, pending, error, onSubmit }: StackFormProps) {
  const [kind, setKind] = useState<SourceKind>(initialTemplate ? 'text' : 'file');
  const [text, setText] = useState(initialTemplate ?? '');
  const [url, setUrl] = useState('');
  const [environment, setEnvironment] = useState('');
  const [checked, setChecked] = useState<{ source: TemplateSource; environment: string; result: ValidateResult } | null>(null);
  const validate = useAction<{ source: TemplateSource; environment: string }, ValidateResult>([], (session, input) =>
    api<ValidateResult>(session, 'orchestration', '/validate', { method: 'POST', body: withEnvironment(input.source, input.environment) }),
  );

  const source: TemplateSource = kind === 'url' ? { template_url: url } : { template: text };
  const edited = (change: () => void) => {
    change();
    setChecked(null);
  };

  function check(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    validate.mutate({ source, environment }, { onSuccess: (result) => setChecked({ source, environment, result }) });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!checked) return;
    const form = new FormData(event.currentTarget);
    const parameters: Record<string, string> = {};
    for (const [name, schema] of Object.entries(checked.result.Parameters)) {
      const value = form.get(fieldName(name));
      // An unticked checkbox sends nothing, yet it means false; an empty field leaves Heat's default (or, on PATCH, the stack's value).
      if (schema.Type === 'Boolean') parameters[name] = value === null ? 'false' : 'true';
      else if (typeof value === 'string' && value !== '') parameters[name] = value;
    }
    const body: StackBody = { ...withEnvironment(checked.source, checked.environment), parameters, disable_rollback: form.get('rollback') === null };
    if (askName) body.stack_name = String(form.get('stack_name'));
    const timeout = String(form.get('timeout_mins') ?? '');
    if (timeout) body.timeout_mins = Number(timeout);
    onSubmit(body);
  }

  return (
    <>
      <form className="form" onSubmit={check} aria-label="Template">
        <label>
          Template source
          <select value={kind} onChange={(e) => edited(() => setKind(e.target.value as SourceKind))}>
            <option value="file">File</option>
            <option value="url">URL</option>
            <option value="text">Direct input</option>
          </select>
        </label>
        {kind === 'file' && <TextFile label="Template file" onText={(t) => edited(() => setText(t))} required />}
        {kind === 'url' && (
          <label>
            Template URL
            <input type="url" value={url} required onChange={(e) => edited(() => setUrl(e.target.value))} />
          </label>
        )}
        {kind === 'text' && (
          <TextAreaField
            label="Template data"
            value={text}
            required
            rows={12}
            cols={60}
            spellCheck={false}
            onChange={(e) => edited(() => setText(e.target.value))}
          />
        )}
        <TextFile label="Environment file (optional)" onText={(t) => edited(() => setEnvironment(t))} />
        <TextAreaField
          label="Environment data (optional)"
          value={environment}
          rows={4}
          cols={60}
          spellCheck={false}
          onChange={(e) => edited(() => setEnvironment(e.target.value))}
        />
        <button type="submit" disabled={validate.isPending || (kind === 'file' && !text)}>
          Next: parameters
        </button>
        <ErrorNotice error={validate.error} />
      </form>
      {checked && (
        <form className="form" onSubmit={submit} aria-label="Parameters">
          {askName && (
            <label>
              Stack name
              <input name="stack_name" required />
            </label>
          )}
          {Object.entries(checked.result.Parameters).map(([name, schema]) => (
            <ParameterField key={name} name={name} schema={schema} current={current?.parameters[name]} />
          ))}
          <label>
            Timeout (minutes, optional)
            <input name="timeout_mins" type="number" min={1} defaultValue={current?.timeout_mins ?? ''} />
          </label>
          <label className="check">
            <input name="rollback" type="checkbox" defaultChecked={current ? !current.disable_rollback : false} />
            Roll back on failure
          </label>
          <button type="submit" disabled={pending}>
            {submitLabel}
          </button>
          <ErrorNotice error={error} />
        </form>
      )}
    </>
  );
}

function withEnvironment(source: TemplateSource, environment: string): StackBody {
  return environment.trim() ? { ...source, environment } : { ...source };
}

/** A file input whose text (a template or environment is YAML or JSON) goes to `onText`. */
function TextFile({ label, onText, required }: { label: string; onText(text: string): void; required?: boolean }) {
  return (
    <label>
      {label}
      <input
        type="file"
        accept=".yaml,.yml,.json,.template,text/yaml,application/json,text/plain"
        required={required}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void file.text().then(onText);
        }}
      />
    </label>
  );
}
