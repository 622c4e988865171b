/** Small pieces the views share: a ticking clock, channel icons, the toast line. */
import type { IconNode } from 'lucide';
import { Mail, MessageCircle, MessageSquare, Phone, Smartphone, X } from 'lucide';
import { useEffect, useState } from 'preact/hooks';
import { t, type MessageKey } from '../i18n.ts';
import { Icon } from './icon.tsx';

/** The server's "now", re-rendered every second (display only: the data is pushed, never polled). */
export function useNow(skewMs: number): number {
  const [now, setNow] = useState(() => Date.now() + skewMs);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() + skewMs), 1000);
    return () => clearInterval(timer);
  }, [skewMs]);
  return now;
}

const CHANNEL_ICONS: Readonly<Record<string, IconNode>> = {
  phone: Phone,
  chat: MessageCircle,
  sms: Smartphone,
  whatsapp: MessageSquare,
  email: Mail,
};

export function channelName(channel: string): string {
  const key = `channel.${channel}` as MessageKey;
  return ['phone', 'chat', 'sms', 'whatsapp', 'email'].includes(channel) ? t(key) : channel;
}

export function ChannelIcon({ channel }: { channel: string }) {
  return <Icon node={CHANNEL_ICONS[channel] ?? MessageCircle} />;
}

export interface Toast {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

/** The one line of news after an action; errors stay until dismissed. */
export function ToastLine({ toast, onClose }: { toast: Toast | null; onClose: () => void }) {
  useEffect(() => {
    if (toast?.kind !== 'ok') return;
    const timer = setTimeout(onClose, 5000);
    return () => clearTimeout(timer);
  }, [toast]);
  return (
    <div class="toast-region" role="status" aria-live="polite">
      {toast ? (
        <div class={`toast ${toast.kind}`} role={toast.kind === 'error' ? 'alert' : undefined}>
          <span>{toast.text}</span>
          <button type="button" class="icon-button" aria-label={t('toast.close')} onClick={onClose}>
            <Icon node={X} />
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** An icon button acting on one row: its label names the action and the row (`Make ready: Ada Agent`). */
export function RowAction(props: {
  icon: IconNode;
  label: string;
  row: string;
  disabled?: boolean;
  danger?: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      class={`icon-button${props.danger ? ' danger' : ''}`}
      title={props.label}
      aria-label={`${props.label}: ${props.row}`}
      disabled={props.disabled === true}
      onClick={props.onClick}
    >
      <Icon node={props.icon} />
    </button>
  );
}
