/** TypeBox schemas shared by the REST routes; the bodies clients send come from protocol (`@parley/protocol/rest`). */
export { Address, Attributes, Channel, Id, IdParams, PresenceBody, StateBody } from '@parley/protocol/rest';
import { CHANNEL_TYPES, ROLES } from '@parley/protocol';
import { Type } from '@sinclair/typebox';

export const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
export const Capacity = Type.Object(
  Object.fromEntries(CHANNEL_TYPES.map((c) => [c, Type.Integer({ minimum: 0, maximum: 50 })])) as Record<
    (typeof CHANNEL_TYPES)[number],
    ReturnType<typeof Type.Integer>
  >,
  { additionalProperties: false },
);
export const Theme = Type.Object(
  { dark: Type.Boolean(), primary: Type.String({ pattern: '^#[0-9a-fA-F]{6}$' }) },
  { additionalProperties: false },
);
export const Language = Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$', description: 'BCP-47, e.g. en or de-DE' });
export const Origin = Type.String({ pattern: '^https?://[^/?#\\s]+$', maxLength: 255 });
export const Password = Type.String({ minLength: 8, maxLength: 1024 });
/** Changing one's own password needs the current one. */
export const OwnPasswordBody = Type.Object(
  { current_password: Type.String({ minLength: 1, maxLength: 1024 }), password: Password },
  { additionalProperties: false },
);
/** An admin setting a user's password. */
export const PasswordBody = Type.Object({ password: Password }, { additionalProperties: false });
