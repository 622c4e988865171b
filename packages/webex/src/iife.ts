/**
 * The `<script src="{base}sdk/webex.js">` build: defines `window.Webex`
 * (`Webex.init`, `new Webex`), bound to the Parley server the script came from.
 */
import { Webex } from './webex.ts';

const script = typeof document === 'undefined' ? null : document.currentScript;
if (script instanceof HTMLScriptElement && script.src) Webex.setDefaultBaseUrl(new URL('../', script.src).href);
(window as unknown as Record<string, unknown>)['Webex'] = Webex;
