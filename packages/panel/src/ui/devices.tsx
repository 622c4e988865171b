/**
 * Audio and notifications: the microphone (with a live level meter), the
 * ringer and the call audio chosen separately, kept with the agent on the
 * server; a ringer test; desktop notifications switched on.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PanelController } from '../controller.ts';
import { applyDevices, deviceIds, loadDevices, type DevicePrefs } from '../devices.ts';
import { t } from '../i18n.ts';
import { Overlay } from './common.tsx';
import type { PanelEnv } from './env.ts';

interface DeviceList {
  readonly inputs: MediaDeviceInfo[];
  readonly outputs: MediaDeviceInfo[];
}

async function listDevices(): Promise<DeviceList> {
  const all = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
  // Named devices only (names come once the microphone is allowed); the default is the first option anyway.
  const real = (d: MediaDeviceInfo) =>
    d.deviceId !== 'default' && d.deviceId !== 'communications' && d.deviceId !== '' && d.label !== '';
  return {
    inputs: all.filter((d) => d.kind === 'audioinput' && real(d)),
    outputs: all.filter((d) => d.kind === 'audiooutput' && real(d)),
  };
}

/** The devices the browser has, for the chosen names' ids (the login applies them with these). */
export async function currentDevices(): Promise<MediaDeviceInfo[]> {
  return (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
}

/** The microphone's level, 0–1, while the dialog is open. */
function useLevel(deviceId: string): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    let stop: () => void = () => undefined;
    let live = true;
    void navigator.mediaDevices
      ?.getUserMedia({ audio: deviceId ? { deviceId: { exact: deviceId } } : true })
      .then((stream) => {
        if (!live) return stream.getTracks().forEach((tr) => tr.stop());
        const ctx = new AudioContext();
        const analyser = ctx.createAnalyser();
        analyser.fftSize = 512;
        ctx.createMediaStreamSource(stream).connect(analyser);
        const data = new Float32Array(analyser.fftSize);
        const timer = setInterval(() => {
          analyser.getFloatTimeDomainData(data);
          let sum = 0;
          for (const v of data) sum += v * v;
          // RMS on a rough log scale: speech sits in the middle, silence at the bottom.
          const rms = Math.sqrt(sum / data.length);
          setLevel(Math.max(0, Math.min(1, 1 + Math.log10(rms + 1e-6) / 3)));
        }, 100);
        stop = () => {
          clearInterval(timer);
          stream.getTracks().forEach((tr) => tr.stop());
          void ctx.close();
        };
      })
      .catch(() => setLevel(0));
    return () => {
      live = false;
      stop();
    };
  }, [deviceId]);
  return level;
}

export function DevicesDialog({
  controller,
  env,
  onClose,
}: {
  controller: PanelController;
  env: PanelEnv;
  onClose: () => void;
}) {
  const [prefs, setPrefs] = useState<DevicePrefs>(() => loadDevices(controller.state.user?.preferences));
  const [devices, setDevices] = useState<DeviceList>({ inputs: [], outputs: [] });
  const [permission, setPermission] = useState(typeof Notification === 'function' ? Notification.permission : 'denied');
  const first = useRef<HTMLSelectElement>(null);
  const ids = deviceIds(prefs, [...devices.inputs, ...devices.outputs]);
  const level = useLevel(ids.mic);
  useEffect(() => {
    void listDevices().then(setDevices, () => undefined);
    first.current?.focus();
  }, []);
  const change = (patch: Partial<DevicePrefs>) => {
    const next = { ...prefs, ...patch };
    const all = [...devices.inputs, ...devices.outputs];
    void controller.savePreferences({ devices: next }).catch(() => undefined);
    if (env.sink) void applyDevices(env.sink, deviceIds(next, all), ids).catch(() => undefined);
    setPrefs(next);
  };
  const select = (label: string, name: keyof DevicePrefs, options: MediaDeviceInfo[], testid: string) => (
    <label>
      {label}
      <select
        // Remade once the devices are known: a value set before its option exists would not show.
        key={options.length}
        {...(name === 'mic' ? { ref: first } : {})}
        data-testid={testid}
        value={prefs[name]}
        onChange={(e) => change({ [name]: e.currentTarget.value })}
      >
        <option value="">{t('devices.default')}</option>
        {options.map((d) => (
          <option key={d.deviceId} value={d.label}>
            {d.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Overlay labelledBy="devices-title" testid="devices" onClose={onClose}>
      <h2 id="devices-title">{t('devices.title')}</h2>
      {select(t('devices.mic'), 'mic', devices.inputs, 'device-mic')}
      <div class="level">
        <span id="mic-level">{t('devices.level')}</span>
        <meter aria-labelledby="mic-level" min={0} max={1} value={level} data-testid="mic-level" />
      </div>
      {select(t('devices.ringer'), 'ringer', devices.outputs, 'device-ringer')}
      {select(t('devices.output'), 'output', devices.outputs, 'device-output')}
      <button type="button" class="secondary" data-testid="ringer-test" onClick={env.chime}>
        {t('devices.test')}
      </button>
      <div class="notify-line">
        <span>{t('devices.notifications')}: </span>
        {env.embedded ? (
          <span class="muted">{t('devices.notifyEmbedded')}</span>
        ) : permission === 'granted' ? (
          <strong data-testid="notify-state">{t('devices.notifyOn')}</strong>
        ) : permission === 'denied' ? (
          <span class="muted" data-testid="notify-state">
            {t('devices.notifyBlocked')}
          </span>
        ) : (
          <button
            type="button"
            class="secondary"
            data-testid="notify-ask"
            onClick={() => void Notification.requestPermission().then(setPermission)}
          >
            {t('devices.notifyAsk')}
          </button>
        )}
      </div>
      <button type="button" data-testid="devices-close" onClick={onClose}>
        {t('devices.close')}
      </button>
    </Overlay>
  );
}
