/** Where the metric service lives on the server (DevStack's `/metric`). */
export const METRIC_PREFIX = '/metric';
