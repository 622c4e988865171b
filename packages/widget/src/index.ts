/**
 * @parley/widget — the customer-facing pieces. `chat.ts` is the web-chat
 * widget, built to `dist/widget.js` and served at `{base}widget.js`;
 * `conversation.ts` is its transport, usable on its own.
 */
export { ChatConversation, type ChatFrame, type ChatMessage, type ChatState } from './conversation.ts';
