/**
 * Branded identifiers. A plain string becomes an ID only through a parser,
 * so an unchecked value can never be passed where an ID is expected.
 */
declare const brand: unique symbol;

/** A string that has passed the parser for `B`. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** 32 lowercase hex characters identifying one interaction. */
export type InteractionId = Brand<string, 'InteractionId'>;
/** 32 lowercase hex characters identifying one user (agent, supervisor, admin). */
export type UserId = Brand<string, 'UserId'>;
/** 32 lowercase hex characters identifying one tenant. */
export type TenantId = Brand<string, 'TenantId'>;
/** 32 lowercase hex characters identifying one queue. */
export type QueueId = Brand<string, 'QueueId'>;

const HEX32 = /^[0-9a-f]{32}$/;

/** True when `value` is 32 lowercase hex characters, the shape of every Parley id. */
export function isHexId(value: unknown): value is string {
  return typeof value === 'string' && HEX32.test(value);
}

/** Returns the value as an {@link InteractionId}, or `null` when it is not 32 lowercase hex. */
export function parseInteractionId(value: unknown): InteractionId | null {
  return isHexId(value) ? (value as InteractionId) : null;
}

/** Returns the value as a {@link UserId}, or `null` when it is not 32 lowercase hex. */
export function parseUserId(value: unknown): UserId | null {
  return isHexId(value) ? (value as UserId) : null;
}

/** Returns the value as a {@link TenantId}, or `null` when it is not 32 lowercase hex. */
export function parseTenantId(value: unknown): TenantId | null {
  return isHexId(value) ? (value as TenantId) : null;
}

/** Returns the value as a {@link QueueId}, or `null` when it is not 32 lowercase hex. */
export function parseQueueId(value: unknown): QueueId | null {
  return isHexId(value) ? (value as QueueId) : null;
}

/**
 * An id read from a trusted source (the store, the server's own answer),
 * parsed all the same: the only other way to mint one. A malformed value
 * fails here, loudly, instead of travelling on as an id.
 */
export function idFrom<T>(parse: (value: unknown) => T | null, value: unknown, what: string): T {
  const id = parse(value);
  if (id === null) throw new TypeError(`${what}: ${JSON.stringify(value)} is not a Parley id`);
  return id;
}

/** {@link idFrom} for a column that may be empty. */
export function optionalIdFrom<T>(parse: (value: unknown) => T | null, value: unknown, what: string): T | null {
  return value === null || value === undefined ? null : idFrom(parse, value, what);
}
