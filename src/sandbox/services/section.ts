// Validation of a service's section of the world file, with errors that name the path.
import type { z } from 'zod';
import { UsageError } from '../../io/errors.js';

export function parseSection<T extends z.ZodType>(schema: T, section: unknown, name: string): z.infer<T> {
  const result = schema.safeParse(section ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${[name, ...i.path.map(String)].join('.')}: ${i.message}`);
  throw new UsageError(`Invalid sandbox world file: ${problems.join('; ')}`, 'See src/sandbox/worlds/demo/world.yaml for the format.');
}

/** A problem the schema cannot see (cross-field), named by its path in the world file. */
export function sectionError(path: string, message: string): UsageError {
  return new UsageError(`Invalid sandbox world file: ${path}: ${message}`, 'See src/sandbox/worlds/demo/world.yaml for the format.');
}
