// A FAPI 2.0 relying party on panva's openid-client 6, for tests/fapi2.rs: private_key_jwt,
// a signed request object pushed through PAR, PKCE, and DPoP-bound tokens (with the server's
// nonces when it asks), then UserInfo and a refresh with proofs.
//
//   node fapi2.mjs keys                                         → {"client", "dpop"} key pairs as JWKs
//   node fapi2.mjs start  ISSUER CLIENT_ID KEYS REDIRECT_URI     → {"url", "verifier", "state", "nonce"}
//   node fapi2.mjs finish ISSUER CLIENT_ID KEYS CALLBACK VERIFIER STATE NONCE
//                                                               → {"token_type", "access_token", "claims", "userinfo", "refreshed"}
//
// KEYS is the JSON `keys` printed. The issuer is plain http on loopback in the tests, which
// openid-client allows only when told to (allowInsecureRequests).
import * as client from 'openid-client'

const ES256 = { name: 'ECDSA', namedCurve: 'P-256' }
const [, , phase, ...args] = process.argv

async function pair () {
  const k = await crypto.subtle.generateKey(ES256, true, ['sign', 'verify'])
  const kid = client.randomState()
  return {
    private: { ...await crypto.subtle.exportKey('jwk', k.privateKey), kid },
    public: { ...await crypto.subtle.exportKey('jwk', k.publicKey), kid, alg: 'ES256', use: 'sig' },
  }
}

async function imported (jwks) {
  return {
    privateKey: await crypto.subtle.importKey('jwk', jwks.private, ES256, false, ['sign']),
    publicKey: await crypto.subtle.importKey('jwk', jwks.public, ES256, true, ['verify']),
  }
}

if (phase === 'keys') {
  console.log(JSON.stringify({ client: await pair(), dpop: await pair() }))
  process.exit(0)
}

const [issuer, clientId, keysJson, ...rest] = args
const keys = JSON.parse(keysJson)
const clientKey = { key: (await imported(keys.client)).privateKey, kid: keys.client.public.kid }
const config = await client.discovery(new URL(issuer), clientId,
  { id_token_signed_response_alg: 'ES256' },
  client.PrivateKeyJwt(clientKey), { execute: [client.allowInsecureRequests] })
const DPoP = client.getDPoPHandle(config, await imported(keys.dpop))

if (phase === 'start') {
  const [redirectUri] = rest
  const verifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const nonce = client.randomNonce()
  const signed = await client.buildAuthorizationUrlWithJAR(config, {
    redirect_uri: redirectUri,
    scope: 'openid email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  }, clientKey)
  const url = await client.buildAuthorizationUrlWithPAR(config, signed.searchParams, { DPoP })
  console.log(JSON.stringify({ url: url.href, verifier, state, nonce }))
} else if (phase === 'finish') {
  const [callback, verifier, state, nonce] = rest
  const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  }, undefined, { DPoP })
  const claims = tokens.claims()
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub, { DPoP })
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP })
  console.log(JSON.stringify({
    token_type: tokens.token_type,
    access_token: tokens.access_token,
    claims,
    userinfo,
    refreshed: { token_type: refreshed.token_type, access_token: refreshed.access_token,
      refresh_token: refreshed.refresh_token ?? null },
  }))
} else {
  console.error('usage: node fapi2.mjs keys|start|finish …')
  process.exit(2)
}
