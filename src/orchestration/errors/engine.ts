/** Heat errors raised by the engine room; see index.ts. */
export {};
