import type { StackOutput } from '../../api/orchestration';
import { DataTable } from '../../components/DataTable';

/** A value as Heat computed it: text as is, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The stack's outputs; one Heat could not compute shows its error instead of a value. */
export function StackOutputs({ outputs }: { outputs: StackOutput[] }) {
  return (
    <DataTable
      label="Outputs"
      rows={outputs.map((o) => ({ ...o, id: o.output_key }))}
      empty="The template defines no outputs."
      columns={[
        { header: 'Key', cell: (o) => o.output_key },
        { header: 'Value', cell: (o) => (o.output_error ? <span className="status-error">{o.output_error}</span> : <code>{shown(o.output_value)}</code>) },
        { header: 'Description', cell: (o) => o.description ?? '' },
      ]}
    />
  );
}
