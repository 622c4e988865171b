export type {
  AgentMessage,
  ChannelAdapter,
  ChannelTx,
  Draft,
  Inbox,
  InboundMessage,
  Mail,
  Mailer,
  MessagingProvider,
  Outbox,
  OutgoingMessage,
  OutgoingSms,
  Prepared,
  ProviderAnswer,
  SendDeps,
  SendResult,
  WebhookMessage,
  WebhookParser,
} from './adapter.ts';
export { ADAPTERS, adapterOf, WEBHOOK_ADAPTERS } from './registry.ts';
export { Dispatcher, type DispatcherOptions } from './dispatcher.ts';
export { EMAIL, PHONE_NUMBER, parseMeta, strings } from './common.ts';
export {
  HttpMessagingProvider,
  ProviderError,
  parseDeliveryReport,
  toStatus,
  type DeliveryReport,
} from './provider.ts';
export { InboundSmtp, MailError, SmtpMailer, sanitizeEmailHtml, type InboundSmtpOptions } from './email/index.ts';
export { whatsappTemplates, type WhatsAppTemplate } from './whatsapp/index.ts';
export { TranscriptRequests, type TranscriptRequest } from './webchat/index.ts';
export { refuseAttachment, safeFileName, ALLOWED_TYPES } from './attachments.ts';
export { signRequest, verifyRequest, SIGNATURE_HEADER } from './signature.ts';
export { WebhookReceipts } from './receipts.ts';
export type { FormParams } from './signature.ts';
