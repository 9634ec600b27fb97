/** Every orchestration route, mounted under /orchestration: heat-api v1, its version document, and the cfn signal paths. */
import type { FastifyInstance } from 'fastify';
import type { StackService } from '../service/types.js';
import type { CfnKeys } from '../software/cfn-keys.js';
import { cfnRoutes } from './cfn.js';
import { authenticateFirst, type HeatApi } from './context.js';
import { resourceRoutes } from './resources.js';
import { softwareRoutes } from './software.js';
import { stackDataRoutes } from './stack-data.js';
import { stackRoutes } from './stacks.js';
import { templateRoutes } from './templates.js';

export function orchestrationRoutes(app: FastifyInstance, api: HeatApi, cfn: { keys: CfnKeys; stacks: StackService }): void {
  // heat-api's version document answers 300 Multiple Choices, as every OpenStack root does.
  app.get('/', async (_request, reply) => {
    const versions = [{ id: 'v1.0', status: 'CURRENT', links: [{ rel: 'self', href: `${api.root()}/` }] }];
    return reply.code(300).send({ versions });
  });
  // heat-api's serializer says `application/json`, without a charset; clients (gabbi) compare it exactly.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json')) reply.header('content-type', 'application/json');
    return payload;
  });
  authenticateFirst(app, api);
  stackRoutes(app, api);
  stackDataRoutes(app, api);
  resourceRoutes(app, api);
  templateRoutes(app, api);
  softwareRoutes(app, api);
  cfnRoutes(app, cfn);
}

export { cfnSignalUrl, cfnWaitconditionUrl, CFN_PATH } from './cfn.js';
export type { HeatApi } from './context.js';
