/** Gnocchi's options Nimbus honours, under `metric:`. */
export interface MetricConfig {
  /** The largest page a listing returns (Gnocchi's `[api] max_limit`). */
  max_limit: number;
  /** Methods of archive policies created without `aggregation_methods` (`[archive_policy] default_aggregation_methods`). */
  default_aggregation_methods: string[];
}

export function metricDefaults(): MetricConfig {
  return { max_limit: 1000, default_aggregation_methods: ['mean', 'min', 'max', 'sum', 'std', 'count'] };
}
