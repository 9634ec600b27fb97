import type { ParameterSchema } from '../../api/orchestration';
import { TextAreaField } from '../../components/TextAreaField';

/** A default as the form shows it: JSON as text, a list comma-separated. */
function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function fieldName(parameter: string): string {
  return `parameter:${parameter}`;
}

/** Whether Heat said the parameter's value is secret (`hidden: true`): it is never echoed back. */
export function isHidden(schema: ParameterSchema): boolean {
  return schema.NoEcho === 'true';
}

/**
 * One template parameter as Heat's `/validate` describes it: allowed values as a select, a hidden one as a
 * password field, booleans as a checkbox, JSON as a text area; its description is the field's hint.
 * `current` is the stack's value on update (Heat shows a hidden one as asterisks, so it is not offered).
 */
export function ParameterField({ name, schema, current }: { name: string; schema: ParameterSchema; current?: string }) {
  const field = fieldName(name);
  const hintId = `${field}:hint`;
  const initial = current !== undefined && !isHidden(schema) ? current : asText(schema.Default);
  const required = schema.Default === undefined && current === undefined;
  const describedBy = schema.Description ? hintId : undefined;
  const label = schema.Label || name;
  const hint = schema.Description ? (
    <span id={hintId} className="hint">
      {schema.Description}
    </span>
  ) : null;

  if (schema.Type === 'Boolean') {
    return (
      <>
        <label className="check">
          <input
            type="checkbox"
            name={field}
            value="true"
            defaultChecked={['true', '1', 'yes', 'on'].includes(initial.toLowerCase())}
            aria-describedby={describedBy}
          />
          {label}
        </label>
        {hint}
      </>
    );
  }
  if (schema.Type === 'Json') {
    return (
      <>
        <TextAreaField label={label} name={field} defaultValue={initial} required={required} rows={3} aria-describedby={describedBy} />
        {hint}
      </>
    );
  }
  let input;
  if (schema.AllowedValues) {
    input = (
      <select name={field} defaultValue={initial} required={required} aria-describedby={describedBy}>
        {required && <option value="">Choose…</option>}
        {schema.AllowedValues.map((value) => (
          <option key={asText(value)}>{asText(value)}</option>
        ))}
      </select>
    );
  } else {
    const numeric = schema.Type === 'Number';
    input = (
      <input
        name={field}
        type={isHidden(schema) ? 'password' : numeric ? 'number' : 'text'}
        step={numeric ? 'any' : undefined}
        min={schema.MinValue}
        max={schema.MaxValue}
        minLength={schema.MinLength}
        maxLength={schema.MaxLength}
        placeholder={schema.Type === 'CommaDelimitedList' ? 'comma-separated values' : undefined}
        autoComplete={isHidden(schema) ? 'new-password' : 'off'}
        defaultValue={isHidden(schema) ? '' : initial}
        required={required}
        aria-describedby={describedBy}
      />
    );
  }
  // The hint stays outside the label: it describes the field (aria-describedby) without lengthening its name.
  return (
    <>
      <label>
        {label}
        {input}
      </label>
      {hint}
    </>
  );
}
