// The topology file's JSON Schema, for editor completion (yaml-language-server, VS Code).
import { z } from 'zod';
import { topologySchema } from './schema.js';

export function topologyJsonSchema(): Record<string, unknown> {
  // io 'input': what the author writes (defaults are optional), not what loading produces.
  const schema = z.toJSONSchema(topologySchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'mr topology (mr.config.yaml)',
    description:
      'Regions and the resources in each that mr inspects and fails over. Cross-region rules (every region has an entry) are checked by `mr config validate`.',
  };
}
