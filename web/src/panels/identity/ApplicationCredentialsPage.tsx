import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { cloudName, cloudsYaml, type ApplicationCredentialSecret } from '../../api/client-config';
import { useAction, useApi } from '../../api/hooks';
import type { Session } from '../../api/session';
import { saveText } from '../../api/transfer';
import { useSession } from '../../auth/session-context';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';

interface ApplicationCredential {
  id: string;
  name: string;
  description: string | null;
  expires_at: string | null;
  project_id: string;
}

type Change = { create: { name: string; description?: string; expires_at?: string } } | { remove: ApplicationCredential };

const basePath = (session: Session) => `/users/${session.userId}/application_credentials`;

function changeCredentials(session: Session, change: Change): Promise<{ application_credential?: ApplicationCredentialSecret }> {
  if ('remove' in change) return api(session, 'identity', `${basePath(session)}/${change.remove.id}`, { method: 'DELETE' });
  return api(session, 'identity', basePath(session), { method: 'POST', body: { application_credential: change.create } });
}

/** Keystone shows a credential's secret only in the answer to its creation: the page offers it once, until dismissed. */
function SecretOffer({ credential, onDismiss }: { credential: ApplicationCredentialSecret; onDismiss(): void }) {
  const session = useSession();
  return (
    <div className="secret" role="status">
      <p>Application credential {credential.name} was created. Its secret is shown only this once:</p>
      <p>
        <code>{credential.secret}</code>
      </p>
      <button type="button" onClick={() => saveText(cloudsYaml(session, credential), 'clouds.yaml', 'application/yaml')}>
        Download clouds.yaml for {cloudName(session, credential)}
      </button>{' '}
      <button type="button" onClick={onDismiss}>
        Done
      </button>
    </div>
  );
}

export default function ApplicationCredentialsPage() {
  const session = useSession();
  const credentials = useApi<{ application_credentials: ApplicationCredential[] }>('identity', basePath(session));
  const change = useAction(['identity'], changeCredentials);
  const [created, setCreated] = useState<ApplicationCredentialSecret | null>(null);

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const description = String(form.get('description')).trim();
    const expires = String(form.get('expires_at'));
    setCreated(null);
    change.mutate(
      {
        create: {
          name: String(form.get('name')).trim(),
          ...(description ? { description } : {}),
          ...(expires ? { expires_at: new Date(expires).toISOString() } : {}),
        },
      },
      { onSuccess: (answer) => setCreated(answer.application_credential ?? null) },
    );
    event.currentTarget.reset();
  }

  return (
    <section>
      <h1>Application credentials</h1>
      <p>An application credential lets a program act in project {session.project.name} with your roles, without your password.</p>
      <form className="form inline" onSubmit={create} aria-label="Create application credential">
        <TextField label="Credential name" name="name" required />
        <TextField label="Description" name="description" />
        <TextField label="Expires (optional)" name="expires_at" type="datetime-local" />
        <button type="submit" disabled={change.isPending}>
          Create application credential
        </button>
      </form>
      {created && <SecretOffer credential={created} onDismiss={() => setCreated(null)} />}
      <ErrorNotice error={credentials.error ?? change.error} />
      {credentials.data && (
        <DataTable
          label="Application credentials"
          rows={credentials.data.application_credentials}
          empty="No application credentials yet: create one above for a program to use."
          columns={[
            { header: 'Name', cell: (c) => c.name },
            { header: 'Description', cell: (c) => c.description ?? '' },
            { header: 'Expires', cell: (c) => (c.expires_at ? new Date(c.expires_at).toLocaleString() : 'never') },
            { header: 'Delete', cell: (c) => <ConfirmButton label="Delete" subject={c.name} onConfirm={() => change.mutate({ remove: c })} /> },
          ]}
        />
      )}
    </section>
  );
}
