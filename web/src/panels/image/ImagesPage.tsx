import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { imageBusy, imageLabel, patchImage, type Image } from '../../api/image';
import type { Session } from '../../api/session';
import { formatBytes } from '../../api/transfer';
import { useSession } from '../../auth/session-context';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Pager, useMarker } from '../../components/Pager';
import { Status } from '../../components/Status';
import { CreateImageForm } from './CreateImageForm';
import { VisibilitySelect } from './VisibilitySelect';

type Change = { image: Image; visibility: string } | { image: Image; share: string } | { remove: Image };

function changeImage(session: Session, change: Change): Promise<unknown> {
  if ('remove' in change) return api(session, 'image', `/images/${change.remove.id}`, { method: 'DELETE' });
  if ('share' in change) return api(session, 'image', `/images/${change.image.id}/members`, { method: 'POST', body: { member: change.share } });
  return patchImage(session, change.image, '/visibility', change.visibility);
}

export default function ImagesPage() {
  const session = useSession();
  const marker = useMarker();
  const images = useApi<{ images: Image[]; next?: string }>('image', `/images?sort=name:asc${marker ? `&marker=${encodeURIComponent(marker)}` : ''}`, (data) =>
    data.images.some(imageBusy),
  );
  // Glance gives `next` while more images follow (25 a page by default); the next page starts after the last one shown.
  const nextMarker = images.data?.next ? (images.data.images.at(-1)?.id ?? null) : null;
  const change = useAction<Change>(['image'], changeImage);
  const owned = (image: Image) => image.owner === session.project.id;

  function visibilityControl(image: Image) {
    if (!owned(image)) return image.visibility;
    return <VisibilitySelect image={image} onChange={(visibility) => change.mutate({ image, visibility })} />;
  }

  // A shared image is offered to other projects by their id, as `openstack image add project` does.
  function shareControl(image: Image) {
    if (!owned(image) || image.visibility !== 'shared') return null;
    return (
      <form
        className="inline"
        onSubmit={(event) => {
          event.preventDefault();
          change.mutate({ image, share: String(new FormData(event.currentTarget).get('project')).trim() });
          event.currentTarget.reset();
        }}
      >
        <label>
          Share {imageLabel(image)} with project ID
          <input name="project" required />
        </label>
        <button type="submit" aria-label={`Share ${imageLabel(image)}`}>
          Share
        </button>
      </form>
    );
  }

  return (
    <section>
      <h1>Images</h1>
      <CreateImageForm />
      <ErrorNotice error={images.error ?? change.error} />
      {images.data && (
        <DataTable
          label="Images"
          rows={images.data.images}
          empty="No images yet: upload one above or give Glance a URL to import."
          columns={[
            { header: 'Name', cell: imageLabel },
            { header: 'Status', cell: (i) => <Status value={i.status} busy={imageBusy(i)} /> },
            { header: 'Visibility', cell: visibilityControl },
            { header: 'Size', cell: (i) => formatBytes(i.size) },
            { header: 'Format', cell: (i) => i.disk_format ?? '' },
            { header: 'Sharing', cell: shareControl },
            {
              header: 'Delete',
              cell: (i) => (
                <ConfirmButton label="Delete" subject={imageLabel(i)} disabled={i.protected || !owned(i)} onConfirm={() => change.mutate({ remove: i })} />
              ),
            },
          ]}
        />
      )}
      <Pager label="Image list" nextMarker={nextMarker} />
    </section>
  );
}
