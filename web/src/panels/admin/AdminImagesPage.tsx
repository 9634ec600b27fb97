import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { imageBusy, imageLabel, patchImage, type Image } from '../../api/image';
import type { Session } from '../../api/session';
import { formatBytes } from '../../api/transfer';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Pager, useMarker } from '../../components/Pager';
import { Status } from '../../components/Status';
import { VisibilitySelect } from '../image/VisibilitySelect';
import { useProjectName } from './project-names';

type Change = { image: Image; visibility: string } | { image: Image; protect: boolean } | { remove: Image };

/** One JSON-patch operation per change, as `openstack image set --public/--protected` sends. */
function changeImage(session: Session, change: Change): Promise<unknown> {
  if ('remove' in change) return api(session, 'image', `/images/${change.remove.id}`, { method: 'DELETE' });
  return 'protect' in change
    ? patchImage(session, change.image, '/protected', change.protect)
    : patchImage(session, change.image, '/visibility', change.visibility);
}

/** Every project's images: Glance lists them all to an admin, and its policy decides what the admin may change. */
export default function AdminImagesPage() {
  const marker = useMarker();
  const images = useApi<{ images: Image[]; next?: string }>('image', `/images?sort=name:asc${marker ? `&marker=${encodeURIComponent(marker)}` : ''}`, (data) =>
    data.images.some(imageBusy),
  );
  const nextMarker = images.data?.next ? (images.data.images.at(-1)?.id ?? null) : null;
  const change = useAction<Change>(['image'], changeImage);
  const projectName = useProjectName();
  return (
    <section>
      <h1>All images</h1>
      <ErrorNotice error={images.error ?? change.error} />
      {images.data && (
        <DataTable
          label="All images"
          rows={images.data.images}
          empty="No images in any project."
          columns={[
            { header: 'Project', cell: (i) => (i.owner ? projectName(i.owner) : '') },
            { header: 'Name', cell: imageLabel },
            { header: 'Status', cell: (i) => <Status value={i.status} busy={imageBusy(i)} /> },
            {
              header: 'Visibility',
              cell: (image) => <VisibilitySelect image={image} onChange={(visibility) => change.mutate({ image, visibility })} />,
            },
            {
              header: 'Protected',
              cell: (image) => (
                <label>
                  <input type="checkbox" checked={image.protected} onChange={(event) => change.mutate({ image, protect: event.target.checked })} />
                  <span className="visually-hidden">Protect {imageLabel(image)}</span>
                </label>
              ),
            },
            { header: 'Size', cell: (i) => formatBytes(i.size) },
            { header: 'Format', cell: (i) => i.disk_format ?? '' },
            {
              header: 'Delete',
              cell: (i) => <ConfirmButton label="Delete" subject={imageLabel(i)} disabled={i.protected} onConfirm={() => change.mutate({ remove: i })} />,
            },
          ]}
        />
      )}
      <Pager label="All images" nextMarker={nextMarker} />
    </section>
  );
}
