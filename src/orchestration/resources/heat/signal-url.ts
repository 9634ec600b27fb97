/**
 * A resource's presigned CFN signal URL, made once and kept in resource
 * data (`ec2_signed_url`, as Heat keeps it) so every reader — a derived
 * config, an attribute, a server's metadata — hands out the same URL.
 */
import type { ResourceContext } from '../types.js';

export async function storedCfnSignalUrl(ctx: ResourceContext): Promise<string> {
  const stored = ctx.resource.data.ec2_signed_url;
  if (stored !== undefined) return stored;
  const url = await ctx.signalUrls.cfn();
  await ctx.setData('ec2_signed_url', url);
  return url;
}
