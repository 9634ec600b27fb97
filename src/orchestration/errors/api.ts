/** Heat errors raised by the api room; see index.ts. */
export {};
