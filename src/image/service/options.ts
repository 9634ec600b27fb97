/**
 * Glance's configuration, at the defaults a DevStack Glance runs with (one
 * `file` store, `enabled_backends` set, the `glance-direct` import method).
 * Nimbus has no `image:` config section yet; these are the values in force.
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
  enabledImportMethods: ['glance-direct'],
};
