/**
 * Which page embeds the panel. Pure: the caller passes what the browser knows.
 * `location.ancestorOrigins` cannot be forged by the embedding page, so it wins;
 * then `document.referrer`; then the `host=` URL parameter (ext).
 */
export interface EmbeddingFacts {
  /** True when the panel runs in a frame (window.parent !== window). */
  readonly framed: boolean;
  readonly ancestorOrigins: readonly string[] | undefined;
  readonly referrer: string;
  /** The `host=` URL parameter, if any. */
  readonly hostParam: string | null;
}

export type HostOrigin =
  | { readonly kind: 'none' }
  | { readonly kind: 'allowed'; readonly origin: string }
  | { readonly kind: 'refused'; readonly origin: string | null };

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** Decides which origin the panel talks to, checked against the tenant allowlist. */
export function resolveHostOrigin(facts: EmbeddingFacts, allowlist: readonly string[]): HostOrigin {
  if (!facts.framed) return { kind: 'none' };
  const candidate =
    facts.ancestorOrigins && facts.ancestorOrigins.length > 0
      ? originOf(facts.ancestorOrigins[0] ?? '')
      : facts.referrer
        ? originOf(facts.referrer)
        : facts.hostParam
          ? originOf(facts.hostParam)
          : null;
  if (candidate !== null && allowlist.includes(candidate)) return { kind: 'allowed', origin: candidate };
  return { kind: 'refused', origin: candidate };
}
