import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import type { Flavor } from '../../api/compute';
import { useAction, useApi } from '../../api/hooks';
import type { Image } from '../../api/image';
import { nameOrId, type Network, type SecurityGroup } from '../../api/network';
import { useSession } from '../../auth/session-context';
import { ErrorNotice } from '../../components/ErrorNotice';

interface Keypair {
  keypair: { name: string };
}

export default function LaunchPage() {
  const navigate = useNavigate();
  // The form's choices load side by side; none waits on another.
  const images = useApi<{ images: Image[] }>('image', '/images?status=active');
  const flavors = useApi<{ flavors: Flavor[] }>('compute', '/flavors/detail');
  const networks = useApi<{ networks: Network[] }>('network', '/networks');
  const keypairs = useApi<{ keypairs: Keypair[] }>('compute', '/os-keypairs');
  // An admin sees every project's groups: the server takes its own project's.
  const groups = useApi<{ security_groups: SecurityGroup[] }>('network', `/security-groups?project_id=${useSession().project.id}`);
  const [error, setError] = useState<unknown>(null);
  const launch = useAction<unknown>(['compute'], (session, body) => api(session, 'compute', '/servers', { method: 'POST', body }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const count = Number(form.get('count'));
    const keyName = String(form.get('key_name') ?? '');
    const server: Record<string, unknown> = {
      name: String(form.get('name')),
      imageRef: String(form.get('image')),
      flavorRef: String(form.get('flavor')),
      networks: form.getAll('network').map((uuid) => ({ uuid: String(uuid) })),
      security_groups: form.getAll('security_group').map((name) => ({ name: String(name) })),
      min_count: count,
      max_count: count,
    };
    if (keyName) server.key_name = keyName;
    setError(null);
    launch.mutate({ server }, { onSuccess: () => void navigate('/instances'), onError: setError });
  }

  // Launch waits for the lists its required fields choose from (an empty select would refuse the form).
  const choicesLoading = images.isPending || flavors.isPending || networks.isPending || groups.isPending;
  const loadError = images.error ?? flavors.error ?? networks.error ?? keypairs.error ?? groups.error;
  const flavorList = [...(flavors.data?.flavors ?? [])].sort((a, b) => a.vcpus - b.vcpus || a.ram - b.ram);
  return (
    <section>
      <h1>Launch instance</h1>
      <ErrorNotice error={loadError} />
      <form className="form" onSubmit={submit}>
        <label>
          Name
          <input name="name" required />
        </label>
        <label>
          Image
          <select name="image" required>
            {images.data?.images.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name || i.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Flavor
          <select name="flavor" required>
            {flavorList.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name} ({f.vcpus} vCPU, {f.ram} MiB RAM, {f.disk} GiB disk)
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Networks</legend>
          {networks.data?.networks
            .filter((n) => !n['router:external'])
            .map((n, index) => (
              <label key={n.id} className="check">
                <input type="checkbox" name="network" value={n.id} defaultChecked={index === 0} />
                {nameOrId(n)}
              </label>
            ))}
        </fieldset>
        <label>
          Key pair
          <select name="key_name">
            <option value="">None</option>
            {keypairs.data?.keypairs.map(({ keypair }) => (
              <option key={keypair.name}>{keypair.name}</option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Security groups</legend>
          {groups.data?.security_groups.map((g) => (
            <label key={g.id} className="check">
              <input type="checkbox" name="security_group" value={g.name} defaultChecked={g.name === 'default'} />
              {g.name}
            </label>
          ))}
        </fieldset>
        <label>
          Count
          <input name="count" type="number" min={1} max={100} defaultValue={1} required />
        </label>
        <button type="submit" disabled={launch.isPending || choicesLoading}>
          Launch
        </button>
        <ErrorNotice error={error} />
      </form>
    </section>
  );
}
