/**
 * OS::Heat::MultipartMime: a cloud-init multipart message assembled from
 * inline parts and other configs (by id); a part of type `multipart` is
 * split and its parts appended.
 */
import { NotFound } from '../../../core/errors.js';
import type { JsonObject } from '../../json.js';
import type { ResourceContext } from '../types.js';
import { type MimePart, parseMultipart, renderMultipart } from './mime.js';
import { configGroupSchema, configType, UNGROUPED } from './software-config.js';
import { ioList } from './software-io.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A part's text: the referenced config's when `config` is a config id that exists, else `config` itself. */
async function partText(ctx: ResourceContext, config: string): Promise<string> {
  if (!UUID.test(config)) return config;
  try {
    const stored = (await ctx.softwareConfigs.getConfig(ctx.caller, config)).config;
    return typeof stored === 'string' ? stored : JSON.stringify(stored);
  } catch (error) {
    if (error instanceof NotFound) return config;
    throw error;
  }
}

async function message(ctx: ResourceContext, props: JsonObject): Promise<string> {
  const parts: MimePart[] = [];
  for (const item of ioList(props.parts)) {
    const text = await partText(ctx, String(item.config ?? ''));
    if (item.type === 'multipart') {
      parts.push(...parseMultipart(text));
      continue;
    }
    const filename = typeof item.filename === 'string' ? item.filename : '';
    // Heat derives a missing subtype from the file name without its extension.
    const subtype = typeof item.subtype === 'string' && item.subtype !== '' ? item.subtype : filename.replace(/\.[^.]*$/, '');
    parts.push({ body: text, subtype, filename });
  }
  return renderMultipart(parts);
}

export const multipartMime = configType(
  'OS::Heat::MultipartMime',
  'Assembles a collection of software configurations as a multi-part mime message.',
  '2014.1',
  {
    group: {
      ...configGroupSchema,
      description:
        'Namespace to group this multi-part configs by when delivered to a server. This may imply what configuration tool is going to perform the configuration.',
      supportStatus: { status: 'SUPPORTED', version: '14.0.0' },
    },
    parts: {
      type: 'list',
      description: 'Parts belonging to this message.',
      default: [],
      schema: {
        '*': {
          type: 'map',
          schema: {
            config: {
              type: 'string',
              description: 'Content of part to attach, either inline or by referencing the ID of another software config resource.',
              required: true,
            },
            filename: { type: 'string', description: 'Optional filename to associate with part.' },
            type: {
              type: 'string',
              description: 'Whether the part content is text or multipart.',
              default: 'text',
              constraints: [{ allowed_values: ['text', 'multipart'] }],
            },
            subtype: { type: 'string', description: 'Optional subtype to specify with the type.' },
          },
        },
      },
    },
  },
  async (props, ctx) => ({ group: String(props.group ?? UNGROUPED), config: await message(ctx, props), inputs: [], outputs: [], options: {} }),
);
