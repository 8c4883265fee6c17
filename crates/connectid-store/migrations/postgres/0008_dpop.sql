-- DPoP (RFC 9449): a public client's refresh token is bound to the key of the proof it was
-- issued with (the key's SHA-256 thumbprint); a refresh needs a proof by the same key.
ALTER TABLE refresh_tokens ADD COLUMN dpop_jkt TEXT;
-- A code bound to a DPoP key (`dpop_jkt`, or the proof a request was pushed with, RFC 9449
-- §10): only a token request with a proof by that key exchanges it.
ALTER TABLE auth_codes ADD COLUMN dpop_jkt TEXT;
