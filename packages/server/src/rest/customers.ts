/**
 * Customers, notes and canned responses (docs/rest-api.md). Every user of
 * the tenant reads and corrects customers and merges duplicates (agents
 * meet them first); an interaction's card and notes are for its agent and
 * supervisors; tenant-wide canned responses are an admin's, personal ones
 * the agent's own.
 */
import { CodedError } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { hasRole, mayRead } from '../access/index.ts';
import type { AppContext } from '../context.ts';
import {
  addNote,
  createCanned,
  customerHistory,
  deleteCanned,
  findCanned,
  findCustomer,
  listCanned,
  listNotes,
  mergeCustomers,
  normalEmail,
  normalPhone,
  searchCustomers,
  shortcutTaken,
  updateCustomer,
  type Customer,
  type HistoryEntry,
} from '../customers/index.ts';
import { conferenceParties, findInteraction } from '../interactions/index.ts';
import { audit } from '../store/index.ts';
import type { UserRecord } from '../users/index.ts';
import { restHelpers } from './helpers.ts';
import { Id, IdParams } from './schemas.ts';

const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 100, description: 'Part of a name, email address or phone number' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
const CustomerPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
    email: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])),
    phone: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
const MergeBody = Type.Object(
  { customer_id: Id },
  { additionalProperties: false, description: 'The duplicate to merge into this customer' },
);
const NoteBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }) },
  { additionalProperties: false },
);
const CannedBody = Type.Object(
  {
    shortcut: Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]{0,39}$',
      description: 'What follows `/` in the compose box: lower-case letters, digits, `_` and `-`',
    }),
    title: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    body: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }),
    personal: Type.Optional(Type.Boolean({ description: "The caller's own (default); false: the tenant's (admins)" })),
  },
  { additionalProperties: false },
);

const customerDetail = (c: Customer) => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  identities: c.identities,
  created: c.created,
  updated: c.updated,
});

/** A history entry as the caller may see it: recordings link only for their agent and supervisors. */
const historyFor = (user: UserRecord, h: HistoryEntry) => ({
  ...h,
  recordings: h.recordings.map((r) => ({
    ...r,
    ...(mayRead(user, { agentId: h.agent_id }) ? { url: `api/v1/recordings/${r.id}` } : {}),
  })),
});

export function customerRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const { caller } = restHelpers(ctx);
    const customerOr404 = async (tenantId: string, id: string) => {
      const found = await findCustomer(ctx.db, tenantId, id);
      if (!found) throw new CodedError('not_found', `No customer ${id}.`);
      return found;
    };
    /** An interaction the caller may read (its agent, or a supervisor). */
    const readable = async (user: UserRecord, tenantId: string, id: string) => {
      const found = await findInteraction(ctx.db, tenantId, id);
      if (!found) throw new CodedError('not_found', `No interaction ${id}.`);
      if (!mayRead(user, found))
        throw CodedError.forbidden("Only the interaction's agent, or a supervisor, may see its customer and notes.");
      return found;
    };

    app.get<{ Querystring: Static<typeof SearchQuery> }>(
      '/api/v1/customers',
      { schema: { querystring: SearchQuery } },
      async (request) => {
        await caller(request);
        const found = await searchCustomers(ctx.db, request.tenant.id, request.query.q, request.query.limit ?? 20);
        return found.map(customerDetail);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/customers/:id',
      { schema: { params: IdParams } },
      async (request) => {
        const { user } = await caller(request);
        const customer = await customerOr404(request.tenant.id, request.params.id);
        const history = await customerHistory(ctx.db, request.tenant.id, customer.id);
        return { ...customerDetail(customer), history: history.map((h) => historyFor(user, h)) };
      },
    );

    app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof CustomerPatch> }>(
      '/api/v1/customers/:id',
      { schema: { params: IdParams, body: CustomerPatch } },
      async (request) => {
        const { user } = await caller(request);
        const customer = await customerOr404(request.tenant.id, request.params.id);
        const b = request.body;
        const email = b.email === undefined || b.email === null || b.email === '' ? b.email : normalEmail(b.email);
        if (email === null && b.email) throw CodedError.invalidArgument('email: enter an address like ada@example.com');
        const phone = b.phone === undefined || b.phone === null || b.phone === '' ? b.phone : normalPhone(b.phone);
        if (phone === null && b.phone)
          throw CodedError.invalidArgument('phone: enter a number with its country code, like +49 30 1234567');
        const patch = {
          ...(b.name === undefined ? {} : { name: b.name.trim() }),
          ...(email === undefined ? {} : { email: email || null }),
          ...(phone === undefined ? {} : { phone: phone || null }),
        };
        await ctx.db.transaction().execute(async (trx) => {
          await updateCustomer(trx, request.tenant.id, customer.id, patch, new Date());
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: user.id,
            action: 'customer_updated',
            detail: { target: customer.id, ...patch },
          });
        });
        return customerDetail(await customerOr404(request.tenant.id, customer.id));
      },
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof MergeBody> }>(
      '/api/v1/customers/:id/merge',
      { schema: { params: IdParams, body: MergeBody } },
      async (request) => {
        const { user } = await caller(request);
        const into = await customerOr404(request.tenant.id, request.params.id);
        const from = await customerOr404(request.tenant.id, request.body.customer_id);
        if (into.id === from.id) throw CodedError.invalidArgument('customer_id: that is this customer already');
        await ctx.db.transaction().execute(async (trx) => {
          await mergeCustomers(trx, request.tenant.id, into.id, from.id, new Date());
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: user.id,
            action: 'customers_merged',
            detail: { target: into.id, merged: from.id },
          });
        });
        const merged = await customerOr404(request.tenant.id, into.id);
        const history = await customerHistory(ctx.db, request.tenant.id, merged.id);
        return { ...customerDetail(merged), history: history.map((h) => historyFor(user, h)) };
      },
    );

    /** The card for an interaction: its customer, the data that came with it, and the customer's other interactions. */
    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/interactions/:id/customer',
      { schema: { params: IdParams } },
      async (request) => {
        const { user } = await caller(request);
        const r = await readable(user, request.tenant.id, request.params.id);
        const customer = r.customerId ? await findCustomer(ctx.db, request.tenant.id, r.customerId) : null;
        if (!customer) throw new CodedError('not_found', `Interaction ${r.id} has no customer.`);
        const history = await customerHistory(ctx.db, request.tenant.id, customer.id);
        const current = new Set([r.id, r.consultationOf, r.transferredFrom].filter((x): x is string => x !== null));
        return {
          interaction_id: r.id,
          customer: customerDetail(customer),
          attributes: r.attributes,
          history: history.filter((h) => !current.has(h.interaction_id)).map((h) => historyFor(user, h)),
        };
      },
    );

    /** Who is in the interaction's conference (empty when it is not one). */
    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/interactions/:id/parties',
      { schema: { params: IdParams } },
      async (request) => {
        const { user } = await caller(request);
        return conferenceParties(ctx.db, await readable(user, request.tenant.id, request.params.id));
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/interactions/:id/notes',
      { schema: { params: IdParams } },
      async (request) => {
        const { user } = await caller(request);
        const r = await readable(user, request.tenant.id, request.params.id);
        // A consultation's leg shares the notes of the contact it is about.
        return listNotes(ctx.db, request.tenant.id, [r.consultationOf ?? r.id]);
      },
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof NoteBody> }>(
      '/api/v1/interactions/:id/notes',
      { schema: { params: IdParams, body: NoteBody } },
      async (request, reply) => {
        const { user } = await caller(request);
        const r = await readable(user, request.tenant.id, request.params.id);
        const note = await addNote(
          ctx.db,
          request.tenant.id,
          { interactionId: r.consultationOf ?? r.id, authorId: user.id, body: request.body.body.trim() },
          new Date(),
        );
        return reply.code(201).send(note);
      },
    );

    app.get('/api/v1/canned-responses', async (request) => {
      const { user } = await caller(request);
      return listCanned(ctx.db, request.tenant.id, user.id);
    });

    app.post<{ Body: Static<typeof CannedBody> }>(
      '/api/v1/canned-responses',
      { schema: { body: CannedBody } },
      async (request, reply) => {
        const { user } = await caller(request);
        const b = request.body;
        const personal = b.personal ?? true;
        if (!personal && !hasRole(user, 'admin'))
          throw CodedError.forbidden("Only an admin keeps the tenant's canned responses; make it personal instead.");
        const ownerId = personal ? user.id : null;
        if (await shortcutTaken(ctx.db, request.tenant.id, ownerId, b.shortcut))
          throw new CodedError('conflict', `/${b.shortcut} is taken; choose another shortcut.`);
        const created = await createCanned(
          ctx.db,
          request.tenant.id,
          { ownerId, shortcut: b.shortcut, title: b.title, body: b.body },
          new Date(),
        );
        return reply.code(201).send(created);
      },
    );

    app.delete<{ Params: Static<typeof IdParams> }>(
      '/api/v1/canned-responses/:id',
      { schema: { params: IdParams } },
      async (request, reply) => {
        const { user } = await caller(request);
        const found = await findCanned(ctx.db, request.tenant.id, request.params.id);
        if (!found) throw new CodedError('not_found', `No canned response ${request.params.id}.`);
        if (found.ownerId === null ? !hasRole(user, 'admin') : found.ownerId !== user.id)
          throw CodedError.forbidden('Only its owner (an admin for tenant-wide ones) may delete a canned response.');
        await deleteCanned(ctx.db, request.tenant.id, found.id);
        return reply.code(204).send();
      },
    );
  };
}
