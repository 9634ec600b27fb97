/** Heat's rooms import JSON values from here: templates, environments, property and attribute values. */
export { isJsonObject, type Json, type JsonObject } from '../core/json.js';
