import { Link, useSearchParams } from 'react-router';

/** The page's place in a server-paginated list: the API's `marker`, kept in the URL so the back button goes back a page. */
export function useMarker(): string | null {
  return useSearchParams()[0].get('marker');
}

/** Links to the first page and, when the API said there are more rows, to the page after the last row shown. */
export function Pager({ label, nextMarker }: { label: string; nextMarker: string | null }) {
  const marker = useMarker();
  if (!marker && !nextMarker) return null;
  return (
    <nav aria-label={`${label} pages`} className="actions">
      {marker && <Link to="?">First page</Link>}
      {nextMarker && <Link to={`?marker=${encodeURIComponent(nextMarker)}`}>Next page</Link>}
    </nav>
  );
}
