import { ApiError } from '../api/errors';

/** An API failure as the API said it, with the request id an operator can find in the logs. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (error == null) return null;
  const message = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.requestId : null;
  const status = error instanceof ApiError && error.status > 0 ? `${error.status === 403 ? 'Not allowed' : 'Error'} (${error.status}): ` : '';
  return (
    <div role="alert" className="error">
      <strong>{status}</strong>
      {message}
      {requestId && <div className="request-id">Request ID: {requestId}</div>}
    </div>
  );
}
