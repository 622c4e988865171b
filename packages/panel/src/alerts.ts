/**
 * The browser's side of alerts: a chime for offers on channels that do not
 * ring (calls ring through the voice station) and for messages in
 * conversations the agent is not looking at, a desktop notification while
 * the panel is hidden or unfocused (once the agent allowed them), and a
 * flashing tab title until they come back. Sounds play on the ringer
 * device. Browser-only; the controller sees it as {@link AlertsLike}.
 */
import type { Interaction, Message } from '@parley/protocol';
import { sinkTo } from '@parley/agent';
import type { AlertsLike } from './workspace.ts';

export interface AlertOptions {
  /** The device chimes play on (`''`: default). */
  readonly ringer: () => string;
  /** Words for an offer or a message, in the agent's language. */
  readonly words: (i: Interaction, m?: Message) => { title: string; body: string };
  /** Opens the interaction when the agent clicks its notification. */
  readonly show: (interactionId: string) => void;
}

/**
 * Whether the agent can see the panel: its document is visible and, unless
 * it is framed in a host page (where the agent works in the host with the
 * panel on screen beside it), has focus.
 */
export function panelVisible(doc: Document = document): boolean {
  const framed = doc.defaultView !== null && doc.defaultView.parent !== doc.defaultView;
  return doc.visibilityState === 'visible' && (framed || doc.hasFocus());
}

/** Notes of a chime: [frequency Hz, start s, length s]. */
type Notes = ReadonlyArray<readonly [number, number, number]>;
const OFFER: Notes = [
  [660, 0, 0.16],
  [880, 0.2, 0.22],
];
const MESSAGE: Notes = [[740, 0, 0.12]];

export class BrowserAlerts implements AlertsLike {
  readonly #o: AlertOptions;
  #repeat: ReturnType<typeof setInterval> | null = null;
  #flash: ReturnType<typeof setInterval> | null = null;
  #title: string | null = null;

  constructor(options: AlertOptions) {
    this.#o = options;
    const back = () => {
      if (panelVisible()) this.#stopFlash();
    };
    document.addEventListener('visibilitychange', back);
    window.addEventListener('focus', back);
  }

  offer(i: Interaction): void {
    // A call rings through the voice station; everything else chimes here, again every 4 s while it is offered.
    if (i.channel_type !== 'phone' && !this.#repeat) {
      this.chime(OFFER);
      this.#repeat = setInterval(() => this.chime(OFFER), 4000);
    }
    this.#tell(i);
  }

  message(i: Interaction, m: Message): void {
    this.chime(MESSAGE);
    this.#tell(i, m);
  }

  settled(): void {
    if (this.#repeat) clearInterval(this.#repeat);
    this.#repeat = null;
  }

  /** Plays a chime on the ringer device (also the device dialog's test). */
  chime(notes: Notes = OFFER): void {
    let ctx: AudioContext;
    try {
      ctx = new AudioContext();
    } catch {
      return;
    }
    const device = this.#o.ringer();
    if (device) void sinkTo(ctx, device);
    const end = Math.max(...notes.map(([, at, length]) => at + length));
    for (const [frequency, at, length] of notes) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = frequency;
      const t = ctx.currentTime + at;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.12, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + length);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + length + 0.02);
    }
    setTimeout(() => void ctx.close().catch(() => undefined), (end + 0.3) * 1000);
  }

  /** A desktop notification and a flashing title, while the agent cannot see the panel. */
  #tell(i: Interaction, m?: Message): void {
    if (panelVisible()) return;
    const { title, body } = this.#o.words(i, m);
    this.#startFlash(title);
    if (typeof Notification !== 'function' || Notification.permission !== 'granted') return;
    try {
      const n = new Notification(title, { body, tag: `parley-${i.id}`, silent: true });
      n.onclick = () => {
        window.focus();
        this.#o.show(i.id);
        n.close();
      };
    } catch {
      // Some browsers only notify from a service worker: the title still flashes.
    }
  }

  #startFlash(title: string): void {
    this.#stopFlash();
    this.#title = document.title;
    const original = this.#title;
    let on = false;
    this.#flash = setInterval(() => {
      on = !on;
      document.title = on ? `● ${title}` : original;
    }, 1000);
    document.title = `● ${title}`;
  }

  #stopFlash(): void {
    if (this.#flash) clearInterval(this.#flash);
    this.#flash = null;
    if (this.#title !== null) document.title = this.#title;
    this.#title = null;
  }
}
