/** SMS: texts through the messaging provider, a conversation per number and queue number. */
import type { ChannelAdapter } from '../adapter.ts';
import { asWritten, latestByAddress, mediaMeta, phoneAddress, refuseText } from '../common.ts';
import { providerWebhook, sendText } from '../provider.ts';

export const sms: ChannelAdapter<'sms'> = {
  channel: 'sms',
  refuse: (input) => refuseText(input, false),
  prepare: asWritten,
  match: (tx, tenantId, inbound) => latestByAddress(tx, tenantId, 'sms', inbound),
  inboundMeta: mediaMeta,
  outboundAddress: phoneAddress,
  send: sendText,
  webhook: providerWebhook('sms', ''),
};
