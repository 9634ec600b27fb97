import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import type { Session } from '../../api/session';
import { saveText } from '../../api/transfer';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';

interface Keypair {
  name: string;
  fingerprint: string;
  public_key: string;
  type?: string;
}

type Change = { create: { name: string; public_key?: string } } | { remove: Keypair };

function changeKeypairs(session: Session, change: Change): Promise<{ keypair?: Keypair & { private_key?: string } }> {
  if ('remove' in change) return api(session, 'compute', `/os-keypairs/${encodeURIComponent(change.remove.name)}`, { method: 'DELETE' });
  return api(session, 'compute', '/os-keypairs', { method: 'POST', body: { keypair: change.create } });
}

/** Nova keeps no copy of a key pair's private key it generated: the page offers it once, until dismissed. */
function PrivateKeyOffer({ name, privateKey, onDismiss }: { name: string; privateKey: string; onDismiss(): void }) {
  return (
    <div className="secret" role="status">
      <p>Key pair {name} was created. Download its private key now: it is shown only this once.</p>
      <button type="button" onClick={() => saveText(privateKey, `${name}.pem`, 'application/x-pem-file')}>
        Download {name}.pem
      </button>{' '}
      <button type="button" onClick={onDismiss}>
        Done
      </button>
    </div>
  );
}

export default function KeyPairsPage() {
  const keypairs = useApi<{ keypairs: { keypair: Keypair }[] }>('compute', '/os-keypairs');
  const change = useAction(['compute'], changeKeypairs);
  const [generated, setGenerated] = useState<{ name: string; privateKey: string } | null>(null);

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name')).trim();
    const publicKey = String(form.get('public_key')).trim();
    setGenerated(null);
    change.mutate(
      { create: publicKey ? { name, public_key: publicKey } : { name } },
      {
        onSuccess: (created) => {
          const privateKey = created.keypair?.private_key;
          if (privateKey) setGenerated({ name, privateKey });
        },
      },
    );
    event.currentTarget.reset();
  }

  return (
    <section>
      <h1>Key pairs</h1>
      <form className="form" onSubmit={create} aria-label="Create or import key pair">
        <TextField label="Key pair name" name="name" required />
        <label>
          Public key to import (leave empty for Nova to generate a pair)
          <textarea name="public_key" rows={3} cols={60} placeholder="ssh-ed25519 AAAA… user@host" />
        </label>
        <button type="submit" disabled={change.isPending}>
          Create key pair
        </button>
      </form>
      {generated && <PrivateKeyOffer name={generated.name} privateKey={generated.privateKey} onDismiss={() => setGenerated(null)} />}
      <ErrorNotice error={keypairs.error ?? change.error} />
      {keypairs.data && (
        <DataTable
          label="Key pairs"
          rows={keypairs.data.keypairs.map(({ keypair }) => ({ ...keypair, id: keypair.name }))}
          empty="No key pairs yet: create one, or import your own public key, to log in to instances."
          columns={[
            { header: 'Name', cell: (k) => k.name },
            { header: 'Fingerprint', cell: (k) => <code>{k.fingerprint}</code> },
            { header: 'Delete', cell: (k) => <ConfirmButton label="Delete" subject={k.name} onConfirm={() => change.mutate({ remove: k })} /> },
          ]}
        />
      )}
    </section>
  );
}
