import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { listMyProjects } from '../api/session';
import { useSession, useSessionState } from '../auth/session-context';
import { ErrorNotice } from '../components/ErrorNotice';

export function ProjectSwitcher() {
  const session = useSession();
  const { switchProject } = useSessionState();
  const [error, setError] = useState<unknown>(null);
  const projects = useQuery({ queryKey: ['my-projects', session.userId], queryFn: () => listMyProjects(session.unscopedToken) });
  const choices = projects.data ?? [session.project];

  async function choose(id: string) {
    const project = choices.find((p) => p.id === id);
    if (!project) return;
    try {
      await switchProject(project);
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <>
      <label className="project-switcher">
        Project
        <select value={session.project.id} onChange={(event) => void choose(event.target.value)}>
          {choices.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorNotice error={error ?? projects.error} />
    </>
  );
}
