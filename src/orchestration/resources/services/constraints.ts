/**
 * The custom constraints over other services' objects (`custom_constraint:
 * nova.flavor` in parameters and properties): a value passes when the
 * service finds the object for the stack owner. A refusal is worded as Heat
 * words it, "Error validating value '<v>': <the client's not-found message>",
 * the message being what Heat's client plugin (or the client library under
 * it) raises for that service.
 */
import type { CallerContext } from '../../../core/context.js';
import { NimbusError } from '../../../core/errors.js';
import type { ServiceRegistry } from '../../../core/service-module.js';
import type { Json } from '../../json.js';
import type { CustomConstraint } from '../types.js';
import { door } from './support.js';

type Lookup = (value: string, ctx: { caller: CallerContext; services: ServiceRegistry }) => Promise<unknown>;

/** A constraint whose lookup throws a NimbusError 404 (or 409 for an ambiguous name) when the value names nothing usable. */
function lookupConstraint(name: string, lookup: Lookup, notFound: (value: string) => string): CustomConstraint {
  return {
    name,
    async check(value: Json, ctx) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      try {
        await lookup(text, ctx);
        return null;
      } catch (error) {
        if (!(error instanceof NimbusError) || (error.status !== 404 && error.status !== 409)) throw error;
        const reason = error.status === 409 ? `Multiple physical resources were found with name (${text}).` : notFound(text);
        return `Error validating value '${text}': ${reason}`;
      }
    },
  };
}

/** Heat's EntityNotFound wording. */
const entity = (kind: string) => (value: string) => `The ${kind} (${value}) could not be found.`;
/** neutronclient's wording for a name or id it cannot find. */
const neutronMessage = (kind: string) => (value: string) => `Unable to find ${kind} with name '${value}'`;

const compute = (ctx: { services: ServiceRegistry }) => door(ctx.services, 'compute');
const network = (ctx: { services: ServiceRegistry }) => door(ctx.services, 'network');
const volume = (ctx: { services: ServiceRegistry }) => door(ctx.services, 'volume');
const identity = (ctx: { services: ServiceRegistry }) => door(ctx.services, 'identity');

export const customConstraints: CustomConstraint[] = [
  lookupConstraint(
    'nova.flavor',
    async (value, ctx) => {
      if ((await compute(ctx).findFlavor(ctx.caller, value)) === null) throw new FlavorMissing(value);
    },
    (value) => `No Flavor matching {'name': '${value}'}. (HTTP 404)`,
  ),
  lookupConstraint('nova.keypair', (value, ctx) => compute(ctx).getKeypair(ctx.caller, value), entity('Key')),
  lookupConstraint('nova.server', (value, ctx) => compute(ctx).getServer(ctx.caller, value), entity('Server')),
  lookupConstraint(
    'glance.image',
    (value, ctx) => door(ctx.services, 'image').find(ctx.caller, value),
    (value) => `No image matching ${value}.`,
  ),
  lookupConstraint('neutron.network', (value, ctx) => network(ctx).networks.find(ctx.caller, value), neutronMessage('network')),
  lookupConstraint('neutron.subnet', (value, ctx) => network(ctx).subnets.find(ctx.caller, value), neutronMessage('subnet')),
  lookupConstraint('neutron.port', (value, ctx) => network(ctx).ports.find(ctx.caller, value), neutronMessage('port')),
  lookupConstraint('neutron.router', (value, ctx) => network(ctx).routers.find(ctx.caller, value), neutronMessage('router')),
  lookupConstraint('neutron.security_group', (value, ctx) => network(ctx).securityGroups.find(ctx.caller, value), neutronMessage('security_group')),
  lookupConstraint('neutron.address_scope', (value, ctx) => network(ctx).addressScopes.find(ctx.caller, value), neutronMessage('address_scope')),
  lookupConstraint('neutron.subnetpool', (value, ctx) => network(ctx).subnetPools.find(ctx.caller, value), neutronMessage('subnetpool')),
  lookupConstraint('cinder.volume', (value, ctx) => volume(ctx).getVolume(ctx.caller, value), entity('Volume')),
  lookupConstraint('cinder.snapshot', (value, ctx) => volume(ctx).getSnapshot(ctx.caller, value), entity('VolumeSnapshot')),
  lookupConstraint('keystone.project', (value, ctx) => identity(ctx).findProject(ctx.caller, value), entity('KeystoneProject')),
  lookupConstraint('keystone.user', (value, ctx) => identity(ctx).findUser(ctx.caller, value), entity('KeystoneUser')),
  lookupConstraint('keystone.role', (value, ctx) => identity(ctx).findRole(ctx.caller, value), entity('KeystoneRole')),
  lookupConstraint('keystone.domain', (value, ctx) => identity(ctx).findDomain(ctx.caller, value), entity('KeystoneDomain')),
  lookupConstraint('keystone.group', (value, ctx) => identity(ctx).findGroup(ctx.caller, value), entity('KeystoneGroup')),
];

/** findFlavor answers null rather than 404; the constraint needs the 404. */
class FlavorMissing extends NimbusError {
  readonly status = 404;
  constructor(flavor: string) {
    super(`Flavor ${flavor} not found.`);
  }
}
