/** Heat errors raised by the template room; see index.ts. */
export {};
