import { describe, expect, it } from 'vitest';
import { normalEmail, normalPhone, seenIn } from './identity.ts';

describe('customer identities', () => {
  it.each([
    ['+49 30 1234-567', '+49301234567'],
    ['0049301234567', '+49301234567'],
    ['tel:+15551234567', '+15551234567'],
    ['whatsapp:+15551234567', '+15551234567'],
    ['(555) 123-4567', '5551234567'],
    ['1234', null],
    ['Ada <ada@example.com>', null],
    ['+1+2345678', null],
    ['12345678901234567', null],
  ])('normalPhone(%j) is %j', (text, expected) => {
    expect(normalPhone(text)).toBe(expected);
  });

  it('lower-cases email addresses and refuses what is not one', () => {
    expect(normalEmail(' Ada@Example.COM ')).toBe('ada@example.com');
    expect(normalEmail('ada')).toBeNull();
    expect(normalEmail('a b@example.com')).toBeNull();
  });

  it('a call, an SMS and a WhatsApp message from one number name the same phone identity', () => {
    const kinds = (['phone', 'sms', 'whatsapp'] as const).map(
      (c) => seenIn(c, c === 'whatsapp' ? 'whatsapp:+4930123456' : '+49 30 123456').identities,
    );
    expect(kinds).toEqual([
      [{ kind: 'phone', value: '+4930123456' }],
      [{ kind: 'phone', value: '+4930123456' }],
      [{ kind: 'phone', value: '+4930123456' }],
    ]);
  });

  it('a chat or an email with "Name <address>" gives the name and the email identity', () => {
    expect(seenIn('chat', 'Hedy Customer <Hedy@Example.com>')).toEqual({
      name: 'Hedy Customer',
      email: 'hedy@example.com',
      phone: null,
      identities: [{ kind: 'email', value: 'hedy@example.com' }],
    });
    expect(seenIn('email', 'hedy@example.com').name).toBe('hedy@example.com');
  });

  it('a chat with only a name has no identity (a new customer each time until an agent merges them)', () => {
    expect(seenIn('chat', 'Hedy')).toEqual({ name: 'Hedy', email: null, phone: null, identities: [] });
  });

  it('a digit string on a chat is not taken for a phone number', () => {
    expect(seenIn('chat', '+4930123456').identities).toEqual([]);
  });
});
