/**
 * The channels' connections to the outside: the SMS/WhatsApp provider, the
 * email relay (the demo's capture relay when none is configured), the
 * dispatcher that sends stored messages, and the inbound SMTP server.
 */
import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import {
  Dispatcher,
  HttpMessagingProvider,
  InboundSmtp,
  SmtpMailer,
  type Mailer,
  type MessagingProvider,
} from '../../channels/index.ts';
import { CaptureRelay } from '../../demo/index.ts';
import { findTenant, setWebhookSecret, verifyingSecret, webhookSecret } from '../../tenants/index.ts';
import { PLUGIN } from '../decorations.ts';

export const channelsPlugin = fp(
  async (app) => {
    const { config, db, bus, baseLog: log, interactions, defaultTenant: tenant, origins } = app;
    const channels = config.channels;
    // The demo signs its webhooks with a secret of its own, made once and kept.
    if (config.demo && !channels.webhookSecret && !(await webhookSecret(db, tenant.id)))
      await setWebhookSecret(db, tenant.id, randomBytes(24).toString('base64url'));
    let relay: CaptureRelay | null = null;
    let mailer: Mailer | null = null;
    if (channels.smtpRelay) mailer = new SmtpMailer(channels.smtpRelay);
    else if (config.demo) {
      relay = new CaptureRelay(db, log.child({ subsystem: 'mailbox' }));
      mailer = new SmtpMailer(await relay.start());
    }
    let sms: MessagingProvider | null = null;
    if (channels.smsProviderUrl)
      sms = new HttpMessagingProvider({
        url: channels.smsProviderUrl,
        account: channels.smsProviderAccount,
        token: channels.smsProviderToken,
      });
    else if (config.demo)
      sms = new HttpMessagingProvider({
        url: `${config.publicUrl}demo/provider/2010-04-01/Accounts/demo/Messages.json`,
        account: 'demo',
        token: await verifyingSecret(db, tenant, channels.webhookSecret),
      });
    const dispatcher = new Dispatcher({
      bus,
      log: log.child({ subsystem: 'dispatch' }),
      interactions,
      sms,
      mail: mailer,
      statusCallback: async (tenantId, messageId) => {
        const t = await findTenant(db, tenantId);
        return `${t ? origins.baseUrlOf(t) : config.publicUrl}webhooks/status?message=${messageId}`;
      },
    });
    let inboundSmtp: InboundSmtp | null = null;
    let smtpPort: number | null = null;
    if (channels.smtpPort !== null) {
      inboundSmtp = new InboundSmtp({
        db,
        log: log.child({ subsystem: 'smtp' }),
        interactions,
        maxBytes: channels.mailMaxBytes,
        attachmentMaxBytes: channels.attachmentMaxBytes,
        limits: {
          connections: channels.smtpMaxConnections,
          perAddress: channels.smtpConnectionsPerAddress,
          idleMs: channels.smtpIdleSeconds * 1000,
          recipients: channels.smtpMaxRecipients,
        },
      });
      smtpPort = await inboundSmtp.listen(channels.smtpPort, channels.smtpHost);
    }
    app.decorate('mailer', mailer);
    app.decorate('relay', relay);
    app.decorate('dispatcher', dispatcher);
    app.decorate('inboundSmtp', inboundSmtp);
    app.decorate('smtpPort', smtpPort);
  },
  {
    name: PLUGIN.channels,
    dependencies: [PLUGIN.config, PLUGIN.store, PLUGIN.bus, PLUGIN.tenants, PLUGIN.interactions],
  },
);
