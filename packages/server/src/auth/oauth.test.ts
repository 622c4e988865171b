/**
 * OAuth bearer login against a real OpenID provider (oidc-provider) on
 * loopback: opaque access tokens it issues, JWTs signed with its key, a
 * revoked token, a wrong issuer, an expired token, a subject/email mismatch.
 *
 * oidc-provider v9 issues JWT access tokens as stateless tokens and its
 * userinfo endpoint only serves tokens it has stored, so no JWT it issues is
 * ever accepted at its own userinfo. The JWT success path (Keycloak and Entra
 * ID accept their JWT access tokens at userinfo) therefore runs against a
 * small issuer written here that behaves like those: discovery, JWKS, and a
 * userinfo endpoint that verifies its own JWTs.
 */
import http from 'node:http';
import { exportJWK, generateKeyPair, jwtVerify, createLocalJWKSet, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  listen,
  OIDC_ACCOUNTS,
  startHarness,
  startOidcProvider,
  type Harness,
  type Idp,
} from '../testing/index.ts';
import { createUser } from '../users/index.ts';
import { OAuthVerifier } from './oauth.ts';

/** A Keycloak-style issuer: its userinfo endpoint accepts the JWT access tokens it signs. */
async function startJwtIssuer(): Promise<Idp> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'kc-1', alg: 'ES256', use: 'sig' };
  const jwks = createLocalJWKSet({ keys: [publicJwk] });
  const state = { userinfoCalls: 0 };
  const server = http.createServer(async (req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration')
      return json(200, { issuer, jwks_uri: `${issuer}/jwks`, userinfo_endpoint: `${issuer}/userinfo` });
    if (req.url === '/jwks') return json(200, { keys: [publicJwk] });
    if (req.url === '/userinfo') {
      state.userinfoCalls += 1;
      try {
        const { payload } = await jwtVerify((req.headers.authorization ?? '').replace(/^Bearer /, ''), jwks, {
          issuer,
        });
        const account = OIDC_ACCOUNTS[payload.sub ?? ''];
        return account ? json(200, { sub: payload.sub, email: account.email }) : json(401, { error: 'invalid_token' });
      } catch {
        return json(401, { error: 'invalid_token' });
      }
    }
    return json(404, {});
  });
  const issuer = await listen(server);
  return {
    issuer,
    key: privateKey,
    kid: 'kc-1',
    get userinfoCalls() {
      return state.userinfoCalls;
    },
    set userinfoCalls(v: number) {
      state.userinfoCalls = v;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function signJwt(
  idp: Pick<Idp, 'issuer' | 'key' | 'kid'>,
  sub: string,
  { expiresIn = '10m', iss = idp.issuer, alg = 'RS256' } = {},
) {
  return new SignJWT({ scope: 'openid email' })
    .setProtectedHeader({ alg, kid: idp.kid, typ: 'at+jwt' })
    .setIssuer(iss)
    .setSubject(sub)
    .setAudience('parley')
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(idp.key);
}

let op: Awaited<ReturnType<typeof startOidcProvider>>;
let kc: Idp;
beforeAll(async () => {
  [op, kc] = await Promise.all([startOidcProvider(), startJwtIssuer()]);
});
afterAll(async () => {
  await Promise.all([op.close(), kc.close()]);
});

describe('OAuthVerifier', () => {
  it('accepts an opaque token through the issuer userinfo, asking at most once a minute', async () => {
    let now = Date.now();
    const verifier = new OAuthVerifier({ now: () => now });
    const token = await op.opaqueToken('sub-ada');
    op.userinfoCalls = 0;
    expect(await verifier.verify(token, [op.issuer])).toEqual({
      issuer: op.issuer,
      subject: 'sub-ada',
      email: 'ada.oauth@example.com',
    });
    await verifier.verify(token, [op.issuer]);
    expect(op.userinfoCalls).toBe(1);
    now += 61_000;
    await verifier.verify(token, [op.issuer]);
    expect(op.userinfoCalls).toBe(2);
  });

  it('refuses a revoked token (userinfo 401)', async () => {
    const verifier = new OAuthVerifier();
    const token = await op.opaqueToken('sub-ada');
    await op.revoke(token);
    await expect(verifier.verify(token, [op.issuer])).rejects.toMatchObject({
      code: 'unauthorized',
      message: "The issuer's userinfo endpoint refused the token (HTTP 401).",
    });
  });

  it('refuses a JWT from an issuer the tenant does not accept, before fetching anything', async () => {
    const verifier = new OAuthVerifier();
    const token = await signJwt(op, 'sub-ada', { iss: 'https://idp.evil.example' });
    op.userinfoCalls = 0;
    await expect(verifier.verify(token, [op.issuer])).rejects.toMatchObject({
      message: 'The token\'s issuer "https://idp.evil.example" is not accepted by this tenant.',
    });
    expect(op.userinfoCalls).toBe(0);
  });

  it('refuses an expired JWT signed with the issuer key', async () => {
    const verifier = new OAuthVerifier();
    const token = await signJwt(op, 'sub-ada', { expiresIn: '-5m' });
    await expect(verifier.verify(token, [op.issuer])).rejects.toMatchObject({ message: 'The token has expired.' });
  });

  it('refuses a JWT whose signature is not the issuer key', async () => {
    const verifier = new OAuthVerifier();
    const { privateKey } = await generateKeyPair('RS256');
    const token = await signJwt({ issuer: op.issuer, key: privateKey, kid: op.kid }, 'sub-ada');
    await expect(verifier.verify(token, [op.issuer])).rejects.toMatchObject({
      message: 'The token signature or claims could not be verified with the issuer keys.',
    });
  });

  it('refuses a well-signed JWT that the issuer userinfo does not accept', async () => {
    const verifier = new OAuthVerifier();
    const token = await signJwt(op, 'sub-ada');
    await expect(verifier.verify(token, [op.issuer])).rejects.toMatchObject({
      message: "The issuer's userinfo endpoint refused the token (HTTP 401).",
    });
  });

  it('accepts a JWT access token of an issuer whose userinfo serves its JWTs', async () => {
    const verifier = new OAuthVerifier();
    const token = await signJwt(kc, 'sub-ada', { alg: 'ES256' });
    expect(await verifier.verify(token, [op.issuer, kc.issuer])).toEqual({
      issuer: kc.issuer,
      subject: 'sub-ada',
      email: 'ada.oauth@example.com',
    });
  });

  it('refuses a token with no accepted issuer at all, and garbage', async () => {
    const verifier = new OAuthVerifier();
    await expect(verifier.verify(await op.opaqueToken('sub-ada'), [kc.issuer])).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(verifier.verify('not a token at all', [op.issuer])).rejects.toMatchObject({
      message: 'The bearer token has characters no token has.',
    });
  });
});

describe('POST /ecfs/authentication/ with Authorization: Bearer', () => {
  let h: Harness;
  let adminToken: string;
  beforeAll(async () => {
    h = await startHarness();
    await createUser(h.db, h.tenant.id, {
      username: 'ada.oauth',
      displayName: 'Ada OAuth',
      email: 'ada.oauth@example.com',
      role: 'agent',
      passwordHash: null,
      oauthSubject: 'sub-ada',
    });
    // The subject matches, the email does not: the issuer says eve.real@example.com.
    await createUser(h.db, h.tenant.id, {
      username: 'eve',
      displayName: 'Eve',
      email: 'eve.other@example.com',
      role: 'agent',
      passwordHash: null,
      oauthSubject: 'sub-eve',
    });
    adminToken = (
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'admin', password: DEMO_PASSWORD },
      })
    ).json().token;
  });
  afterAll(async () => {
    await h.close();
  });

  const bearerLogin = (token: string) =>
    h.app.inject({ method: 'POST', url: '/ecfs/authentication/', headers: { authorization: `Bearer ${token}` } });

  it('refuses every token while the tenant accepts no issuer', async () => {
    const res = await bearerLogin(await op.opaqueToken('sub-ada'));
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe('OAuth bearer login is not enabled: this tenant accepts no OAuth issuers.');
  });

  it('logs in the one user whose subject and email match, with a session cookie', async () => {
    const patch = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/tenant',
      headers: { authorization: `Bearer ${adminToken}` },
      payload: { oauth_issuers: [op.issuer, kc.issuer] },
    });
    expect(patch.statusCode).toBe(200);
    const res = await bearerLogin(await op.opaqueToken('sub-ada'));
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ username: 'ada.oauth', work_status: 'not_ready' });
    expect(String(res.headers['set-cookie'])).toMatch(/^parley_session=/);
    const jwtLogin = await bearerLogin(await signJwt(kc, 'sub-ada', { alg: 'ES256' }));
    expect(jwtLogin.json().user.username).toBe('ada.oauth');
  });

  it('refuses a subject/email mismatch and an account without a Parley user', async () => {
    const mismatch = await bearerLogin(await op.opaqueToken('sub-eve'));
    expect(mismatch.statusCode).toBe(401);
    expect(mismatch.json().error.message).toBe(
      'No user of this tenant has both the subject and the email the issuer vouched for.',
    );
    expect((await bearerLogin(await op.opaqueToken('sub-nobody'))).statusCode).toBe(401);
  });

  it('never logs a token', async () => {
    const token = await op.opaqueToken('sub-ada');
    await bearerLogin(token);
    const jwt = await signJwt(op, 'sub-ada', { expiresIn: '-1m' });
    await bearerLogin(jwt);
    const all = h.logs.join('\n');
    expect(all).toContain('login (oauth)');
    expect(all).not.toContain(token);
    expect(all).not.toContain(jwt);
  });
});
