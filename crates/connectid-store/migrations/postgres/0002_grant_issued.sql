-- When a grant's code was first exchanged for tokens: back-channel logout tells only the
-- clients that really got tokens in a session.
ALTER TABLE grants ADD COLUMN issued_at BIGINT;
