/**
 * The single-file `<script>` build: `window.Parley` (modern API) and the CPC
 * facade on `window.CPC` and `window.CommunicationPanelControl`. An existing
 * `window.CPC` (e.g. the original CPC client) is never overwritten. The
 * `<parley-panel>` element is defined too.
 */
import { createCpc } from './cpc.ts';
import { definePanelElement } from './element.ts';
import { ParleyError } from './errors.ts';
import { load } from './load.ts';

const w = window as unknown as Record<string, unknown>;
w['Parley'] = { load, ParleyError, definePanelElement };
definePanelElement();
const cpc = createCpc();
if (w['CommunicationPanelControl'] === undefined) w['CommunicationPanelControl'] = cpc;
if (w['CPC'] === undefined) w['CPC'] = cpc;
