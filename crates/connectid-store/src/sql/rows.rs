//! The rows the queries read, by column name, and how each becomes a domain value. Written
//! with a small macro rather than sqlx's `derive` feature, which would build the database
//! drivers a second time for the proc-macro host (CRATES: a minute per clean build).

use super::*;
use connectid_core::messages::Channel;
use connectid_core::store::QueuedMessage;

/// A struct read from a row of either backend by its column names.
macro_rules! row {
    ($(#[$m:meta])* $name:ident { $($field:ident: $ty:ty),* $(,)? }) => {
        $(#[$m])*
        pub(crate) struct $name {
            $(pub $field: $ty),*
        }
        impl<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> for $name {
            fn from_row(row: &'r sqlx::sqlite::SqliteRow) -> Result<Self, sqlx::Error> {
                use sqlx::Row;
                Ok(Self { $($field: row.try_get(stringify!($field))?),* })
            }
        }
        impl<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> for $name {
            fn from_row(row: &'r sqlx::postgres::PgRow) -> Result<Self, sqlx::Error> {
                use sqlx::Row;
                Ok(Self { $($field: row.try_get(stringify!($field))?),* })
            }
        }
    };
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn parse_vec(s: &str) -> StoreResult<Vec<Amr>> {
    serde_json::from_str(s).map_err(corrupt)
}

fn acr(level: i64) -> StoreResult<Acr> {
    Acr::from_level(level).ok_or_else(|| corrupt(format!("acr {level}")))
}

row!(ClientRow {
    client_id: String,
    secret_hash: Option<String>,
    metadata: String,
    created_at: i64,
    updated_at: i64,
});

impl TryFrom<ClientRow> for ClientRecord {
    type Error = StoreError;
    fn try_from(r: ClientRow) -> StoreResult<Self> {
        let metadata: ClientMetadata = serde_json::from_str(&r.metadata).map_err(corrupt)?;
        Ok(Self {
            client_id: r.client_id,
            secret_hash: r.secret_hash,
            metadata,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

row!(SessionRow {
    id_hash: String,
    sid: String,
    account_id: String,
    acr: i64,
    amr: String,
    auth_time: i64,
    remember: bool,
    created_at: i64,
    last_seen: i64,
    expires_at: i64,
});

impl TryFrom<SessionRow> for SsoSession {
    type Error = StoreError;
    fn try_from(r: SessionRow) -> StoreResult<Self> {
        Ok(Self {
            id_hash: r.id_hash,
            sid: r.sid,
            account_id: r.account_id,
            acr: acr(r.acr)?,
            amr: parse_vec(&r.amr)?,
            auth_time: r.auth_time,
            remember: r.remember,
            created_at: r.created_at,
            last_seen: r.last_seen,
            expires_at: r.expires_at,
        })
    }
}

row!(GrantRow {
    id: String,
    account_id: String,
    client_id: String,
    scope: String,
    claims: Option<String>,
    sid: Option<String>,
    auth_time: i64,
    acr: i64,
    amr: String,
    td_sls: bool,
    created_at: i64,
    expires_at: i64,
    revoked_at: Option<i64>,
});

impl TryFrom<GrantRow> for Grant {
    type Error = StoreError;
    fn try_from(r: GrantRow) -> StoreResult<Self> {
        Ok(Self {
            id: r.id,
            account_id: r.account_id,
            client_id: r.client_id,
            scope: r.scope,
            claims: r.claims,
            sid: r.sid,
            auth_time: r.auth_time,
            acr: acr(r.acr)?,
            amr: parse_vec(&r.amr)?,
            td_sls: r.td_sls,
            created_at: r.created_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
        })
    }
}

row!(CodeRow {
    grant_id: String,
    client_id: String,
    redirect_uri: String,
    code_challenge: Option<String>,
    nonce: Option<String>,
    expires_at: i64,
    dpop_jkt: Option<String>,
});

row!(
    /// A code or refresh token looked up after it could not be used: reused, or unknown.
    UsedRow {
        grant_id: String,
        used_at: Option<i64>,
    }
);

row!(RefreshRow {
    grant_id: String,
    created_at: i64,
    expires_at: i64,
    used_at: Option<i64>,
    dpop_jkt: Option<String>,
});

row!(DeviceSecretRow {
    grant_id: String,
    publisher: String,
    created_at: i64,
    expires_at: i64,
});

row!(AccountRow {
    id: String,
    password_hash: Option<String>,
    created_at: i64,
    updated_at: i64,
    locked_at: Option<i64>,
});

row!(IdentifierRow {
    kind: String,
    value: String,
    verified: bool,
});

// An account with one of its identifiers (none: the account has no identifier), a row of
// the join that reads an account in one statement.
row!(AccountIdentifierRow {
    id: String,
    password_hash: Option<String>,
    created_at: i64,
    updated_at: i64,
    locked_at: Option<i64>,
    kind: Option<String>,
    value: Option<String>,
    verified: Option<bool>,
});

impl TryFrom<IdentifierRow> for AccountIdentifier {
    type Error = StoreError;
    fn try_from(r: IdentifierRow) -> StoreResult<Self> {
        let kind = IdentifierKind::from_str(&r.kind)
            .map_err(|_| corrupt(format!("identifier kind {}", r.kind)))?;
        Ok(Self {
            identifier: Identifier::from_stored(kind, r.value),
            verified: r.verified,
        })
    }
}

// An account as `accounts export` reads it.
row!(ExportRow {
    id: String,
    password_hash: Option<String>,
    created_at: i64,
    updated_at: i64,
    locked_at: Option<i64>,
    external_id: Option<String>,
});

// An identifier with its account, for reading many accounts at once.
row!(OwnedIdentifierRow {
    account_id: String,
    kind: String,
    value: String,
    verified: bool,
});

row!(OtpRow {
    id: String,
    purpose: String,
    target: String,
    code_hash: String,
    attempts: i64,
    created_at: i64,
    expires_at: i64,
});

impl From<OtpRow> for Otp {
    fn from(r: OtpRow) -> Self {
        Self {
            id: r.id,
            purpose: r.purpose,
            target: r.target,
            code_hash: r.code_hash,
            attempts: r.attempts,
            created_at: r.created_at,
            expires_at: r.expires_at,
        }
    }
}

row!(MessageRow {
    id: String,
    channel: String,
    purpose: String,
    payload: Vec<u8>,
    created_at: i64,
    expires_at: i64,
    due_at: i64,
    attempts: i64,
    ordering_key: Option<String>,
});

impl TryFrom<MessageRow> for QueuedMessage {
    type Error = StoreError;
    fn try_from(r: MessageRow) -> StoreResult<Self> {
        Ok(Self {
            channel: Channel::parse(&r.channel)
                .ok_or_else(|| corrupt(format!("channel {}", r.channel)))?,
            id: r.id,
            purpose: r.purpose,
            payload: r.payload,
            created_at: r.created_at,
            expires_at: r.expires_at,
            due_at: r.due_at,
            attempts: r.attempts,
            ordering_key: r.ordering_key,
        })
    }
}

row!(KeyRow {
    kid: String,
    alg: String,
    private_key: Vec<u8>,
    created_at: i64,
    retired_at: Option<i64>,
});

impl TryFrom<KeyRow> for StoredKey {
    type Error = StoreError;
    fn try_from(r: KeyRow) -> StoreResult<Self> {
        let alg = match r.alg.as_str() {
            "RS256" => SigningAlg::RS256,
            "ES256" => SigningAlg::ES256,
            "EdDSA" => SigningAlg::EdDSA,
            other => return Err(corrupt(format!("key algorithm {other}"))),
        };
        Ok(Self {
            kid: r.kid,
            alg,
            private_key: r.private_key,
            created_at: r.created_at,
            retired_at: r.retired_at,
        })
    }
}

row!(AuditRow {
    at: i64,
    kind: String,
    account_id: Option<String>,
    client_id: Option<String>,
    ip: Option<String>,
    outcome: String,
    detail: Option<String>,
});

impl From<AuditRow> for AuditEvent {
    fn from(r: AuditRow) -> Self {
        Self {
            at: r.at,
            kind: r.kind,
            account_id: r.account_id,
            client_id: r.client_id,
            ip: r.ip,
            outcome: r.outcome,
            detail: r.detail,
        }
    }
}
