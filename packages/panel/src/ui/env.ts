/** What the views get from the page they run in (main.tsx): the voice station's devices and chimes. */
import type { DeviceSink } from '../devices.ts';

export interface PanelEnv {
  /** Where device choices go (the voice station); null without WebRTC. */
  readonly sink: DeviceSink | null;
  /** Plays the offer chime on the ringer device (the device dialog's test). */
  readonly chime: () => void;
  /** True inside a host page: desktop notifications are the host's there (browsers refuse them to framed pages). */
  readonly embedded: boolean;
}

export const NO_ENV: PanelEnv = { sink: null, chime: () => undefined, embedded: false };
