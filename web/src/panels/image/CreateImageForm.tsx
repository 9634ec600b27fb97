import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useAction } from '../../api/hooks';
import { DISK_FORMATS, VISIBILITIES, type Image } from '../../api/image';
import type { Session } from '../../api/session';
import { uploadFile, type Progress } from '../../api/transfer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { UploadProgress } from '../../components/UploadProgress';

interface NewImage {
  fields: { name: string; disk_format: string; container_format: 'bare'; visibility: string };
  source: { file: File } | { url: string };
}

/**
 * Glance makes an image in two steps: the record (queued), then its data, either uploaded
 * (PUT /file) or fetched by Glance itself from a URL (the `web-download` import method).
 */
async function createImage(session: Session, input: NewImage, onProgress: (progress: Progress) => void): Promise<void> {
  const image = await api<Image>(session, 'image', '/images', { method: 'POST', body: input.fields });
  if ('file' in input.source) {
    await uploadFile(session, 'image', `/images/${image.id}/file`, input.source.file, onProgress, { 'content-type': 'application/octet-stream' });
    return;
  }
  await api(session, 'image', `/images/${image.id}/import`, { method: 'POST', body: { method: { name: 'web-download', uri: input.source.url } } });
}

export function CreateImageForm() {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [uploading, setUploading] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const create = useAction<NewImage>(['image'], (session, input) => createImage(session, input, setProgress));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get('file');
    const url = String(form.get('url') ?? '').trim();
    const hasFile = file instanceof File && file.size > 0;
    if (hasFile === Boolean(url)) {
      setInvalid('Choose either a file to upload or a URL for Glance to download, not both.');
      return;
    }
    setInvalid(null);
    const fields = {
      name: String(form.get('name')),
      disk_format: String(form.get('disk_format')),
      container_format: 'bare' as const,
      visibility: String(form.get('visibility')),
    };
    setProgress(null);
    setUploading(hasFile ? (file as File).name : '');
    create.mutate({ fields, source: hasFile ? { file: file as File } : { url } });
    event.currentTarget.reset();
  }

  return (
    <form className="form inline" onSubmit={submit} aria-label="Create image">
      <TextField label="Image name" name="name" required />
      <label>
        Disk format
        <select name="disk_format" defaultValue="qcow2">
          {DISK_FORMATS.map((format) => (
            <option key={format}>{format}</option>
          ))}
        </select>
      </label>
      <label>
        Visibility
        <select name="visibility" defaultValue="private">
          {VISIBILITIES.map((visibility) => (
            <option key={visibility}>{visibility}</option>
          ))}
        </select>
      </label>
      <TextField label="Image file" name="file" type="file" />
      <TextField label="or image URL" name="url" type="url" placeholder="https://example.org/cirros.img" />
      <button type="submit" disabled={create.isPending}>
        Create image
      </button>
      <UploadProgress name={uploading} progress={uploading ? progress : null} />
      <ErrorNotice error={invalid ?? create.error} />
    </form>
  );
}
