/** The boot config the server embeds in the panel page (see server http/panel.ts). */
export interface BootConfig {
  readonly baseUrl: string;
  readonly tenantName: string;
  readonly allowedOrigins: readonly string[];
  readonly sso: boolean;
}

/** Reads the embedded config; falls back to the page's own origin when it is missing (dev server). */
export function readBootConfig(doc: Document): BootConfig {
  const fallback: BootConfig = { baseUrl: `${location.origin}/`, tenantName: 'Parley', allowedOrigins: [], sso: false };
  const text = doc.getElementById('parley-config')?.textContent;
  if (!text) return fallback;
  try {
    const value = JSON.parse(text) as Partial<BootConfig>;
    return {
      baseUrl: typeof value.baseUrl === 'string' ? value.baseUrl : fallback.baseUrl,
      tenantName: typeof value.tenantName === 'string' ? value.tenantName : fallback.tenantName,
      allowedOrigins: Array.isArray(value.allowedOrigins)
        ? value.allowedOrigins.filter((o) => typeof o === 'string')
        : [],
      sso: value.sso === true,
    };
  } catch {
    return fallback;
  }
}
