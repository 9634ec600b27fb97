/**
 * A port's extra DHCP options (extra_dhcp_opt): checked as neutron-lib's
 * EXTRA_DHCP_OPT_KEY_SPECS do, stored as Neutron stores them (options without
 * a value are dropped, except the blank-able `router` and
 * `classless-static-route`), and merged on update by (opt_name, ip_version),
 * where a null value removes the option.
 */
import { errors } from '../errors.js';

export interface ExtraDhcpOpt {
  opt_name: string;
  opt_value: string;
  ip_version: 4 | 6;
}

/** A requested option: a null value means "remove" on update. */
interface OptRequest {
  opt_name: string;
  opt_value: string | null;
  ip_version: 4 | 6;
}

const NAME_MAX = 64;
const VALUE_MAX = 255;
const BLANK_ALLOWED = ['router', 'classless-static-route'];
const KEYS = ['opt_name', 'opt_value', 'ip_version'];

const invalid = (reason: string) => errors.invalidAttribute('extra_dhcp_opts', reason);

function oneLine(value: string): boolean {
  return !/[\r\n]/.test(value);
}

export function checkExtraDhcpOpts(raw: unknown): OptRequest[] {
  if (raw === null) return [];
  if (!Array.isArray(raw)) throw invalid(`'${JSON.stringify(raw)}' is not a list`);
  return raw.map((item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalid(`'${JSON.stringify(item)}' is not a dictionary`);
    const entry = item as Record<string, unknown>;
    const unexpected = Object.keys(entry).filter((k) => !KEYS.includes(k));
    if (unexpected.length > 0) throw invalid(`Unexpected keys supplied: ${unexpected.join(', ')}`);
    for (const key of ['opt_name', 'opt_value'])
      if (!(key in entry))
        throw invalid(
          `Validation of dictionary's keys failed. Expected keys: {'opt_name', 'opt_value'} Provided keys: {${Object.keys(entry)
            .map((k) => `'${k}'`)
            .join(', ')}}`,
        );
    const name = entry.opt_name;
    if (typeof name !== 'string' || name.trim() === '' || !oneLine(name) || name.length > NAME_MAX)
      throw invalid(`'${String(name)}' is not a valid DHCP option name`);
    const value = entry.opt_value;
    if (value !== null) {
      if (typeof value !== 'string' || !oneLine(value) || value.length > VALUE_MAX)
        throw invalid(`'${JSON.stringify(value)}' is not a valid value for DHCP option ${name}`);
      if (value.trim() === '' && !BLANK_ALLOWED.includes(name)) throw invalid(`'${value}' Blank strings are not permitted for DHCP option ${name}`);
    }
    const version =
      entry.ip_version === undefined ? 4 : typeof entry.ip_version === 'string' && /^\d+$/.test(entry.ip_version) ? Number(entry.ip_version) : entry.ip_version;
    if (version !== 4 && version !== 6) throw invalid(`${String(entry.ip_version)} is not in [4, 6]`);
    return { opt_name: name, opt_value: value as string | null, ip_version: version };
  });
}

/** The options a new port keeps: valueless ones are not stored. */
export function createExtraDhcpOpts(requests: OptRequest[]): ExtraDhcpOpt[] {
  return mergeExtraDhcpOpts([], requests);
}

/** Applies an update: same (name, version) replaces or (null value) removes; new ones are added. */
export function mergeExtraDhcpOpts(current: ExtraDhcpOpt[], requests: OptRequest[]): ExtraDhcpOpt[] {
  const result = [...current];
  for (const request of requests) {
    const at = result.findIndex((o) => o.opt_name === request.opt_name && o.ip_version === request.ip_version);
    if (request.opt_value === null) {
      if (at >= 0) result.splice(at, 1);
    } else if (at >= 0) {
      result[at] = { ...request, opt_value: request.opt_value };
    } else {
      result.push({ ...request, opt_value: request.opt_value });
    }
  }
  return result;
}
