/**
 * Counts this process's writes to what the scheduler's host view copies
 * from compute's tables (services, aggregates), so the scheduler re-reads
 * them exactly when they changed instead of on a timer. Counted after the
 * statement ran, so a reader that saw the count before reading has seen the
 * change or will see the count move. One count per process: servers sharing
 * a process (tests) only cost each other an extra read.
 */
let writes = 0;

export const hostWriteCount = (): number => writes;

/** Awaits a write to services or aggregates and counts it. */
export async function hostWrite<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } finally {
    writes++;
  }
}
