/**
 * Guards at the HTTP edge against input that would otherwise reach the
 * store or the stack and come back as a 500: JSON nested deeper than a
 * bound, NUL characters (PostgreSQL cannot store them in text), and
 * numbers in query strings that are not plain finite integers
 * (`?limit=Infinity`, `?limit=1e309`). Each is a 400 that names the field.
 */
import { CodedError, MAX_JSON_DEPTH, nulIn } from '@parley/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const clientError = (message: string) => Object.assign(new Error(message), { statusCode: 400 });

/**
 * Scans raw JSON text once, without parsing it: the deepest nesting, and
 * whether a string holds an escaped NUL (`\u0000`). A literal NUL is not
 * valid JSON and fails the parser anyway.
 */
export function scanJson(text: string): { depth: number; nul: boolean } {
  let depth = 0;
  let max = 0;
  let inString = false;
  let nul = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) {
        if (text.startsWith('u0000', i + 1)) nul = true;
        i += 1;
      } else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth += 1;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return { depth: max, nul };
}

const INTEGER = /^-?\d{1,15}$/;
const DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;

interface ObjectSchema {
  readonly properties?: Record<string, { readonly type?: unknown }>;
}

function isJson(request: FastifyRequest): boolean {
  return String(request.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/json');
}

export function installInputGuards(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'ignore');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const { depth, nul } = scanJson(text);
    if (depth > MAX_JSON_DEPTH)
      return done(clientError(`body: nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    if (nul) return done(clientError('body: text may not contain NUL characters (\\u0000)'), undefined);
    json(request, text, done);
  });

  app.addHook('preValidation', async (request: FastifyRequest) => {
    for (const [where, value] of [
      ['querystring', request.query],
      ['params', request.params],
      // Form bodies (the CPC login, provider webhooks); JSON bodies were scanned as text by the parser.
      ['body', isJson(request) || Buffer.isBuffer(request.body) ? undefined : request.body],
    ] as const) {
      const found = nulIn(value);
      if (found) throw CodedError.invalidArgument(`${where}/${found}: may not contain NUL characters`);
    }
    // Numbers in the query string are plain decimal integers: Infinity, 1e309 or 0x10 are not.
    const schema = request.routeOptions.schema?.querystring as ObjectSchema | undefined;
    const query = request.query as Record<string, unknown> | undefined;
    if (!schema?.properties || !query) return;
    for (const [name, property] of Object.entries(schema.properties)) {
      if (property.type !== 'integer' && property.type !== 'number') continue;
      const raw = query[name];
      if (raw === undefined) continue;
      const integer = property.type === 'integer';
      if (typeof raw !== 'string' || !(integer ? INTEGER : DECIMAL).test(raw))
        throw CodedError.invalidArgument(
          `querystring/${name}: expected ${integer ? 'a whole number' : 'a decimal number'}, got ${JSON.stringify(raw)}`,
        );
    }
  });
}
