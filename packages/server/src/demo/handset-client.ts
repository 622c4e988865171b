/**
 * A client of the demo handsets as the handset page is one (tests, the simulator): it keeps the
 * device cookie, claims each number it uses, then reads and sends as it.
 */
export class HandsetDevice {
  #cookie: string | null = null;
  readonly #claimed = new Set<string>();

  constructor(readonly base: string) {}

  #headers(json: boolean): Record<string, string> {
    return {
      ...(json ? { 'content-type': 'application/json' } : {}),
      ...(this.#cookie ? { cookie: this.#cookie } : {}),
    };
  }

  /** Claims `number` for this device (once). */
  async claim(number: string): Promise<Response> {
    const res = await fetch(`${this.base}demo/handsets`, {
      method: 'POST',
      headers: this.#headers(true),
      body: JSON.stringify({ number }),
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('parley_handset='));
    if (cookie) this.#cookie = cookie.split(';')[0] ?? null;
    if (res.ok) this.#claimed.add(number);
    return res;
  }

  /** Texts `to` from the handset `from`, as the page's Send button does. */
  async send(from: string, to: string, body: string, channel: 'sms' | 'whatsapp' = 'sms'): Promise<Response> {
    if (!this.#claimed.has(from)) await this.claim(from);
    return fetch(`${this.base}demo/handset/messages`, {
      method: 'POST',
      headers: this.#headers(true),
      body: JSON.stringify({ from, to, body, channel }),
    });
  }

  /** What the handset `number` sent and received. */
  async messages(number: string): Promise<Array<{ direction: string; body: string; peer: string; channel: string }>> {
    if (!this.#claimed.has(number)) await this.claim(number);
    const res = await fetch(`${this.base}demo/handset/${encodeURIComponent(number)}/messages`, {
      headers: this.#headers(false),
    });
    if (!res.ok) throw new Error(`handset ${number}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as Array<{ direction: string; body: string; peer: string; channel: string }>;
  }
}
