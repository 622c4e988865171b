/**
 * The REST bodies clients send to `/api/v1`, as TypeBox schemas (JSON Schema
 * with static types): the server validates requests with these very
 * schemas, and clients type what they send with `Static<…>` of them, so a
 * body's shape is written once. A subpath of its own
 * (`@parley/protocol/rest`): the only part of protocol that imports a
 * library, and one the panel-mode SDK never loads.
 */
import { Type, type Static } from '@sinclair/typebox';
import { CHANNEL_TYPES } from '../objects.ts';
import { AGENT_ACTIONS } from '../vocabulary.ts';

export const Id = Type.String({ pattern: '^[0-9a-f]{32}$', description: '32 lowercase hex characters' });
export const IdParams = Type.Object({ id: Id });
export const Channel = Type.Union(CHANNEL_TYPES.map((c) => Type.Literal(c)));
export const Address = Type.String({ minLength: 1, maxLength: 320, pattern: '^\\S+$' });
export const RequestId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[\\x21-\\x7e]+$',
  description: 'Client request id: a repeated request with the same id is answered without acting twice.',
});
const EmailAddress = Type.String({ maxLength: 254, pattern: '^[^\\s@<>,]+@[^\\s@<>,]+$' });

/** Where a transfer or consultation goes: exactly one of these. */
export const TargetBody = Type.Object(
  {
    queue_id: Type.Optional(Id),
    agent_id: Type.Optional(Id),
    number: Type.Optional(Type.String({ minLength: 2, maxLength: 40 })),
    address: Type.Optional(
      Type.String({ minLength: 1, maxLength: 320, description: 'A queue address, a username or a number' }),
    ),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1 },
);

/** `POST /api/v1/interactions/{id}/actions`. */
export const ActionBody = Type.Object(
  {
    action: Type.Union(AGENT_ACTIONS.map((a) => Type.Literal(a))),
    request_id: Type.Optional(RequestId),
    to: Type.Optional(TargetBody),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    notes: Type.Optional(Type.String({ maxLength: 4000 })),
    extend_seconds: Type.Optional(Type.Integer({ minimum: 30, maximum: 900 })),
    digits: Type.Optional(Type.String({ pattern: '^[0-9*#A-D]{1,32}$', description: 'DTMF tones: 0-9 * # A-D' })),
    party: Type.Optional(Id),
  },
  { additionalProperties: false },
);

/** `POST /api/v1/interactions/{id}/messages`: chat, SMS and WhatsApp use `content`; email adds a subject and addresses. */
export const MessageBody = Type.Object(
  {
    content: Type.String({ maxLength: 20_000, description: 'The text (chat, SMS and WhatsApp up to 4000 characters)' }),
    client_message_id: Type.Optional(RequestId),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 998, description: 'Email: the subject' })),
    to: Type.Optional(
      Type.Array(EmailAddress, { minItems: 1, maxItems: 50, description: 'Email: recipients (reply-all, forward)' }),
    ),
    cc: Type.Optional(Type.Array(EmailAddress, { maxItems: 50 })),
    template_id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'WhatsApp: send this template instead of free text' }),
    ),
    attachment_ids: Type.Optional(Type.Array(Id, { maxItems: 10, uniqueItems: true })),
  },
  { additionalProperties: false },
);

/** Data that comes with a contact: up to 20 string fields (a pre-chat form, a host's user data). */
export const Attributes = Type.Record(
  Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,39}$' }),
  Type.String({ maxLength: 500 }),
  {
    maxProperties: 20,
    additionalProperties: false,
    description:
      'Up to 20 fields; names start with a letter (letters, digits, `_.-`, at most 40), values at most 500 characters',
  },
);

/** `POST /api/v1/interactions`: an agent starts a call, SMS, WhatsApp or email. */
export const OutboundBody = Type.Object(
  {
    channel: Channel,
    to: Type.String({ minLength: 1, maxLength: 320 }),
    from: Type.Optional(Address),
    queue_id: Type.Optional(Id),
    subject: Type.Optional(Type.String({ maxLength: 998 })),
    request_id: Type.Optional(RequestId),
    content: Type.Optional(
      Type.String({ maxLength: 20_000, description: 'Send this first message at once (SMS, WhatsApp, email)' }),
    ),
    template_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    cc: Type.Optional(Type.Array(EmailAddress, { maxItems: 50 })),
    attributes: Type.Optional(Attributes),
  },
  { additionalProperties: false },
);

/** `POST /api/v1/contacts/{id}/pick`: a waiting contact from the picklist. */
export const PickBody = Type.Object({ request_id: Type.Optional(RequestId) }, { additionalProperties: false });

/** `POST /api/v1/interactions/{id}/read`: the agent saw the customer's messages up to this one. */
export const ReadBody = Type.Object({ message_id: Id }, { additionalProperties: false });

/** The agent's own settings (`PATCH /api/v1/me {preferences}`): each key given replaces what was kept. */
export const PreferencesBody = Type.Object(
  {
    devices: Type.Optional(
      Type.Object(
        {
          mic: Type.String({ maxLength: 200 }),
          ringer: Type.String({ maxLength: 200 }),
          output: Type.String({ maxLength: 200 }),
        },
        { additionalProperties: false },
      ),
    ),
    shortcuts: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z]{2,20}$' }), Type.String({ maxLength: 40 }), {
        maxProperties: 20,
        additionalProperties: false,
      }),
    ),
  },
  { additionalProperties: false },
);

/** `PUT /api/v1/me/state`: ready or not ready (with a reason code). */
export const StateBody = Type.Object(
  { ready: Type.Boolean(), reason: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false },
);

/** `PUT /api/v1/me/presence`: a presence profile. */
export const PresenceBody = Type.Object(
  { profile: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export type TargetRequest = Static<typeof TargetBody>;
export type ActionRequest = Static<typeof ActionBody>;
export type MessageRequest = Static<typeof MessageBody>;
export type OutboundRequest = Static<typeof OutboundBody>;
export type PickRequest = Static<typeof PickBody>;
export type ReadRequest = Static<typeof ReadBody>;
export type StateRequest = Static<typeof StateBody>;
export type PresenceRequest = Static<typeof PresenceBody>;
