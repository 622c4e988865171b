import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgentAudio, type StationLike } from './audio.ts';

function station(fail = false) {
  const calls: string[] = [];
  const s: StationLike = {
    attach: async (offer) => {
      calls.push(`attach:${await offer('v=0 offer')}`);
      if (fail) throw new Error('Permission denied');
    },
    setMicEnabled: (on) => calls.push(`mic:${on}`),
    setInputDevice: async (id) => {
      calls.push(`device:${id}`);
    },
    close: () => calls.push('close'),
  };
  return { s, calls };
}

describe('agent.audio', () => {
  afterEach(() => vi.unstubAllGlobals());
  const browserLike = () => {
    vi.stubGlobal('RTCPeerConnection', function RTCPeerConnection() {});
    vi.stubGlobal('navigator', { mediaDevices: { enumerateDevices: async () => [] } });
  };

  it('refuses to start where the page cannot make WebRTC calls', async () => {
    vi.stubGlobal('RTCPeerConnection', undefined);
    const audio = new AgentAudio(
      () => async () => 'answer',
      () => station().s,
    );
    await expect(audio.start()).rejects.toMatchObject({ code: 'unsupported' });
    expect(audio.state).toBe('off');
  });

  it('connects the station through the socket, keeps mute across reconnects, and stops', async () => {
    browserLike();
    const { s, calls } = station();
    const states: string[] = [];
    const audio = new AgentAudio(
      () => async (sdp) => `answer to ${sdp}`,
      () => s,
    );
    audio.on('state', (st) => states.push(st));
    await audio.start();
    expect(audio.state).toBe('connected');
    audio.mute();
    expect(audio.muted).toBe(true);
    audio.reattach();
    await vi.waitFor(() => expect(calls.filter((c) => c.startsWith('attach')).length).toBe(2));
    await vi.waitFor(() => expect(calls.at(-1)).toBe('mic:false'));
    await audio.setInputDevice('usb-headset');
    expect(calls).toContain('device:usb-headset');
    audio.stop();
    expect(calls.at(-1)).toBe('close');
    expect(states).toEqual(['connecting', 'connected', 'connecting', 'connected', 'off']);
  });

  it('says what to fix when the microphone or the server says no', async () => {
    browserLike();
    const audio = new AgentAudio(
      () => async () => 'answer',
      () => station(true).s,
    );
    await expect(audio.start()).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringContaining('Permission denied'),
    });
    expect(audio.state).toBe('unavailable');
    await expect(
      new AgentAudio(
        () => null,
        () => station().s,
      ).setInputDevice('x'),
    ).rejects.toMatchObject({
      code: 'invalid_state',
    });
  });
});
