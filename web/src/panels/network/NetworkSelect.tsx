import { nameOrId, type Network } from '../../api/network';

/** A required `<select name="network">` of the given networks, labelled, for the forms that create something on one. */
export function NetworkSelect({ label, networks }: { label: string; networks: Network[] | undefined }) {
  return (
    <label>
      {label}
      <select name="network" required>
        {networks?.map((n) => (
          <option key={n.id} value={n.id}>
            {nameOrId(n)}
          </option>
        ))}
      </select>
    </label>
  );
}
