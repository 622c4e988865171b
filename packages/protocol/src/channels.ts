/**
 * What each channel is, in one table the server, the panel and the SDK read.
 * It is a record over every channel type: adding a channel to
 * `CHANNEL_TYPES` does not compile until its traits are written here.
 */
import { CHANNEL_TYPES, type ChannelType } from './objects.ts';

export interface ChannelTraits {
  /** A call: audio, hold, mute, recording, tones. */
  readonly voice: boolean;
  /** Messages leave Parley through an outside provider or relay (queued, then sent by the dispatcher). */
  readonly external: boolean;
  /** Replies thread by headers (email's Message-ID, In-Reply-To, References); else by address pair. */
  readonly threaded: boolean;
  /** Free text only within 24 hours of the customer's last message (WhatsApp). */
  readonly window24h: boolean;
  /** Approved templates may be sent (WhatsApp). */
  readonly templates: boolean;
  /** An agent may start one (a chat starts from the customer). */
  readonly outbound: boolean;
  /** Messages carry a subject and recipients. */
  readonly subject: boolean;
}

export const CHANNEL_TRAITS = {
  phone: {
    voice: true,
    external: false,
    threaded: false,
    window24h: false,
    templates: false,
    outbound: true,
    subject: false,
  },
  chat: {
    voice: false,
    external: false,
    threaded: false,
    window24h: false,
    templates: false,
    outbound: false,
    subject: false,
  },
  sms: {
    voice: false,
    external: true,
    threaded: false,
    window24h: false,
    templates: false,
    outbound: true,
    subject: false,
  },
  whatsapp: {
    voice: false,
    external: true,
    threaded: false,
    window24h: true,
    templates: true,
    outbound: true,
    subject: false,
  },
  email: {
    voice: false,
    external: true,
    threaded: true,
    window24h: false,
    templates: false,
    outbound: true,
    subject: true,
  },
} as const satisfies Readonly<Record<ChannelType, ChannelTraits>>;

/**
 * The channels whose messages go out through a provider or relay, read off
 * the table: a new external channel joins this type, and the dispatcher's
 * sender record (a record over this type) does not compile without it.
 */
export type ExternalChannel = {
  [C in ChannelType]: (typeof CHANNEL_TRAITS)[C]['external'] extends true ? C : never;
}[ChannelType];
export const EXTERNAL_CHANNELS = /* @__PURE__ */ CHANNEL_TYPES.filter(
  (c): c is ExternalChannel => CHANNEL_TRAITS[c].external,
);

export function isExternalChannel(channel: string): channel is ExternalChannel {
  return (EXTERNAL_CHANNELS as readonly string[]).includes(channel);
}
