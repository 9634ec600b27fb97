/**
 * A parsed JSON body as the tests read it. Its shape is what each test
 * asserts, not what the compiler can know, so property access is unchecked:
 * this is the one `any` of the tests, named once instead of at every use.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON off the wire, checked by the assertions that read it
export type Json = Record<string, any>;
