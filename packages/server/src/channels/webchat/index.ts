/**
 * Web chat: Parley carries it itself, over the customer's socket
 * (routes/customer.ts), so nothing is sent out and there is no webhook; a
 * chat starts from the customer (its conversation is the widget's).
 */
import { CodedError } from '@parley/protocol';
import type { ChannelAdapter } from '../adapter.ts';
import { asWritten, refuseText } from '../common.ts';

export { TranscriptRequests, type TranscriptRequest } from './transcripts.ts';

export const webchat: ChannelAdapter<'chat'> = {
  channel: 'chat',
  refuse: (input) => refuseText(input, false),
  prepare: asWritten,
  // The widget names its conversation; an inbound message never has to find one.
  match: () => Promise.resolve(null),
  inboundMeta: () => null,
  outboundAddress: () => {
    throw CodedError.invalidArgument(
      'channel: chats start from the customer; outbound works for phone, sms, whatsapp and email',
    );
  },
  send: null,
  webhook: null,
};
