//! The authorization request parser (`/authorize`: parameters, client, redirect URI, PKCE,
//! prompt, max_age, claims, …). The first byte picks a confidential or a public client; the
//! rest is the query string. Fails on a panic or on an accepted request that breaks a rule.

#![no_main]

use std::sync::OnceLock;

use connectid_core::client::ClientMetadata;
use connectid_core::store::ClientRecord;
use connectid_web::fuzzing::authorization_request;
use libfuzzer_sys::fuzz_target;

fn client(id: &str, extra: &str) -> ClientRecord {
    let json = format!(
        r#"{{"client_name":"Fuzz","redirect_uris":["https://rp.example/cb","http://127.0.0.1:9/cb?x=1"],
            "grant_types":["authorization_code","refresh_token"],"default_acr_values":["1"]{extra}}}"#
    );
    let metadata = ClientMetadata::from_json(&json).expect("fixture client");
    metadata.validate().expect("fixture client is valid");
    ClientRecord {
        client_id: id.into(),
        secret_hash: None,
        metadata,
        created_at: 0,
        updated_at: 0,
    }
}

fn clients() -> &'static [ClientRecord; 2] {
    static C: OnceLock<[ClientRecord; 2]> = OnceLock::new();
    C.get_or_init(|| {
        [
            client("c1", ""),
            client("pub", r#","token_endpoint_auth_method":"none""#),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((pick, query)) = data.split_first() else {
        return;
    };
    let client = &clients()[usize::from(pick & 1)];
    if let Err(broken) = authorization_request(client, query) {
        panic!("{broken}");
    }
});
