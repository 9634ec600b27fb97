import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useAction, useApi, useApiHeaders } from '../../api/hooks';
import { deleteObject } from '../../api/large-object';
import { isPublicRead, listing, PUBLIC_READ_ACL, swiftPath, type ObjectEntry } from '../../api/object-store';
import type { Session } from '../../api/session';
import { downloadFile, formatBytes } from '../../api/transfer';
import { useSession } from '../../auth/session-context';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ObjectUploadForm } from './ObjectUploadForm';
import { TempUrlForm } from './TempUrlForm';

type Change = { publicRead: boolean } | { remove: string };

/** The folders above `prefix`, each with the prefix that opens it ("a/b/" gives a → "a/", b → "a/b/"). */
function breadcrumbs(prefix: string): { name: string; prefix: string }[] {
  const parts = prefix.split('/').filter(Boolean);
  return parts.map((name, index) => ({ name, prefix: `${parts.slice(0, index + 1).join('/')}/` }));
}

export default function ContainerPage() {
  const session = useSession();
  const { container = '' } = useParams();
  // The folder is the listing's prefix, kept in the URL: a folder is bookmarkable and the back button leaves it.
  const [params] = useSearchParams();
  const prefix = params.get('prefix') ?? '';
  const objects = useApi<unknown>('object-store', `${swiftPath(container)}?format=json&delimiter=/&prefix=${encodeURIComponent(prefix)}`);
  const head = useApiHeaders('object-store', swiftPath(container));
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [signing, setSigning] = useState<string | null>(null);
  const change = useAction<Change>(['object-store'], (s: Session, c: Change) => {
    if ('remove' in c) return deleteObject(s, container, c.remove);
    // An empty X-Container-Read removes the ACL: the container is private again.
    return api(s, 'object-store', swiftPath(container), { method: 'POST', headers: { 'x-container-read': c.publicRead ? PUBLIC_READ_ACL : '' } });
  });
  const publicRead = isPublicRead(head.data?.['x-container-read'] ?? null);
  const folderLink = (p: string) => `/containers/${encodeURIComponent(container)}${p ? `?prefix=${encodeURIComponent(p)}` : ''}`;
  // The folder's own marker object (named like the prefix) is the folder, not a row in it.
  const rows = listing<ObjectEntry>(objects.data)
    .filter((entry) => 'subdir' in entry || entry.name !== prefix)
    .map((entry) => ({ ...entry, id: 'subdir' in entry ? entry.subdir : entry.name }));
  const shortName = (full: string) => full.slice(prefix.length);

  async function download(name: string) {
    setDownloadError(null);
    try {
      await downloadFile(session, 'object-store', swiftPath(container, name), name.split('/').pop() ?? name);
    } catch (failure) {
      setDownloadError(failure);
    }
  }

  return (
    <section>
      <nav aria-label="Folder path">
        <ol className="breadcrumbs">
          <li>
            <Link to="/containers">Containers</Link> /
          </li>
          <li>
            <Link to={folderLink('')}>{container}</Link> /
          </li>
          {breadcrumbs(prefix).map((crumb) => (
            <li key={crumb.prefix}>
              <Link to={folderLink(crumb.prefix)}>{crumb.name}</Link> /
            </li>
          ))}
        </ol>
      </nav>
      <h1>
        Container {container}
        {prefix ? `: ${prefix}` : ''}
      </h1>
      <p>
        {publicRead
          ? `Anyone may read its objects at ${window.location.origin}${session.endpoints['object-store'] ?? ''}${swiftPath(container)}/…`
          : 'Private: only this project reads it.'}{' '}
        {head.data && (
          <button type="button" onClick={() => change.mutate({ publicRead: !publicRead })}>
            {publicRead ? `Make ${container} private` : `Make ${container} public`}
          </button>
        )}
      </p>
      <ObjectUploadForm container={container} prefix={prefix} />
      <ErrorNotice error={objects.error ?? head.error ?? change.error ?? downloadError} />
      {objects.data !== undefined && (
        <DataTable
          label={`Objects in ${container}`}
          rows={rows}
          empty={prefix ? 'This folder is empty.' : 'No objects yet: upload a file above.'}
          columns={[
            {
              header: 'Name',
              cell: (o) => ('subdir' in o ? <Link to={folderLink(o.subdir)}>{shortName(o.subdir)}</Link> : shortName(o.name)),
            },
            { header: 'Size', cell: (o) => ('subdir' in o ? 'folder' : formatBytes(o.bytes)) },
            { header: 'Modified', cell: (o) => ('subdir' in o ? '' : new Date(`${o.last_modified}Z`).toLocaleString()) },
            {
              header: 'Actions',
              cell: (o) =>
                'subdir' in o ? null : (
                  <span className="actions">
                    <button type="button" aria-label={`Download ${o.name}`} onClick={() => void download(o.name)}>
                      Download
                    </button>
                    <button type="button" aria-label={`Temporary URL for ${o.name}`} onClick={() => setSigning(o.name)}>
                      Temporary URL
                    </button>
                    <ConfirmButton label="Delete" subject={o.name} onConfirm={() => change.mutate({ remove: o.name })} />
                  </span>
                ),
            },
          ]}
        />
      )}
      {signing && <TempUrlForm key={signing} container={container} object={signing} onClose={() => setSigning(null)} />}
    </section>
  );
}
