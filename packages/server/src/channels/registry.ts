/**
 * Every channel's adapter, keyed by channel type. A record over
 * `ChannelType`: a channel added to the protocol does not compile until its
 * adapter is here, and `ChannelAdapter<C>['send']` is required for every
 * external channel, so none can be stored as queued and never sent.
 */
import { EXTERNAL_CHANNELS, type ChannelType, type ExternalChannel } from '@parley/protocol';
import type { ChannelAdapter, WebhookParser } from './adapter.ts';
import { email } from './email/index.ts';
import { phone } from './phone/index.ts';
import { sms } from './sms/index.ts';
import { webchat } from './webchat/index.ts';
import { whatsapp } from './whatsapp/index.ts';

export const ADAPTERS: { readonly [C in ChannelType]: ChannelAdapter<C> } = {
  phone,
  chat: webchat,
  sms,
  whatsapp,
  email,
};

/** The adapter of a channel. */
export function adapterOf<C extends ChannelType>(channel: C): ChannelAdapter<C> {
  return ADAPTERS[channel];
}

/** The external channels that take a provider webhook, with their parsers. */
export const WEBHOOK_ADAPTERS: ReadonlyArray<{ readonly channel: ExternalChannel; readonly parse: WebhookParser }> =
  EXTERNAL_CHANNELS.flatMap((channel) => {
    const parse = ADAPTERS[channel].webhook;
    return parse ? [{ channel, parse }] : [];
  });
