/**
 * The agent's audio devices — microphone, ringer and call audio chosen
 * separately — kept with the agent on the server (a framed panel may not
 * keep anything in the browser), and applied to the voice station. Choices
 * are kept by the device's name (its `enumerateDevices` label): a framed
 * page gets new device ids on every load, the names stay. `''` is the
 * system default, and a device this browser does not have falls back to it.
 */
import type { AgentPreferences } from '@parley/protocol';

export interface DevicePrefs {
  readonly mic: string;
  readonly ringer: string;
  readonly output: string;
}

export const DEFAULT_DEVICES: DevicePrefs = { mic: '', ringer: '', output: '' };

/** What the preferences are applied to (the panel's Voice). */
export interface DeviceSink {
  setInputDevice?(deviceId: string): Promise<void>;
  setOutputDevice?(deviceId: string): Promise<void>;
  setRingerDevice?(deviceId: string): void;
}

/** A device as `enumerateDevices` lists it. */
export interface DeviceInfo {
  readonly kind: string;
  readonly label: string;
  readonly deviceId: string;
}

/** The device ids the chosen names have in this browser now (`''`, the default, where there is none). */
export function deviceIds(prefs: DevicePrefs, devices: readonly DeviceInfo[]): DevicePrefs {
  const find = (kind: string, label: string) =>
    label ? (devices.find((d) => d.kind === kind && d.label === label)?.deviceId ?? '') : '';
  return {
    mic: find('audioinput', prefs.mic),
    ringer: find('audiooutput', prefs.ringer),
    output: find('audiooutput', prefs.output),
  };
}

/** The agent's choices as the server keeps them (`User.preferences.devices`); anything unreadable is the default. */
export function loadDevices(preferences: AgentPreferences | undefined): DevicePrefs {
  const o: Record<string, unknown> = { ...(preferences?.devices ?? {}) };
  const pick = (name: keyof DevicePrefs) => (typeof o[name] === 'string' ? (o[name] as string).slice(0, 200) : '');
  return { mic: pick('mic'), ringer: pick('ringer'), output: pick('output') };
}

/** Applies the choices that differ from `before` (all of them the first time). */
export async function applyDevices(sink: DeviceSink, prefs: DevicePrefs, before: DevicePrefs | null): Promise<void> {
  if (sink.setRingerDevice && prefs.ringer !== before?.ringer) sink.setRingerDevice(prefs.ringer);
  if (sink.setOutputDevice && prefs.output !== before?.output) await sink.setOutputDevice(prefs.output);
  // The microphone is switched only when one was chosen: the default is what the station opens anyway.
  if (sink.setInputDevice && prefs.mic && prefs.mic !== before?.mic) await sink.setInputDevice(prefs.mic);
}
