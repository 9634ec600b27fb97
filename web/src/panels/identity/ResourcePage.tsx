import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import type { Collection } from '../../api/identity';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useOne } from './hooks';
import { ResourceEditor, type Editable, type EditableField } from './ResourceEditor';

const NAME_AND_DESCRIPTION: EditableField[] = [
  { name: 'name', label: 'Name' },
  { name: 'description', label: 'Description' },
];

/** One Keystone resource's page at `/identity/{collection}/{id}`: its edit form, then what `more` adds (members, password). */
export function ResourcePage<T extends Editable>({
  collection,
  kind,
  fields = NAME_AND_DESCRIPTION,
  more,
}: {
  collection: Collection;
  kind: string;
  fields?: EditableField[];
  more?(resource: T): ReactNode;
}) {
  const { id = '' } = useParams();
  const { resource, error } = useOne<T>(collection, id);
  return (
    <section>
      <h1>
        {kind[0]?.toUpperCase()}
        {kind.slice(1)} {resource?.name}
      </h1>
      <ErrorNotice error={error} />
      {resource && (
        <>
          <ResourceEditor key={resource.id} collection={collection} kind={kind} resource={resource} fields={fields} />
          {more?.(resource)}
        </>
      )}
    </section>
  );
}
