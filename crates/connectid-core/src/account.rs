//! Accounts: one person, several phones and emails, at most one password.

use serde::{Deserialize, Serialize};

use crate::identifier::{Identifier, IdentifierKind};

/// An identifier as stored on an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountIdentifier {
    pub identifier: Identifier,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The stable, opaque `sub` of ID tokens.
    pub id: String,
    #[serde(skip_serializing)]
    pub password_hash: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub identifiers: Vec<AccountIdentifier>,
    /// Set while an operator has locked the account: no sign-in until it is unlocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_at: Option<i64>,
}

impl Account {
    pub fn has_password(&self) -> bool {
        self.password_hash.is_some()
    }

    fn first_of(&self, kind: IdentifierKind) -> Option<&AccountIdentifier> {
        let mut of_kind = self
            .identifiers
            .iter()
            .filter(|i| i.identifier.kind == kind);
        let all: Vec<_> = of_kind.by_ref().collect();
        all.iter()
            .find(|i| i.verified)
            .or_else(|| all.first())
            .copied()
    }

    /// The phone shown and released as `phone_number`: a verified one first.
    pub fn phone(&self) -> Option<&AccountIdentifier> {
        self.first_of(IdentifierKind::Phone)
    }

    pub fn email(&self) -> Option<&AccountIdentifier> {
        self.first_of(IdentifierKind::Email)
    }

    /// Whether `identifier` is one of this account's, already verified: proving it again
    /// needs no write.
    pub fn has_verified(&self, identifier: &Identifier) -> bool {
        self.identifiers
            .iter()
            .any(|i| i.verified && i.identifier == *identifier)
    }

    pub fn has_verified_email(&self) -> bool {
        self.identifiers
            .iter()
            .any(|i| i.identifier.kind == IdentifierKind::Email && i.verified)
    }

    /// What "Signed in as …" shows: a phone if there is one, else an email.
    pub fn display_name(&self) -> String {
        self.phone()
            .or_else(|| self.email())
            .map(|i| i.identifier.value.clone())
            .unwrap_or_default()
    }
}
