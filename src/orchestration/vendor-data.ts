/**
 * Heat's entry in Nova's vendor data (`vendor_data2.json` → `heat`): for a
 * server a stack made with user_data_format SOFTWARE_CONFIG, the layout Heat
 * keeps in that server resource's metadata — `os-collect-config` and the
 * `deployments` targeting the server now — so a guest agent finds its
 * deployments through the metadata service or config drive without Heat
 * credentials. Other servers get no entry.
 */
import type { VendorDataProvider } from '../compute/operations.js';
import { serviceCaller } from '../core/context.js';
import type { JsonObject } from './json.js';
import type { SoftwareService } from './software/service.js';
import { resourcesByPhysicalId, type HeatDb } from './store/index.js';

/** The key publishSoftwareConfigMetadata writes on SOFTWARE_CONFIG servers only. */
const COLLECT_CONFIG = 'os-collect-config';

export function heatVendorData(db: HeatDb, software: SoftwareService): VendorDataProvider {
  return async ({ instanceId, projectId }) => {
    const resources = await resourcesByPhysicalId(db, projectId, instanceId);
    const server = resources.find((resource) => COLLECT_CONFIG in resource.metadata);
    if (server === undefined) return null;
    // Read as a service of the server's project: the guest has no token, and only that project's deployments target it.
    const deployments = await software.serverDeployments(serviceCaller('nimbus-orchestration', { id: projectId }), instanceId);
    const layout: JsonObject = { ...server.metadata, deployments };
    return layout;
  };
}
