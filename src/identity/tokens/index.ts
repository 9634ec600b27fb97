/** Keystone-compatible Fernet tokens: the format, the key repository and the codec. */
export { Fernet, InvalidToken, MultiFernet, generateFernetKey } from './fernet.js';
export type { DecryptOptions, EncryptOptions, FernetMessage, MultiFernetMessage } from './fernet.js';
export { DEFAULT_MAX_ACTIVE_KEYS, KeyRepository, KeysNotFound } from './key-repository.js';
export type { KeyRepositoryOptions } from './key-repository.js';
export { MalformedPayload, packPayload, unpackPayload } from './token-payload.js';
export type { AuthMethod, TokenPayload, TokenScope } from './token-payload.js';
export { TokenCodec } from './token-codec.js';
export type { OpenedToken, TokenCodecOptions } from './token-codec.js';
