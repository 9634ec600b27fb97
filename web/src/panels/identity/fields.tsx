/** Form fields the Identity panels share: Keystone's choices (domain, project, role, user) as labelled selects. */
import type { Domain, Project, Role, User } from '../../api/identity';

interface Choice {
  id: string;
  name: string;
}

/**
 * A labelled `<select>` over Keystone resources by name; `none` adds a first, empty choice so the field may stay unset.
 * It is mounted afresh once the list arrives, so `defaultValue` picks among the loaded choices.
 */
export function ChoiceSelect({
  label,
  name,
  choices,
  none,
  defaultValue,
}: {
  label: string;
  name: string;
  choices: Choice[] | undefined;
  none?: string;
  defaultValue?: string;
}) {
  return (
    <label>
      {label}
      <select name={name} required={none === undefined} defaultValue={defaultValue} key={choices?.length ?? 0}>
        {none !== undefined && <option value="">{none}</option>}
        {choices?.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export const DomainSelect = ({ domains }: { domains: Domain[] | undefined }) => (
  <ChoiceSelect label="Domain" name="domain_id" choices={domains} defaultValue="default" />
);

export const ProjectSelect = ({ projects, none }: { projects: Project[] | undefined; none?: string }) => (
  <ChoiceSelect label="Project" name="project_id" choices={projects} none={none} />
);

/** Horizon offers the `member` role first: it is the one a new user of a project usually gets. */
export const RoleSelect = ({ roles, none }: { roles: Role[] | undefined; none?: string }) => (
  <ChoiceSelect label="Role" name="role_id" choices={roles} none={none} defaultValue={roles?.find((r) => r.name === 'member')?.id} />
);

export const UserSelect = ({ users }: { users: User[] | undefined }) => <ChoiceSelect label="User" name="user_id" choices={users} />;

export function EnabledField({ defaultChecked = true }: { defaultChecked?: boolean }) {
  return (
    <label className="check">
      <input type="checkbox" name="enabled" defaultChecked={defaultChecked} /> Enabled
    </label>
  );
}

/** Yes/No for a boolean column, as Horizon shows it. */
export const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
