/**
 * Guards for input from any edge (HTTP bodies, WebSocket frames): how deep
 * a JSON value may nest, and where a string smuggles a NUL character.
 */

/** How deep a JSON value may nest at any edge. */
export const MAX_JSON_DEPTH = 64;

/** The first place in a parsed value (up to a depth) where a string holds NUL, as a field path; null if none. */
export function nulIn(value: unknown, path = '', depth = 0): string | null {
  if (depth > MAX_JSON_DEPTH) return null;
  if (typeof value === 'string') return value.includes('\0') ? path || 'value' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulIn(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key.includes('\0')) return `${path}${path ? '.' : ''}${key.replace(/\0/g, '\\0')}`;
      const found = nulIn(v, path ? `${path}.${key}` : key, depth + 1);
      if (found) return found;
    }
  }
  return null;
}
