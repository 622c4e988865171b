/**
 * A real OpenID provider (oidc-provider) on loopback for tests: it issues
 * opaque access tokens for a few accounts and serves discovery, JWKS and
 * userinfo, as an integrator's identity provider would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

/** The provider's accounts: subject → email (what userinfo vouches for). */
export const OIDC_ACCOUNTS: Record<string, { email: string }> = {
  'sub-ada': { email: 'ada.oauth@example.com' },
  'sub-eve': { email: 'eve.real@example.com' },
  'sub-nobody': { email: 'nobody@example.com' },
};

export async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface Idp {
  readonly issuer: string;
  readonly key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  readonly kid: string;
  userinfoCalls: number;
  close(): Promise<void>;
}

export async function startOidcProvider(): Promise<
  Idp & { opaqueToken(accountId: string): Promise<string>; revoke(token: string): Promise<void> }
> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'op-key-1', alg: 'RS256', use: 'sig' };
  const server = http.createServer();
  const issuer = await listen(server);
  const provider = new Provider(issuer, {
    clients: [{ client_id: 'crm', client_secret: 'crm-secret', redirect_uris: ['http://127.0.0.1/cb'] }],
    findAccount: async (_ctx, id) => {
      const account = OIDC_ACCOUNTS[id];
      return account ? { accountId: id, claims: async () => ({ sub: id, email: account.email }) } : undefined;
    },
    claims: { openid: ['sub'], email: ['email'] },
    jwks: { keys: [jwk] },
    features: { devInteractions: { enabled: false } },
  });
  const state = { userinfoCalls: 0 };
  provider.use(async (ctx, next) => {
    if (ctx.path === '/me') state.userinfoCalls += 1;
    await next();
  });
  server.on('request', provider.callback());
  return {
    issuer,
    key: privateKey,
    kid: 'op-key-1',
    get userinfoCalls() {
      return state.userinfoCalls;
    },
    set userinfoCalls(v: number) {
      state.userinfoCalls = v;
    },
    async opaqueToken(accountId: string) {
      const client = await provider.Client.find('crm');
      if (!client) throw new Error('the test client is missing');
      const grant = new provider.Grant({ accountId, clientId: 'crm' });
      grant.addOIDCScope('openid email');
      const grantId = await grant.save();
      const token = new provider.AccessToken({
        accountId,
        client,
        grantId,
        scope: 'openid email',
        gty: 'authorization_code',
      });
      return token.save();
    },
    async revoke(value: string) {
      await (await provider.AccessToken.find(value))?.destroy();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
