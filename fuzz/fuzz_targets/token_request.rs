//! The token request parser (`/token`: form body, duplicate parameters, HTTP Basic client
//! credentials, client_secret_post, client assertions, grant_type). Input: an optional
//! Authorization header line, a newline, then the form body.

#![no_main]

use connectid_web::fuzzing::token_request;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (authorization, body) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (Some(&data[..i]), &data[i + 1..]),
        None => (None, data),
    };
    if let Err(broken) = token_request(authorization, body) {
        panic!("{broken}");
    }
});
