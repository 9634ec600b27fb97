/**
 * Vendor data from other services (Nova's DynamicJSON vendordata): each
 * provider registered under a name answers JSON for an instance, and
 * `vendor_data2.json` holds one entry per name with that answer. Nova asks
 * HTTP targets listed in `vendordata_dynamic_targets`; here the other
 * services register in-process through compute's door, so compute knows
 * none of them (Heat depends on Nova, not the reverse).
 */
import type { Json } from '../../core/json.js';
import type { Logger } from '../../core/logger.js';
import type { Server } from '../store/index.js';

/** What a provider learns about the instance (the fields of Nova's DynamicJSON request body). */
export interface VendorDataRequest {
  instanceId: string;
  projectId: string;
  userId: string;
  /** null for a server booted from a volume. */
  imageId: string | null;
  hostname: string;
  metadata: Record<string, string>;
}

/** Answers the JSON for one instance, or null when it has nothing for it (no entry is written then). */
export type VendorDataProvider = (request: VendorDataRequest) => Promise<Json | null>;

export class VendorDataProviders {
  readonly #providers = new Map<string, VendorDataProvider>();

  constructor(private readonly log: Logger) {}

  /** Registers (or replaces) the provider answering for `name`. */
  register(name: string, provider: VendorDataProvider): void {
    this.#providers.set(name, provider);
  }

  /**
   * Every provider's answer for the server, by name. A provider that fails
   * gets an empty object, as Nova's DynamicJSON writes for a target that
   * failed (vendordata_dynamic_failure_fatal off): the guest still boots.
   */
  async collect(server: Server): Promise<Record<string, Json>> {
    const request: VendorDataRequest = {
      instanceId: server.id,
      projectId: server.projectId,
      userId: server.userId,
      imageId: server.imageRef,
      hostname: server.attrs.hostname,
      metadata: server.attrs.metadata,
    };
    const answers: Record<string, Json> = {};
    for (const [name, provider] of this.#providers) {
      try {
        const answer = await provider(request);
        if (answer !== null) answers[name] = answer;
      } catch (error) {
        this.log.warn({ err: error, target: name, instanceId: server.id }, 'vendor data provider failed');
        answers[name] = {};
      }
    }
    return answers;
  }
}
