/**
 * Personality (injected files), accepted in server create and rebuild before
 * microversion 2.57. Nova checks them against the project's quotas in
 * compute/api.py `_check_injected_file_quota`: the number of files first
 * (injected_files), then the longest path (injected_file_path_bytes), then
 * the longest contents as sent, base64 (injected_file_content_bytes); each
 * failure is an OverQuota the API turns into 403 with its own message.
 */
import { serverErrors } from '../errors.js';
import type { InjectedFile } from '../store/index.js';

export interface FileLimits {
  injected_files: number;
  injected_file_path_bytes: number;
  injected_file_content_bytes: number;
}

const over = (limit: number, value: number) => limit !== -1 && value > limit;

export function checkInjectedFiles(files: InjectedFile[], limits: FileLimits): void {
  if (files.length === 0) return;
  if (over(limits.injected_files, files.length)) throw serverErrors.personalityFileLimit();
  const longestPath = Math.max(...files.map((f) => f.path.length));
  const longestContents = Math.max(...files.map((f) => f.contents.length));
  if (over(limits.injected_file_path_bytes, longestPath)) throw serverErrors.personalityPathLimit(limits.injected_file_path_bytes);
  if (over(limits.injected_file_content_bytes, longestContents)) throw serverErrors.personalityContentLimit(limits.injected_file_content_bytes);
}
