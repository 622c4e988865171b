/**
 * Which files customers may send: a short list of everyday types, each
 * checked against the file's first bytes where the type has a signature
 * (a `.pdf` that is really an executable is refused). Pure.
 */

export const ALLOWED_TYPES: Readonly<Record<string, { readonly magic?: readonly number[] }>> = {
  'image/png': { magic: [0x89, 0x50, 0x4e, 0x47] },
  'image/jpeg': { magic: [0xff, 0xd8, 0xff] },
  'image/gif': { magic: [0x47, 0x49, 0x46, 0x38] },
  'image/webp': { magic: [0x52, 0x49, 0x46, 0x46] },
  'application/pdf': { magic: [0x25, 0x50, 0x44, 0x46] },
  'text/plain': {},
  'text/csv': {},
};

/** Null when the file may be stored, else why not (for the sender). */
export function refuseAttachment(
  file: { name: string; contentType: string; data: Uint8Array },
  maxBytes: number,
): string | null {
  const type = file.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const rule = ALLOWED_TYPES[type];
  if (!rule)
    return `${file.name}: files of type ${type || 'unknown'} are not accepted (allowed: ${Object.keys(ALLOWED_TYPES).join(', ')})`;
  if (file.data.length > maxBytes)
    return `${file.name}: ${file.data.length} bytes is over the limit of ${maxBytes} bytes`;
  if (file.data.length === 0) return `${file.name}: the file is empty`;
  if (rule.magic && !rule.magic.every((b, i) => file.data[i] === b)) return `${file.name}: the content is not ${type}`;
  if (!rule.magic && file.data.subarray(0, 4096).includes(0)) return `${file.name}: the content is not ${type}`;
  return null;
}

/** A file name safe to store and to put in a Content-Disposition header. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[^\w.\- ()]/g, '_')
    .slice(0, 120)
    .trim();
  return cleaned === '' || /^\.+$/.test(cleaned) ? 'file' : cleaned;
}
