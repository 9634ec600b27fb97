import type { Project } from '../../api/identity';
import { ProjectMembers } from './ProjectMembers';
import { ResourcePage } from './ResourcePage';

export default function ProjectPage() {
  return <ResourcePage<Project> collection="projects" kind="project" more={(project) => <ProjectMembers project={project} />} />;
}
