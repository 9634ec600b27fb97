/** Nova's services as `os-services` lists them (2.1: a numeric id; enable/disable by host and binary). */
export interface ComputeService {
  id: number | string;
  binary: string;
  host: string;
  zone: string;
  status: 'enabled' | 'disabled';
  state: 'up' | 'down';
  disabled_reason: string | null;
  updated_at: string | null;
}
