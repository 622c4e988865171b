import { describe, expect, it } from 'vitest';
import { parseCredentials, parseHostMessage, parsePanelMessage } from './host.ts';

describe('parseHostMessage', () => {
  it.each([
    [
      'CPC init with payload false',
      { id: 'initRequest', type: 'init', payload: false },
      { id: 'initRequest', type: 'init', payload: false },
    ],
    [
      'protocol-2 init',
      { id: 'initRequest', type: 'init', payload: { protocol: 2, enable_channel_status_updates: true } },
      { id: 'initRequest', type: 'init', payload: { protocol: 2, enable_channel_status_updates: true } },
    ],
    [
      'detail action',
      { id: 'getDetails-action-1', type: 'action', payload: { cpcFn: 'getDetails', command: 'detail', value: 'user' } },
      { id: 'getDetails-action-1', type: 'action', payload: { cpcFn: 'getDetails', command: 'detail', value: 'user' } },
    ],
    [
      'action with limit and queue',
      { id: 'p1', type: 'action', payload: { command: 'picklist', limit: 5, queueId: 'a,b', interactionId: null } },
      { id: 'p1', type: 'action', payload: { command: 'picklist', limit: 5, queueId: 'a,b' } },
    ],
  ])('accepts %s', (_name, input, expected) => {
    expect(parseHostMessage(input)).toEqual(expected);
  });

  it.each([
    ['null', null],
    ['a string', 'init'],
    ['an array', [1, 2]],
    ['no id', { type: 'init', payload: false }],
    ['empty id', { id: '', type: 'action', payload: { command: 'detail' } }],
    ['init with another id', { id: 'x', type: 'init', payload: false }],
    [
      'init with a bad flag',
      { id: 'initRequest', type: 'init', payload: { protocol: 2, enable_channel_status_updates: 'yes' } },
    ],
    ['unknown type', { id: 'a', type: 'hack', payload: {} }],
    ['action without command', { id: 'a', type: 'action', payload: { value: 'user' } }],
    [
      'action with a numeric interaction id',
      { id: 'a', type: 'action', payload: { command: 'detail', interactionId: 5 } },
    ],
    ['action with a string limit', { id: 'a', type: 'action', payload: { command: 'picklist', limit: '5' } }],
    ['action with payload null', { id: 'a', type: 'action', payload: null }],
  ])('rejects %s without throwing', (_name, input) => {
    expect(parseHostMessage(input)).toBeNull();
  });
});

describe('parsePanelMessage', () => {
  it('accepts an init answer', () => {
    expect(parsePanelMessage({ id: 'initRequest', type: 'init', payload: { value: [] } })).toEqual({
      id: 'initRequest',
      type: 'init',
      payload: { value: [] },
    });
  });

  it('keeps the error code of a failed response and maps unknown codes to internal', () => {
    expect(
      parsePanelMessage({
        id: 'a',
        type: 'response',
        payload: { value: null, error: { code: 'forbidden', message: 'no' } },
      }),
    ).toEqual({
      id: 'a',
      type: 'response',
      payload: { value: null, error: { code: 'forbidden', message: 'no' } },
    });
    expect(
      parsePanelMessage({
        id: 'a',
        type: 'response',
        payload: { value: null, error: { code: 'weird', message: 'no' } },
      }),
    ).toEqual({
      id: 'a',
      type: 'response',
      payload: { value: null, error: { code: 'internal', message: 'no' } },
    });
  });

  it.each([
    ['status event', { type: 'status', payload: { attribute: 'work_status', value: 'ready' } }],
    ['state event', { type: 'state', payload: { attribute: 'activeInteraction', value: null } }],
  ])('accepts a %s', (_name, input) => {
    expect(parsePanelMessage(input)).toEqual(input);
  });

  it.each([
    ['init with a non-array value', { id: 'initRequest', type: 'init', payload: { value: 'ok' } }],
    ['init with non-string errors', { id: 'initRequest', type: 'init', payload: { value: [1] } }],
    ['response without value', { id: 'a', type: 'response', payload: {} }],
    ['response with a malformed error', { id: 'a', type: 'response', payload: { value: null, error: 'boom' } }],
    ['status with an unknown attribute', { type: 'status', payload: { attribute: 'password', value: 'x' } }],
    ['no payload', { type: 'status' }],
    ['undefined', undefined],
  ])('rejects %s', (_name, input) => {
    expect(parsePanelMessage(input)).toBeNull();
  });
});

describe('parseCredentials', () => {
  it('accepts basic credentials and OAuth tokens', () => {
    expect(parseCredentials({ basic: { userName: 'agent1', password: 'pw' } })).toEqual({
      basic: { userName: 'agent1', password: 'pw' },
    });
    expect(parseCredentials({ oAuth: { token: 'abc' } })).toEqual({ oAuth: { token: 'abc' } });
  });
  it.each([
    [null],
    [{}],
    [{ basic: { userName: 'a' } }],
    [{ basic: { userName: '', password: 'x' } }],
    [{ oAuth: { token: 1 } }],
  ])('rejects %j', (input) => {
    expect(parseCredentials(input)).toBeNull();
  });
});
