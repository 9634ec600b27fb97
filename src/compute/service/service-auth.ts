/** The context compute uses for its own work (first-start content, reporting hosts): admin on a project. */
import type { AuthContext } from '../../core/context.js';
import { serviceAuth } from '../../network/service/service-auth.js';

export function computeServiceAuth(project: { id: string; name: string } | null): AuthContext {
  return { ...serviceAuth(project?.id ?? null, project?.name ?? ''), userId: 'nimbus-compute', userName: 'nimbus-compute' };
}
