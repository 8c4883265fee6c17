-- The periodic purge deletes by expiry; without these it scanned whole tables (bench/).
CREATE INDEX interactions_expires ON interactions(expires_at);
CREATE INDEX sso_sessions_expires ON sso_sessions(expires_at);
CREATE INDEX auth_codes_expires ON auth_codes(expires_at);
CREATE INDEX refresh_tokens_expires ON refresh_tokens(expires_at);
CREATE INDEX seen_jtis_expires ON seen_jtis(expires_at);
CREATE INDEX otps_expires ON otps(expires_at);
