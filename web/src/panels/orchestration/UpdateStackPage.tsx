import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { send } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { isPseudoParameter, stackPath, type StackDetail } from '../../api/orchestration';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StackForm, type StackBody } from './StackForm';

type Method = 'PUT' | 'PATCH';

/**
 * Update with a new or edited template and parameters. PUT replaces the stack's template and
 * parameters (an omitted parameter falls back to its default); PATCH keeps what the request leaves out.
 */
export default function UpdateStackPage() {
  const navigate = useNavigate();
  const { name = '', id = '' } = useParams();
  const path = stackPath({ stack_name: name, id });
  const stack = useApi<{ stack: StackDetail }>('orchestration', path);
  const template = useApi<unknown>('orchestration', `${path}/template`);
  const [method, setMethod] = useState<Method>('PATCH');
  const update = useAction<StackBody>(['orchestration'], (session, body) => send(session, 'orchestration', path, { method, body }));

  const current = stack.data?.stack;
  const parameters = Object.fromEntries(Object.entries(current?.parameters ?? {}).filter(([key]) => !isPseudoParameter(key)));
  return (
    <section>
      <h1>Update stack {name}</h1>
      <ErrorNotice error={stack.error ?? template.error} />
      <label>
        Update method
        <select value={method} onChange={(e) => setMethod(e.target.value as Method)}>
          <option value="PATCH">Keep values not given (PATCH)</option>
          <option value="PUT">Replace template and parameters (PUT)</option>
        </select>
      </label>
      {current && template.data !== undefined && (
        <StackForm
          askName={false}
          initialTemplate={JSON.stringify(template.data, null, 2)}
          current={{ parameters, timeout_mins: current.timeout_mins, disable_rollback: current.disable_rollback }}
          submitLabel={`Update ${name}`}
          pending={update.isPending}
          error={update.error}
          onSubmit={(body) => update.mutate(body, { onSuccess: () => void navigate(path) })}
        />
      )}
    </section>
  );
}
