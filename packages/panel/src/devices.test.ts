import { describe, expect, it, vi } from 'vitest';
import { applyDevices, DEFAULT_DEVICES, deviceIds, loadDevices } from './devices.ts';

describe('device preferences', () => {
  it("come from the agent's stored preferences, anything broken read as the default", () => {
    expect(loadDevices({ devices: { mic: 'm1', ringer: 'speakers', output: 'headset' } })).toEqual({
      mic: 'm1',
      ringer: 'speakers',
      output: 'headset',
    });
    expect(loadDevices(undefined)).toEqual(DEFAULT_DEVICES);
    expect(loadDevices({ devices: { mic: 3, ringer: 'r' } } as never)).toEqual({ mic: '', ringer: 'r', output: '' });
  });

  it('find the chosen devices by name: a framed page gets new ids on every load', () => {
    const devices = [
      { kind: 'audioinput', label: 'Headset mic', deviceId: 'id-1' },
      { kind: 'audiooutput', label: 'Headset', deviceId: 'id-2' },
      { kind: 'audiooutput', label: 'Speakers', deviceId: 'id-3' },
    ];
    expect(deviceIds({ mic: 'Headset mic', ringer: 'Speakers', output: 'Headset' }, devices)).toEqual({
      mic: 'id-1',
      ringer: 'id-3',
      output: 'id-2',
    });
    // A device this browser lacks falls back to the default; a name is never taken for another kind.
    expect(deviceIds({ mic: 'Headset', ringer: 'Gone', output: '' }, devices)).toEqual(DEFAULT_DEVICES);
  });

  it('apply what changed to the voice station, the microphone only when one was chosen', async () => {
    const sink = {
      setInputDevice: vi.fn(async () => undefined),
      setOutputDevice: vi.fn(async () => undefined),
      setRingerDevice: vi.fn(),
    };
    await applyDevices(sink, DEFAULT_DEVICES, null);
    expect(sink.setInputDevice).not.toHaveBeenCalled();
    expect(sink.setRingerDevice).toHaveBeenCalledWith('');
    await applyDevices(sink, { ...DEFAULT_DEVICES, mic: 'm2' }, DEFAULT_DEVICES);
    expect(sink.setInputDevice).toHaveBeenCalledWith('m2');
    expect(sink.setOutputDevice).toHaveBeenCalledTimes(1);
  });
});
