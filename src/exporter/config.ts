/** The `exporter:` section: who may read GET /metrics (see README.md, "Who may scrape"). */

export interface ExporterConfig {
  /** Serve GET /metrics at all; false answers 404 as a server without the feature. */
  enabled: boolean;
  /** Scrapers on the same host (127.0.0.0/8, ::1) need no credential. */
  allow_loopback: boolean;
  /**
   * A shared secret that other hosts send as `Authorization: Bearer <token>`
   * (Prometheus's scrape_config `authorization.credentials`); null: no remote scraper.
   */
  bearer_token: string | null;
}

export function exporterDefaults(): ExporterConfig {
  return { enabled: true, allow_loopback: true, bearer_token: null };
}
