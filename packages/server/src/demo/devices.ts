/**
 * Which browser a demo handset number belongs to. The first device to open
 * a number claims it; a device is a random key in an HttpOnly, SameSite
 * Strict cookie (never in a URL), stored hashed. Only the owning device
 * reads the number's messages, follows its events or sends from it.
 */
import { CodedError } from '@parley/protocol';
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { isUniqueViolation, nowIso } from '../store/index.ts';
import { tenantBasePath } from '../tenants/index.ts';

export const DEVICE_COOKIE = 'parley_handset';

const hash = (device: string) => createHash('sha256').update(`handset:${device}`).digest('hex');

function deviceOf(request: FastifyRequest): string | null {
  const value = request.cookies[DEVICE_COOKIE];
  return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
}

/** Claims `number` for the calling browser (making it a device first); 409 when another has it. */
export async function claimHandset(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  number: string,
): Promise<void> {
  let device = deviceOf(request);
  if (!device) {
    device = randomBytes(32).toString('base64url');
    void reply.setCookie(DEVICE_COOKIE, device, {
      path: tenantBasePath(request.tenant.slug),
      httpOnly: true,
      secure: true,
      sameSite: 'strict',
      maxAge: 30 * 86400,
    });
  }
  const owner = await ownerOf(ctx, request, number);
  if (owner) {
    if (owner.device_hash !== hash(device)) throw taken(number);
    return;
  }
  try {
    await ctx.db
      .insertInto('demo_handsets')
      .values({ tenant_id: request.tenant.id, number, device_hash: hash(device), created_at: nowIso() })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(number);
    throw err;
  }
}

/** Refuses unless the calling browser owns `number` (403, saying how to get it). */
export async function assertOwnHandset(ctx: AppContext, request: FastifyRequest, number: string): Promise<void> {
  const device = deviceOf(request);
  const owner = await ownerOf(ctx, request, number);
  if (!device || owner?.device_hash !== hash(device))
    throw CodedError.forbidden(`The number ${number} is not this handset's: open it on the handset page first.`);
}

function ownerOf(ctx: AppContext, request: FastifyRequest, number: string) {
  return ctx.db
    .selectFrom('demo_handsets')
    .select('device_hash')
    .where('tenant_id', '=', request.tenant.id)
    .where('number', '=', number)
    .executeTakeFirst();
}

function taken(number: string): CodedError {
  return new CodedError('conflict', `The number ${number} is in use on another handset; choose another.`);
}
