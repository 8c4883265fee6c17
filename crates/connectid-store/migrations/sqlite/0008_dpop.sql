-- DPoP (RFC 9449): a public client's refresh token is bound to the key of the proof it was
-- issued with (the key's SHA-256 thumbprint); a refresh needs a proof by the same key.
ALTER TABLE refresh_tokens ADD COLUMN dpop_jkt TEXT;
