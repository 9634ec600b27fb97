import { imageDefaults, type ImageConfig, type ImportFilteringConfig } from '../config.js';

/**
 * Glance's configuration, at the defaults a DevStack Glance runs with (one
 * `file` store, `enabled_backends` set). The import methods and their URI
 * filter come from the `image:` config section (`../config.ts`).
 */
export interface ImageOptions {
  /** `[image_format] container_formats` */
  containerFormats: readonly string[];
  /** `[image_format] disk_formats` */
  diskFormats: readonly string[];
  /** `limit_param_default`: page size without `limit`. */
  limitParamDefault: number;
  /** `api_limit_max`: the largest page. */
  apiLimitMax: number;
  /** `image_member_quota`, `image_property_quota`, `image_tag_quota` (-1: unlimited). */
  imageMemberQuota: number;
  imagePropertyQuota: number;
  imageTagQuota: number;
  /** `image_size_cap`: the largest image, in bytes (Glance's default 1 TiB). */
  imageSizeCap: number;
  /** `enabled_import_methods` */
  enabledImportMethods: readonly string[];
  /** `[import_filtering_opts]`: the URIs `web-download` may fetch. */
  importFiltering: ImportFiltering;
}

/** `[import_filtering_opts]` parsed; empty lists filter nothing. */
export interface ImportFiltering {
  allowedSchemes: readonly string[];
  disallowedSchemes: readonly string[];
  allowedHosts: readonly string[];
  disallowedHosts: readonly string[];
  allowedPorts: readonly number[];
  disallowedPorts: readonly number[];
}

export const DEFAULT_IMAGE_OPTIONS: ImageOptions = {
  containerFormats: ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'],
  diskFormats: ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop'],
  limitParamDefault: 25,
  apiLimitMax: 1000,
  imageMemberQuota: 128,
  imagePropertyQuota: 128,
  imageTagQuota: 128,
  imageSizeCap: 1099511627776,
  enabledImportMethods: ['glance-direct', 'web-download'],
  importFiltering: importFiltering(imageDefaults().import_filtering_opts),
};

/** The config section's filter with its ports as numbers; a port that is not one is a config error. */
export function importFiltering(config: ImportFilteringConfig): ImportFiltering {
  const ports = (option: string, values: readonly string[]) =>
    values.map((value) => {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Config option image.import_filtering_opts.${option}: ${value} is not a port`);
      return port;
    });
  return {
    allowedSchemes: config.allowed_schemes,
    disallowedSchemes: config.disallowed_schemes,
    allowedHosts: config.allowed_hosts,
    disallowedHosts: config.disallowed_hosts,
    allowedPorts: ports('allowed_ports', config.allowed_ports),
    disallowedPorts: ports('disallowed_ports', config.disallowed_ports),
  };
}

/** The options in force under an `image:` config section. */
export function imageOptions(config: ImageConfig): ImageOptions {
  return { ...DEFAULT_IMAGE_OPTIONS, enabledImportMethods: config.enabled_import_methods, importFiltering: importFiltering(config.import_filtering_opts) };
}
