import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { ActionBody, MessageBody, OutboundBody, TargetBody } from './index.ts';

const ID = 'a'.repeat(32);

describe('the REST bodies', () => {
  it('take what the API documents', () => {
    expect(Value.Check(ActionBody, { action: 'transfer', to: { queue_id: ID }, request_id: 'r-1' })).toBe(true);
    expect(Value.Check(ActionBody, { action: 'dtmf', digits: '12#' })).toBe(true);
    expect(Value.Check(MessageBody, { content: 'hi', to: ['ann@example.com'], subject: 'Re: order' })).toBe(true);
    expect(Value.Check(OutboundBody, { channel: 'sms', to: '+15550100', content: 'Hello' })).toBe(true);
  });

  it('refuse unknown actions and fields, two targets at once, and bad tones', () => {
    expect(Value.Check(ActionBody, { action: 'explode' })).toBe(false);
    expect(Value.Check(ActionBody, { action: 'hold', colour: 'red' })).toBe(false);
    expect(Value.Check(TargetBody, { queue_id: ID, agent_id: ID })).toBe(false);
    expect(Value.Check(TargetBody, {})).toBe(false);
    expect(Value.Check(ActionBody, { action: 'dtmf', digits: '12x' })).toBe(false);
    expect(Value.Check(OutboundBody, { channel: 'fax', to: '+15550100' })).toBe(false);
    expect(Value.Check(MessageBody, { content: 'hi', to: ['not an address'] })).toBe(false);
  });
});
