// Faults that take a thing away in one region (an image from a registry, a secret's replica): the
// fault list holds their keys, and the service that owns the thing hides it while the fault lasts.
import type { ServiceContext } from '../contract.js';

export const removedImageKey = (region: string, repository: string, tag: string) => `image:${region}:${repository}:${tag}`;
export const removedSecretReplicaKey = (region: string, secret: string) => `secret-replica:${region}:${secret}`;

export function isRemoved(ctx: ServiceContext, key: string): boolean {
  return ctx.removed?.(key) ?? false;
}
