//! Redis implementations of connectid's shared-state ports, used when `redis_url` is set:
//! for now the rate limiter, so that limits hold across nodes without a database write per
//! attempt.
