/**
 * JSON-schema pieces that several OpenStack services share because they come
 * from the same Python libraries (nova/cinder `api/validation/parameter_types.py`
 * over oslo's helpers).
 */

/** The values the `boolean` parameter type takes: JSON booleans and the strings oslo's bool_from_string reads. */
export const OSLO_BOOLEAN_VALUES: readonly (boolean | string)[] = [
  true,
  'True',
  'TRUE',
  'true',
  '1',
  'ON',
  'On',
  'on',
  'YES',
  'Yes',
  'yes',
  'y',
  't',
  false,
  'False',
  'FALSE',
  'false',
  '0',
  'OFF',
  'Off',
  'off',
  'NO',
  'No',
  'no',
  'n',
  'f',
];

/** `parameter_types.boolean`: one of OSLO_BOOLEAN_VALUES. */
export const osloBoolean = { type: ['boolean', 'string'], enum: OSLO_BOOLEAN_VALUES } as const;
