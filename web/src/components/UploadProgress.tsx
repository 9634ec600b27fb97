import { formatBytes, type Progress } from '../api/transfer';

/** An upload's progress bar, named after the file; it stays at 100% once the service accepted the file. */
export function UploadProgress({ name, progress }: { name: string; progress: Progress | null }) {
  if (!progress) return null;
  const percent = progress.total > 0 ? Math.floor((progress.loaded / progress.total) * 100) : 0;
  return (
    <div className="upload-progress">
      <progress aria-label={`Upload of ${name}`} max={100} value={percent} />
      <span aria-live="polite">
        {name}: {formatBytes(progress.loaded)} of {formatBytes(progress.total)} ({percent}%)
      </span>
    </div>
  );
}
