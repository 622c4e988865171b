/**
 * A call: its audio goes through the media plane (media/), so it has no
 * messages of its own to rule on, send or receive; an agent calls a phone
 * number.
 */
import type { ChannelAdapter } from '../adapter.ts';
import { asWritten, phoneAddress, refuseText } from '../common.ts';

export const phone: ChannelAdapter<'phone'> = {
  channel: 'phone',
  refuse: (input) => refuseText(input, false),
  prepare: asWritten,
  match: () => Promise.resolve(null),
  inboundMeta: () => null,
  outboundAddress: phoneAddress,
  send: null,
  webhook: null,
};
