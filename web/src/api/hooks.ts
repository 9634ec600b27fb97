/** Queries and actions over the public APIs, cached per project and refreshed after each change. */
import { useMutation, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useSession } from '../auth/session-context';
import { api, send, type ServiceType } from './client';
import type { Session } from './session';

/**
 * GET `path` of `service`, keyed by project so a project switch never shows another's rows.
 * `pollWhile` keeps polling every two seconds while it holds for the data (a server building, a volume attaching).
 */
export function useApi<T>(service: ServiceType, path: string, pollWhile?: (data: T) => boolean, pollMs = 2000): UseQueryResult<T> {
  const session = useSession();
  return useQuery({
    queryKey: [session.project.id, service, path],
    queryFn: () => api<T>(session, service, path),
    refetchInterval: (query) => (pollWhile && query.state.data !== undefined && pollWhile(query.state.data) ? pollMs : false),
  });
}

/** The headers of HEAD `path` (Swift answers a container's metadata and ACLs there), lower-cased names. */
export function useApiHeaders(service: ServiceType, path: string): UseQueryResult<Record<string, string>> {
  const session = useSession();
  return useQuery({
    queryKey: [session.project.id, service, path, 'HEAD'],
    queryFn: async () => Object.fromEntries((await send(session, service, path, { method: 'HEAD' })).headers.entries()),
  });
}

/** A change through the APIs; on success every cached list of the touched services is fetched again. */
export function useAction<Input, Output = unknown>(services: ServiceType[], perform: (session: Session, input: Input) => Promise<Output>) {
  const session = useSession();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (input: Input) => perform(session, input),
    onSettled: () => Promise.all(services.map((service) => queries.invalidateQueries({ queryKey: [session.project.id, service] }))),
  });
}
