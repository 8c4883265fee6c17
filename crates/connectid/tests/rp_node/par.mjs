// A relying party on panva's openid-client 6: PAR, then the code exchange, for tests/par.rs.
//
//   node par.mjs start  ISSUER CLIENT_ID SECRET REDIRECT_URI   → {"url", "verifier", "state", "nonce"}
//   node par.mjs finish ISSUER CLIENT_ID SECRET CALLBACK_URL VERIFIER STATE NONCE → {"claims", "token_type"}
//
// The issuer is plain http on loopback in the tests, which openid-client allows only when
// told to (allowInsecureRequests).
import * as client from 'openid-client'

const [, , phase, issuer, clientId, secret, ...rest] = process.argv
const config = await client.discovery(new URL(issuer), clientId, undefined,
  client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] })

if (phase === 'start') {
  const [redirectUri] = rest
  const verifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const nonce = client.randomNonce()
  const url = await client.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: redirectUri,
    scope: 'openid email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  })
  console.log(JSON.stringify({ url: url.href, verifier, state, nonce }))
} else if (phase === 'finish') {
  const [callback, verifier, state, nonce] = rest
  const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  })
  console.log(JSON.stringify({ claims: tokens.claims(), token_type: tokens.token_type }))
} else {
  console.error('usage: node par.mjs start|finish …')
  process.exit(2)
}
