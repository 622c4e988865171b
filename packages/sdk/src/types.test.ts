/**
 * Type tests for the public API: what a CRM developer writes must type-check
 * with the right types, and misuse must not. `tsc` (part of `npm test`)
 * checks the `@ts-expect-error` lines: one that stops being an error fails.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { ErrorCode, Interaction, Message, User } from '@parley/protocol';
import { load, ParleyError, definePanelElement, type Panel, type PanelEvents } from './index.ts';

declare const panel: Panel;

/** The checks are for the compiler: the bodies never run (there is no panel, and no DOM, here). */
const typeOnly = (check: () => void) => expectTypeOf(check).toBeFunction();

describe('public types', () => {
  it('load takes options and gives a Panel', () => {
    typeOnly(() => {
      expectTypeOf(load).parameter(0).toHaveProperty('baseUrl').toEqualTypeOf<string>();
      expectTypeOf(load).returns.resolves.toEqualTypeOf<Panel>();
      // @ts-expect-error a container is required
      void load({ baseUrl: 'https://parley.example.com/' });
      // @ts-expect-error auth is credentials or a function giving them, not a bare string
      void load({ baseUrl: 'https://p.example/', container: 'c', auth: 'secret' });
      void load({ baseUrl: 'https://p.example/', container: 'c', auth: async () => ({ oAuth: { token: 't' } }) });
    });
  });

  it('commands resolve with the wire objects', () => {
    typeOnly(() => {
      expectTypeOf(panel.accept).returns.resolves.toEqualTypeOf<Interaction>();
      expectTypeOf(panel.message).returns.resolves.toEqualTypeOf<Message>();
      expectTypeOf(panel.setReady).returns.resolves.toEqualTypeOf<User>();
      expectTypeOf(panel.getDetails('user')).resolves.toEqualTypeOf<User>();
      expectTypeOf(panel.getDetails('interactions')).resolves.toEqualTypeOf<Interaction[]>();
      expectTypeOf(panel.ongoingInteractions()).toEqualTypeOf<Interaction[]>();
      // @ts-expect-error callState takes only the known actions
      void panel.callState('explode');
      // @ts-expect-error sendEmail needs a list of recipients
      void panel.sendEmail({ to: 'a@b.c', direct: true });
      void panel.startWhatsAppChat({ to: '+4915', defaultReplyTemplateId: 'welcome', direct: true });
    });
  });

  it('events are typed by name and give back an unsubscribe function', () => {
    typeOnly(() => {
      const off = panel.on('interaction:status', (e) => {
        expectTypeOf(e.status).toEqualTypeOf<string>();
        expectTypeOf(e.interaction).toEqualTypeOf<Interaction>();
      });
      expectTypeOf(off).toEqualTypeOf<() => void>();
      panel.once('ready', (user) => expectTypeOf(user).toEqualTypeOf<User>());
      panel.on('error', (err) => expectTypeOf(err).toEqualTypeOf<ParleyError>());
      expectTypeOf<Parameters<PanelEvents['connection']>[0]>().toEqualTypeOf<'online' | 'reconnecting' | 'offline'>();
      // @ts-expect-error no such event
      panel.on('interaction:exploded', () => undefined);
      // @ts-expect-error the listener gets the user, not a number
      panel.on('ready', (n: number) => n);
    });
  });

  it('errors carry a stable code', () => {
    typeOnly(() => {
      expectTypeOf<ParleyError['code']>().toEqualTypeOf<ErrorCode>();
      // @ts-expect-error codes come from the catalogue
      new ParleyError('oops', 'x');
      expectTypeOf(definePanelElement).toEqualTypeOf<(name?: string) => void>();
    });
  });
});
