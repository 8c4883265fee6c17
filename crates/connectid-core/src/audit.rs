//! The kinds of security events the audit log records. The log stores the names
//! (`AuditKind::as_str`), which `connectid audit` prints and operators filter on: a name,
//! once written, is kept.

use std::fmt;

/// What happened: one variant per use case that leaves a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditKind {
    Signin,
    Code,
    Consent,
    Registration,
    PasswordSet,
    PasswordChanged,
    IdentifierAdded,
    IdentifierRemoved,
    AccountDeleted,
    AccountLocked,
    AccountUnlocked,
    /// A batch of `connectid accounts import`.
    AccountsImported,
    Logout,
    SignoutEverywhere,
    SessionsRevoked,
    ServiceDisconnected,
    PreauthUrl,
    NativeSso,
    App2App,
    ClientCreated,
    ClientUpdated,
    ClientDeleted,
    ClientSecretRotated,
    SmsBudgetReached,
    MessageUndelivered,
    SmsFraudSuspected,
    TokenRevocation,
    KeyRotation,
}

impl AuditKind {
    pub const ALL: [AuditKind; 28] = [
        Self::Signin,
        Self::Code,
        Self::Consent,
        Self::Registration,
        Self::PasswordSet,
        Self::PasswordChanged,
        Self::IdentifierAdded,
        Self::IdentifierRemoved,
        Self::AccountDeleted,
        Self::AccountLocked,
        Self::AccountUnlocked,
        Self::AccountsImported,
        Self::Logout,
        Self::SignoutEverywhere,
        Self::SessionsRevoked,
        Self::ServiceDisconnected,
        Self::PreauthUrl,
        Self::NativeSso,
        Self::App2App,
        Self::ClientCreated,
        Self::ClientUpdated,
        Self::ClientDeleted,
        Self::ClientSecretRotated,
        Self::SmsBudgetReached,
        Self::MessageUndelivered,
        Self::SmsFraudSuspected,
        Self::TokenRevocation,
        Self::KeyRotation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Signin => "signin",
            Self::Code => "code",
            Self::Consent => "consent",
            Self::Registration => "registration",
            Self::PasswordSet => "password_set",
            Self::PasswordChanged => "password_changed",
            Self::IdentifierAdded => "identifier_added",
            Self::IdentifierRemoved => "identifier_removed",
            Self::AccountDeleted => "account_deleted",
            Self::AccountLocked => "account_locked",
            Self::AccountUnlocked => "account_unlocked",
            Self::AccountsImported => "accounts_imported",
            Self::Logout => "logout",
            Self::SignoutEverywhere => "signout_everywhere",
            Self::SessionsRevoked => "sessions_revoked",
            Self::ServiceDisconnected => "service_disconnected",
            Self::PreauthUrl => "preauth_url",
            Self::NativeSso => "native_sso",
            Self::App2App => "app2app",
            Self::ClientCreated => "client_created",
            Self::ClientUpdated => "client_updated",
            Self::ClientDeleted => "client_deleted",
            Self::ClientSecretRotated => "client_secret_rotated",
            Self::SmsBudgetReached => "sms_budget_reached",
            Self::MessageUndelivered => "message_undelivered",
            Self::SmsFraudSuspected => "sms_fraud_suspected",
            Self::TokenRevocation => "token_revocation",
            Self::KeyRotation => "key_rotation",
        }
    }
}

impl fmt::Display for AuditKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_name() {
        let mut names: Vec<&str> = AuditKind::ALL.iter().map(|k| k.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AuditKind::ALL.len());
    }
}
