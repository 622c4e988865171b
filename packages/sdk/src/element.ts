/**
 * `<parley-panel base-url="…" min-width="…">`: the panel as a custom
 * element. It loads when it enters the document and unloads when it leaves;
 * every panel event is re-dispatched as a bubbling DOM `CustomEvent` named
 * `parley:<event>` (e.g. `parley:interaction:status`) with the event's
 * argument as `detail`. `element.panel` is the loaded {@link Panel}.
 * Attributes: `base-url` (required), `min-width`, `min-height`, `deny-popout`,
 * `channel-status`, `sso`, `timeout-ms`, `debug`. Defined by the `<script>`
 * build; with ESM, call {@link definePanelElement} (never at import time, so
 * server-side rendering is safe).
 */
import { load, type Panel } from './load.ts';

export interface ParleyPanelElement extends HTMLElement {
  /** The loaded panel, once `parley:loaded` fired. */
  panel: Panel | null;
}

/** Registers `<parley-panel>` (once; a second call or an existing definition is left alone). */
export function definePanelElement(name = 'parley-panel'): void {
  if (customElements.get(name)) return;
  customElements.define(
    name,
    class extends HTMLElement implements ParleyPanelElement {
      panel: Panel | null = null;
      #loading = false;

      connectedCallback(): void {
        if (this.#loading) return;
        this.#loading = true;
        const attr = (n: string) => this.getAttribute(n);
        const num = (n: string) => (attr(n) === null ? undefined : Number(attr(n)));
        const fire = (type: string, detail: unknown) =>
          this.dispatchEvent(new CustomEvent(`parley:${type}`, { detail, bubbles: true, composed: true }));
        load({
          baseUrl: attr('base-url') ?? '',
          container: this,
          minWidth: num('min-width'),
          minHeight: num('min-height'),
          timeoutMs: num('timeout-ms'),
          denyPopout: this.hasAttribute('deny-popout'),
          enableChannelStatusUpdates: this.hasAttribute('channel-status'),
          sso: this.hasAttribute('sso'),
          debug: this.hasAttribute('debug'),
          onEvent: (type, ...args) => fire(type, args.length > 1 ? args : args[0]),
        } as Parameters<typeof load>[0]).then(
          (panel) => {
            this.panel = panel;
            fire('loaded', panel);
          },
          (err: unknown) => {
            this.#loading = false;
            fire('error', err);
          },
        );
      }

      disconnectedCallback(): void {
        this.panel?.unload();
        this.panel = null;
        this.#loading = false;
      }
    },
  );
}
