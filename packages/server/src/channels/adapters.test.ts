import { CHANNEL_TRAITS, CHANNEL_TYPES, CodedError } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import type { ChannelAdapter } from './adapter.ts';
import { ADAPTERS, adapterOf, WEBHOOK_ADAPTERS } from './registry.ts';
import { parseDeliveryReport } from './provider.ts';

const SID = `SM${'a'.repeat(32)}`;

describe('the channel registry', () => {
  it('has an adapter for every channel, a sender exactly for the external ones', () => {
    for (const c of CHANNEL_TYPES) {
      const adapter: ChannelAdapter = adapterOf(c);
      expect(adapter.channel).toBe(c);
      expect(adapter.send !== null).toBe(CHANNEL_TRAITS[c].external);
    }
    expect(WEBHOOK_ADAPTERS.map((a) => a.channel).sort()).toEqual(['sms', 'whatsapp']);
  });

  it('does not compile with a channel missing, or an external channel without a sender', () => {
    const { email: _email, ...rest } = ADAPTERS;
    // @ts-expect-error a registry without the email adapter is not a registry
    const partial: typeof ADAPTERS = rest;
    // @ts-expect-error an SMS adapter that cannot send would store messages as queued forever
    const unsent: ChannelAdapter<'sms'> = { ...ADAPTERS.sms, send: null };
    expect([partial, unsent]).toHaveLength(2);
  });
});

describe('what a channel lets an agent write', () => {
  it('keeps email fields to email and templates to WhatsApp', () => {
    expect(ADAPTERS.sms.refuse({ content: 'hi', subject: 'x' })).toMatch(/for email only/);
    expect(ADAPTERS.chat.refuse({ content: 'x'.repeat(4001) })).toMatch(/at most 4000/);
    expect(ADAPTERS.email.refuse({ content: 'x'.repeat(5000), subject: 's' })).toBeNull();
    expect(ADAPTERS.sms.refuse({ content: 'hi', templateId: 't' })).toMatch(/WhatsApp only/);
    expect(ADAPTERS.email.refuse({ content: 'hi', templateId: 't' })).toMatch(/WhatsApp only/);
    expect(ADAPTERS.whatsapp.refuse({ content: '', templateId: 't' })).toBeNull();
  });

  it('normalises the address an agent starts with, in the shape of the channel', () => {
    expect(ADAPTERS.phone.outboundAddress('+49 (30) 123-45')).toBe('+493012345');
    expect(ADAPTERS.sms.outboundAddress('+1 555 0100')).toBe('+15550100');
    expect(ADAPTERS.email.outboundAddress('ann@example.com')).toBe('ann@example.com');
    expect(() => ADAPTERS.email.outboundAddress('+15550100')).toThrow(/not an email address/);
    expect(() => ADAPTERS.whatsapp.outboundAddress('ann@example.com')).toThrow(/not a phone number/);
    expect(() => ADAPTERS.chat.outboundAddress('anyone')).toThrow(/chats start from the customer/);
  });

  it('keeps what an inbound message carries besides its text', () => {
    const base = { queueId: 'q', from: 'ann@example.com', to: 'help@acme.test', content: 'hi' } as const;
    expect(ADAPTERS.email.inboundMeta({ ...base, channel: 'email', thread: ['<a@x>'] })).toEqual({
      from: 'ann@example.com',
      to: ['help@acme.test'],
      cc: [],
      references: ['<a@x>'],
    });
    expect(ADAPTERS.sms.inboundMeta({ ...base, channel: 'sms', media: ['https://m/1'] })).toEqual({
      media: ['https://m/1'],
    });
    expect(ADAPTERS.whatsapp.inboundMeta({ ...base, channel: 'whatsapp' })).toBeNull();
  });
});

describe('provider webhooks', () => {
  const parse = (channel: 'sms' | 'whatsapp', form: Record<string, string>) => {
    const adapter = WEBHOOK_ADAPTERS.find((a) => a.channel === channel);
    if (!adapter) throw new Error(`no ${channel} webhook`);
    return adapter.parse(form);
  };

  it('reads an SMS and a WhatsApp message, the latter without its number prefix', () => {
    expect(parse('sms', { From: '+15550100', To: '+15550200', Body: 'hi', MessageSid: SID })).toEqual({
      from: '+15550100',
      to: '+15550200',
      content: 'hi',
      externalId: `sms:${SID}`,
    });
    const wa = parse('whatsapp', {
      From: 'whatsapp:+15550100',
      To: 'whatsapp:+15550200',
      Body: '',
      MessageSid: SID,
      NumMedia: '1',
      MediaUrl0: 'https://media.example/1',
    });
    expect(wa).toMatchObject({ from: '+15550100', externalId: `whatsapp:${SID}`, media: ['https://media.example/1'] });
  });

  it('names the field to fix', () => {
    const refused = (channel: 'sms' | 'whatsapp', form: Record<string, string>): string => {
      try {
        parse(channel, form);
      } catch (err) {
        expect(err).toBeInstanceOf(CodedError);
        return (err as CodedError).message;
      }
      throw new Error('accepted');
    };
    const ok = { From: '+15550100', To: '+15550200', Body: 'hi', MessageSid: SID };
    expect(refused('whatsapp', ok)).toMatch(/^From: expected whatsapp:\+number/);
    expect(refused('sms', { ...ok, To: 'nobody' })).toMatch(/^To: /);
    expect(refused('sms', { ...ok, MessageSid: 'SM1' })).toMatch(/^MessageSid: /);
    expect(refused('sms', { ...ok, Body: ' ' })).toMatch(/^Body: the message is empty/);
    expect(refused('sms', { ...ok, NumMedia: '11' })).toMatch(/^NumMedia: /);
    expect(refused('sms', { ...ok, NumMedia: '1', MediaUrl0: 'javascript:alert(1)' })).toMatch(/^MediaUrl0: /);
  });

  it('reads a delivery report in Parley terms', () => {
    expect(parseDeliveryReport({ MessageStatus: 'undelivered', MessageSid: SID, ErrorCode: '30003' })).toEqual({
      sid: SID,
      status: 'failed',
      error: 'provider error 30003',
    });
    expect(parseDeliveryReport({ SmsStatus: 'read', MessageSid: SID }).status).toBe('delivered');
    expect(() => parseDeliveryReport({ MessageStatus: 'x', MessageSid: SID })).toThrow(/MessageStatus/);
  });
});
