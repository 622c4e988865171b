export { Dispatcher, type DispatcherOptions } from './dispatcher.ts';
export { SmtpMailer, MailError, type Mail, type Mailer } from './mailer.ts';
export {
  HttpMessagingProvider,
  ProviderError,
  toStatus,
  type MessagingProvider,
  type OutgoingSms,
  type ProviderAnswer,
} from './provider.ts';
export { InboundSmtp, type InboundSmtpOptions } from './smtp.ts';
export { sanitizeEmailHtml } from './sanitize.ts';
export { refuseAttachment, safeFileName, ALLOWED_TYPES } from './attachments.ts';
export { signRequest, verifyRequest, SIGNATURE_HEADER } from './signature.ts';
export { WebhookReceipts } from './receipts.ts';
export type { FormParams } from './signature.ts';
