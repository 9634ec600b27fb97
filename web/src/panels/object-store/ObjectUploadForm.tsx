import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useAction } from '../../api/hooks';
import { swiftPath } from '../../api/object-store';
import { DEFAULT_SEGMENT_MIB, uploadObject } from '../../api/large-object';
import type { Progress } from '../../api/transfer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { UploadProgress } from '../../components/UploadProgress';

type Upload = { file: File; segmentMib: number } | { folder: string };

/**
 * Uploads a file into the folder shown (above the segment size as a static large object), or makes a subfolder
 * there (a zero-byte object named with a trailing slash, as Horizon does).
 */
export function ObjectUploadForm({ container, prefix }: { container: string; prefix: string }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [fileName, setFileName] = useState('');
  const upload = useAction<Upload>(['object-store'], (session, input) =>
    'file' in input
      ? uploadObject(session, container, `${prefix}${input.file.name}`, input.file, input.segmentMib * 1024 * 1024, setProgress)
      : api(session, 'object-store', swiftPath(container, `${prefix}${input.folder}/`), {
          method: 'PUT',
          body: '',
          headers: { 'content-type': 'application/directory' },
        }),
  );

  function submitFile(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get('file');
    if (!(file instanceof File) || !file.name) return;
    setFileName(file.name);
    setProgress({ loaded: 0, total: file.size });
    upload.mutate({ file, segmentMib: Number(form.get('segment')) });
    // Only the file is cleared: the segment size chosen stays for the next upload.
    const input = event.currentTarget.elements.namedItem('file');
    if (input instanceof HTMLInputElement) input.value = '';
  }

  function submitFolder(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    upload.mutate({ folder: String(new FormData(event.currentTarget).get('folder')).replace(/\/+$/, '') });
    event.currentTarget.reset();
  }

  return (
    <>
      <form className="form inline" onSubmit={submitFile} aria-label="Upload object">
        <TextField label="File to upload" name="file" type="file" required />
        <TextField label="Segment size (MiB)" name="segment" type="number" min={1} step="any" defaultValue={DEFAULT_SEGMENT_MIB} required />
        <button type="submit" disabled={upload.isPending}>
          Upload
        </button>
      </form>
      <form className="form inline" onSubmit={submitFolder} aria-label="Create folder">
        <TextField label="Folder name" name="folder" required pattern="[^/]+/?" />
        <button type="submit">Create folder</button>
      </form>
      <UploadProgress name={fileName} progress={fileName ? progress : null} />
      <ErrorNotice error={upload.error} />
    </>
  );
}
