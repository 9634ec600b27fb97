/** Glance's options, under `image:` (glance-api.conf's options of the same names). */

/**
 * `[import_filtering_opts]`: which URIs `web-download` may fetch. An allow
 * list, when set, wins over the deny list of the same kind, as in Glance.
 * Ports are strings because config lists are strings (`['80', '443']`).
 */
export interface ImportFilteringConfig {
  allowed_schemes: string[];
  disallowed_schemes: string[];
  allowed_hosts: string[];
  disallowed_hosts: string[];
  allowed_ports: string[];
  disallowed_ports: string[];
}

export interface ImageConfig {
  /** `enabled_import_methods`: what `/v2/info/import` lists and the import API accepts. */
  enabled_import_methods: string[];
  import_filtering_opts: ImportFilteringConfig;
}

export function imageDefaults(): ImageConfig {
  return {
    enabled_import_methods: ['glance-direct', 'web-download'],
    import_filtering_opts: {
      allowed_schemes: ['http', 'https'],
      disallowed_schemes: [],
      allowed_hosts: [],
      disallowed_hosts: [],
      allowed_ports: ['80', '443'],
      disallowed_ports: [],
    },
  };
}
