/**
 * Replays of signed webhooks. The provider's signature covers the URL and
 * the fields joined without separators (its documented scheme), so the same
 * signed bytes can be re-split into other fields and still verify. Whatever
 * the split, a replay carries the same signature: a webhook is taken once
 * per signature, claimed before it is stored and given back when storing
 * fails (so the provider's retry is stored then). Receipts are kept 30 days.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isUniqueViolation, nowIso, type Database } from '../store/index.ts';

const KEEP_MS = 30 * 24 * 3600_000;

export class WebhookReceipts {
  #prunedAt = 0;

  constructor(
    readonly db: Kysely<Database>,
    readonly now: () => number = Date.now,
  ) {}

  /** Claims a signed webhook; false when it was taken before (a replay). */
  async claim(tenantId: string, signature: string): Promise<boolean> {
    await this.#prune();
    try {
      await this.db
        .insertInto('webhook_receipts')
        .values({ tenant_id: tenantId, digest: digestOf(signature), created_at: nowIso(new Date(this.now())) })
        .execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Gives a claim back: the webhook was not stored, and its retry must be. */
  async release(tenantId: string, signature: string): Promise<void> {
    await this.db
      .deleteFrom('webhook_receipts')
      .where('tenant_id', '=', tenantId)
      .where('digest', '=', digestOf(signature))
      .execute();
  }

  async #prune(): Promise<void> {
    const now = this.now();
    if (now - this.#prunedAt < 3600_000) return;
    this.#prunedAt = now;
    await this.db
      .deleteFrom('webhook_receipts')
      .where('created_at', '<', nowIso(new Date(now - KEEP_MS)))
      .execute();
  }
}

function digestOf(signature: string): string {
  return createHash('sha256').update(signature).digest('hex');
}
