/**
 * @parley/widget — the customer-facing pieces: web-chat widget, click-to-call
 * and the virtual-PSTN softphone page. They arrive with the digital-channel
 * and voice issues; the package exists so they land in their final place.
 */
export {};
