import { useApi } from '../../api/hooks';

/** Project names for an all-projects list: a user who may list every project's resources may list projects too, else ids show. */
export function useProjectName(): (id: string) => string {
  const projects = useApi<{ projects: { id: string; name: string }[] }>('identity', '/projects');
  return (id) => projects.data?.projects.find((p) => p.id === id)?.name ?? id;
}
