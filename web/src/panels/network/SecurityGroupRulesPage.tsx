import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import type { SecurityGroup, SecurityGroupRule } from '../../api/network';
import type { Session } from '../../api/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { useProjectSecurityGroups } from './SecurityGroupsPage';

type NewRule = Omit<SecurityGroupRule, 'id'> & { security_group_id: string };
type Change = { add: NewRule } | { remove: SecurityGroupRule };

function changeRules(session: Session, change: Change): Promise<unknown> {
  if ('remove' in change) return api(session, 'network', `/security-group-rules/${change.remove.id}`, { method: 'DELETE' });
  return api(session, 'network', '/security-group-rules', { method: 'POST', body: { security_group_rule: change.add } });
}

function portRange(rule: SecurityGroupRule): string {
  if (rule.port_range_min === null) return 'any';
  // ICMP's two fields are a message type and code, not ports.
  if (rule.protocol === 'icmp') return `type ${rule.port_range_min}${rule.port_range_max === null ? '' : ` code ${rule.port_range_max}`}`;
  return rule.port_range_max === null || rule.port_range_max === rule.port_range_min
    ? String(rule.port_range_min)
    : `${rule.port_range_min}-${rule.port_range_max}`;
}

const numberOrNull = (value: FormDataEntryValue | null) => (value === null || String(value) === '' ? null : Number(value));

/** A rule is read off the form as Neutron takes it: an empty field is "any", the CIDR's form picks the ether type. */
function ruleFromForm(form: FormData, groupId: string): NewRule {
  const remote = String(form.get('remote'));
  const cidr = String(form.get('cidr')).trim();
  const protocol = String(form.get('protocol'));
  const portMin = numberOrNull(form.get('port_min'));
  return {
    security_group_id: groupId,
    direction: form.get('direction') === 'egress' ? 'egress' : 'ingress',
    ethertype: cidr.includes(':') ? 'IPv6' : 'IPv4',
    protocol: protocol === 'any' ? null : protocol,
    port_range_min: portMin,
    // A single port needs no "to"; ICMP's second field is the code, which has no such default.
    port_range_max: numberOrNull(form.get('port_max')) ?? (protocol === 'icmp' ? null : portMin),
    remote_ip_prefix: remote === 'cidr' && cidr ? cidr : null,
    remote_group_id: remote === 'cidr' ? null : remote,
  };
}

export default function SecurityGroupRulesPage() {
  const { id = '' } = useParams();
  const group = useApi<{ security_group: SecurityGroup }>('network', `/security-groups/${id}`);
  const groups = useProjectSecurityGroups();
  const change = useAction<Change>(['network'], changeRules);
  const groupName = (groupId: string) => groups.data?.security_groups.find((g) => g.id === groupId)?.name ?? groupId;
  const name = group.data?.security_group.name ?? id;
  const remoteOf = (r: SecurityGroupRule) => (r.remote_group_id ? `group ${groupName(r.remote_group_id)}` : (r.remote_ip_prefix ?? 'any'));

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    change.mutate({ add: ruleFromForm(new FormData(event.currentTarget), id) });
  }

  return (
    <section>
      <p>
        <Link to="/security-groups">All security groups</Link>
      </p>
      <h1>Rules of {name}</h1>
      <form className="form inline" onSubmit={add} aria-label="Add rule">
        <label>
          Direction
          <select name="direction">
            <option value="ingress">ingress</option>
            <option value="egress">egress</option>
          </select>
        </label>
        <label>
          Protocol
          <select name="protocol" defaultValue="tcp">
            {['tcp', 'udp', 'icmp', 'any'].map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <TextField label="From port (ICMP type)" name="port_min" type="number" min={0} max={65535} />
        <TextField label="To port (ICMP code)" name="port_max" type="number" min={0} max={65535} />
        <label>
          Remote
          <select name="remote" defaultValue="cidr">
            <option value="cidr">CIDR</option>
            {groups.data?.security_groups.map((g) => (
              <option key={g.id} value={g.id}>
                group {g.name}
              </option>
            ))}
          </select>
        </label>
        <TextField label="Remote CIDR" name="cidr" placeholder="0.0.0.0/0" />
        <button type="submit">Add rule</button>
      </form>
      <ErrorNotice error={group.error ?? groups.error ?? change.error} />
      {group.data && (
        <DataTable
          label={`Rules of ${name}`}
          rows={group.data.security_group.security_group_rules ?? []}
          empty="No rules: this group lets nothing in. Add a rule above."
          columns={[
            { header: 'Direction', cell: (r) => r.direction },
            { header: 'Ether type', cell: (r) => r.ethertype },
            { header: 'Protocol', cell: (r) => r.protocol ?? 'any' },
            { header: 'Port range', cell: portRange },
            { header: 'Remote', cell: remoteOf },
            {
              header: 'Delete',
              cell: (r) => (
                <ConfirmButton
                  label="Delete"
                  subject={`${r.direction} ${r.ethertype} ${r.protocol ?? 'any'} ${portRange(r)} ${remoteOf(r)} rule`}
                  onConfirm={() => change.mutate({ remove: r })}
                />
              ),
            },
          ]}
        />
      )}
    </section>
  );
}
