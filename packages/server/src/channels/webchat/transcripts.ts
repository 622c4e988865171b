/**
 * Transcript requests of web chats: the customer asks for the transcript,
 * a confirmation link goes to the address they gave, and the transcript goes
 * there once the link is opened. The rows behind it; the route
 * (rest/transcript.ts) holds the rules and the mail.
 */
import type { Db } from '../../store/index.ts';
import { nowIso } from '../../store/index.ts';

export interface TranscriptRequest {
  readonly tokenHash: string;
  readonly tenantId: string;
  readonly conversationId: string;
  readonly email: string;
  readonly createdAt: string;
  readonly sentAt: string | null;
}

export class TranscriptRequests {
  constructor(private readonly db: Db) {}

  /** The address the customer gave when the chat started, if any. */
  async customerEmail(conversationId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('conversations')
      .select('customer_email')
      .where('id', '=', conversationId)
      .executeTakeFirst();
    return row?.customer_email ?? null;
  }

  /** The customer's name and the conversation's token hash (to read its transcript). */
  async conversation(
    conversationId: string,
  ): Promise<{ customerName: string | null; tokenHash: string | null } | null> {
    const row = await this.db
      .selectFrom('conversations')
      .select(['customer_name', 'token_hash'])
      .where('id', '=', conversationId)
      .executeTakeFirst();
    return row ? { customerName: row.customer_name, tokenHash: row.token_hash } : null;
  }

  /** The requests an address got since a moment (the rate limits). */
  async sentTo(email: string, since: Date): Promise<Array<{ conversationId: string; createdAt: string }>> {
    const rows = await this.db
      .selectFrom('transcript_requests')
      .select(['conversation_id', 'created_at'])
      .where('email', '=', email)
      .where('created_at', '>', nowIso(since))
      .execute();
    return rows.map((r) => ({ conversationId: r.conversation_id, createdAt: r.created_at }));
  }

  async add(request: Omit<TranscriptRequest, 'sentAt'>): Promise<void> {
    await this.db
      .insertInto('transcript_requests')
      .values({
        token_hash: request.tokenHash,
        tenant_id: request.tenantId,
        conversation_id: request.conversationId,
        email: request.email,
        created_at: request.createdAt,
        sent_at: null,
      })
      .execute();
  }

  /** Forgets a request whose confirmation could not be sent. */
  async remove(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('transcript_requests').where('token_hash', '=', tokenHash).execute();
  }

  async find(tenantId: string, tokenHash: string): Promise<TranscriptRequest | null> {
    const row = await this.db
      .selectFrom('transcript_requests')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return row
      ? {
          tokenHash: row.token_hash,
          tenantId: row.tenant_id,
          conversationId: row.conversation_id,
          email: row.email,
          createdAt: row.created_at,
          sentAt: row.sent_at,
        }
      : null;
  }

  /** Marks a request sent; false when another request (a double click) took it first. */
  async claim(tokenHash: string): Promise<boolean> {
    const claimed = await this.db
      .updateTable('transcript_requests')
      .set({ sent_at: nowIso() })
      .where('token_hash', '=', tokenHash)
      .where('sent_at', 'is', null)
      .executeTakeFirst();
    return Number(claimed.numUpdatedRows) === 1;
  }

  /** Gives a claim back: the transcript could not be sent, and the link may be opened again. */
  async release(tokenHash: string): Promise<void> {
    await this.db
      .updateTable('transcript_requests')
      .set({ sent_at: null })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
}
