//! The sign-in as a state machine. A [`Step`] holds exactly what its page needs, so a state
//! that cannot happen (a password step without an account, a new password without a proven
//! identifier) cannot be built. The functions here decide where a step goes from what its
//! handler found out (the account, whether the code was right, how long ago the session
//! signed in); they do no I/O. The handlers in `step_*.rs` look things up, call them, and
//! carry out the [`Next`] they return (`apply` in `step_finish.rs`).
//!
//! docs/architecture.md draws the machine.

use connectid_core::account::Account;
use connectid_core::client::SmsPin;
use connectid_core::identifier::Identifier;
use connectid_core::oidc::{Acr, Amr};
use serde::{Deserialize, Serialize};

use crate::finish::Authenticated;
use crate::i18n::Notice;

/// How long an SMS sign-in counts as proof of the phone for choosing a first password.
pub(crate) const STEP_UP_PROOF_SECS: i64 = 10 * 60;

/// How the identifier was proven, named as the ID token's `amr` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Proof {
    /// A code by SMS.
    Sms,
    /// A code by email.
    Otp,
    /// The operator's network said the number.
    Network,
}

impl Proof {
    pub(crate) fn of_code(identifier: &Identifier) -> Self {
        if identifier.is_phone() {
            Self::Sms
        } else {
            Self::Otp
        }
    }
    pub(crate) fn amr(self) -> Amr {
        match self {
            Self::Sms => Amr::Sms,
            Self::Otp => Amr::Otp,
            Self::Network => Amr::Mca,
        }
    }
}

/// Authenticated, before the email the service requires was added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Finished {
    pub account_id: String,
    pub acr: Acr,
    pub amr: Vec<Amr>,
    /// After an SSO hit, the session as it was: adding an email does not renew `auth_time`.
    pub session: Option<Authenticated>,
}

/// What a one-time code is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum CodeFor {
    /// Signing in, or registering, with the identifier.
    SignIn,
    /// "Forgot your password?": a new password follows.
    Reset,
    /// The email the service requires, for an account already authenticated.
    AddEmail(Finished),
}

/// Where a sign-in stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "kebab-case")]
pub(crate) enum Step {
    Identifier,
    /// The account's password; `proof` when the identifier was proven on the way.
    Password {
        identifier: Identifier,
        account_id: String,
        proof: Option<Proof>,
    },
    /// The code sent to `identifier`. `account_id` is its account when the code was sent.
    Code {
        identifier: Identifier,
        account_id: Option<String>,
        purpose: CodeFor,
    },
    /// A new password, for an identifier proven by `proof`. `strength` (0–4) of the last
    /// password refused, shown next to the field.
    SetPassword {
        identifier: Identifier,
        proof: Proof,
        strength: Option<u8>,
    },
    AddEmail {
        finished: Finished,
    },
    Consent {
        auth: Authenticated,
    },
}

/// Which page a step shows (also what the flow previewer renders with sample values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Page {
    Identifier,
    Password,
    Code,
    SetPassword,
    AddEmail,
    Consent,
}

impl Page {
    pub(crate) const ALL: [Page; 6] = [
        Self::Identifier,
        Self::Password,
        Self::Code,
        Self::SetPassword,
        Self::AddEmail,
        Self::Consent,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Identifier => "identifier",
            Self::Password => "password",
            Self::Code => "code",
            Self::SetPassword => "set-password",
            Self::AddEmail => "add-email",
            Self::Consent => "consent",
        }
    }
    pub(crate) fn template(self) -> &'static str {
        match self {
            Self::Identifier => "identifier.html",
            Self::Password => "password.html",
            Self::Code => "code.html",
            Self::SetPassword => "set_password.html",
            Self::AddEmail => "add_email.html",
            Self::Consent => "consent.html",
        }
    }
}

impl Step {
    pub(crate) fn page(&self) -> Page {
        match self {
            Self::Identifier => Page::Identifier,
            Self::Password { .. } => Page::Password,
            Self::Code { .. } => Page::Code,
            Self::SetPassword { .. } => Page::SetPassword,
            Self::AddEmail { .. } => Page::AddEmail,
            Self::Consent { .. } => Page::Consent,
        }
    }
    /// The identifier typed or proven so far.
    pub(crate) fn identifier(&self) -> Option<&Identifier> {
        match self {
            Self::Password { identifier, .. }
            | Self::Code { identifier, .. }
            | Self::SetPassword { identifier, .. } => Some(identifier),
            _ => None,
        }
    }
}

/// What the service and its request ask of this sign-in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    pub acr: Acr,
    pub sms: SmsPin,
    /// `prompt=login`.
    pub login: bool,
    pub max_age: Option<i64>,
}

impl Policy {
    /// A password is asked for at LoA2, and always for an email (an email code is not
    /// enough on its own).
    fn wants_password(&self, identifier: &Identifier) -> bool {
        self.acr == Acr::Password || !identifier.is_phone()
    }
    fn can_sms(&self, identifier: &Identifier) -> bool {
        !(identifier.is_phone() && self.sms == SmsPin::Disallow)
    }
}

/// What the machine needs to know of an account.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Known {
    pub id: String,
    pub has_password: bool,
    pub phone: Option<Identifier>,
    pub email: Option<Identifier>,
}

impl Known {
    pub(crate) fn of(a: &Account) -> Self {
        Self {
            id: a.id.clone(),
            has_password: a.has_password(),
            phone: a.phone().map(|i| i.identifier.clone()),
            email: a.email().map(|i| i.identifier.clone()),
        }
    }
}

/// Authenticated: who, at which level, by which methods.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Done {
    pub account_id: String,
    pub acr: Acr,
    pub amr: Vec<Amr>,
}

/// What a handler does next.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Next {
    Go(Step),
    /// Show `step` with a message: the input was refused.
    Tell(Step, Notice),
    /// Send a code and show `code` (a [`Step::Code`]); if the limits refuse to send, show
    /// `or` with the reason.
    Send {
        code: Step,
        resend: bool,
        or: Step,
    },
    /// A new account for this proven phone number, then done at LoA1.
    Register(Identifier, Proof),
    Done(Done),
}

/// After the identifier step: the password, a code, or (a new identifier) a code first.
pub(crate) fn identified(identifier: Identifier, account: Option<Known>, policy: &Policy) -> Next {
    let with_password = account.as_ref().filter(|a| a.has_password);
    if let Some(a) = with_password
        && (policy.wants_password(&identifier) || !policy.can_sms(&identifier))
    {
        return Next::Go(Step::Password {
            identifier,
            account_id: a.id.clone(),
            proof: None,
        });
    }
    if !policy.can_sms(&identifier) {
        return Next::Tell(Step::Identifier, Notice::new("err-no-sms"));
    }
    Next::Send {
        code: Step::Code {
            identifier,
            account_id: account.map(|a| a.id),
            purpose: CodeFor::SignIn,
        },
        resend: false,
        or: Step::Identifier,
    }
}

/// After a right code for signing in or a reset. `account` is the account of the identifier
/// when the code was sent (none: a new identifier).
/// The identifier was proven by `proof` (a code, or the operator's network): the password,
/// a first password, or done.
pub(crate) fn code_verified(
    identifier: Identifier,
    proof: Proof,
    reset: bool,
    account: Option<Known>,
    policy: &Policy,
) -> Next {
    let set_password = |identifier| {
        Next::Go(Step::SetPassword {
            identifier,
            proof,
            strength: None,
        })
    };
    match account {
        Some(_) if reset => set_password(identifier),
        Some(a) if policy.wants_password(&identifier) => {
            if a.has_password {
                Next::Go(Step::Password {
                    identifier,
                    account_id: a.id,
                    proof: Some(proof),
                })
            } else {
                set_password(identifier)
            }
        }
        Some(a) => Next::Done(Done {
            account_id: a.id,
            acr: Acr::Phone,
            amr: vec![proof.amr()],
        }),
        None if policy.wants_password(&identifier) => set_password(identifier),
        None => Next::Register(identifier, proof),
    }
}

/// "Forgot your password?" on the password step: a code, then a new password.
pub(crate) fn forgot(step: &Step, policy: &Policy) -> Option<Next> {
    let Step::Password {
        identifier,
        account_id,
        ..
    } = step
    else {
        return None;
    };
    if !policy.can_sms(identifier) {
        return Some(Next::Tell(step.clone(), Notice::new("err-no-sms")));
    }
    Some(Next::Send {
        code: Step::Code {
            identifier: identifier.clone(),
            account_id: Some(account_id.clone()),
            purpose: CodeFor::Reset,
        },
        resend: true,
        or: step.clone(),
    })
}

/// The operator's network said the number, but more is needed: at LoA2 the password (or a
/// first one, the network having proven the phone); with `sms_pin: "force"` or
/// `prompt=login`, a code as for a typed number.
pub(crate) fn detected(phone: Identifier, account: Option<Known>, policy: &Policy) -> Next {
    let forced = policy.sms == SmsPin::Force || policy.login;
    if policy.acr != Acr::Password || forced {
        return identified(phone, account, policy);
    }
    match account.filter(|a| a.has_password) {
        Some(a) => Next::Go(Step::Password {
            identifier: phone,
            account_id: a.id,
            proof: None,
        }),
        None => Next::Go(Step::SetPassword {
            identifier: phone,
            proof: Proof::Network,
            strength: None,
        }),
    }
}

/// The session a step-up or re-authentication starts from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Signed<'a> {
    pub auth_time: i64,
    pub amr: &'a [Amr],
}

/// Step-up or re-authentication of a signed-in account. Right after an SMS code (or the
/// network) proved the phone in this browser, choosing the first password needs no second
/// code, as in registration; otherwise the account's identifier goes through [`identified`].
pub(crate) fn step_up(account: Known, signed: Signed<'_>, policy: &Policy, now: i64) -> Next {
    let age = now - signed.auth_time;
    let fresh_phone_proof = age <= STEP_UP_PROOF_SECS
        && !policy.login
        && policy.max_age.is_none_or(|m| age <= m)
        && signed.amr.iter().any(|m| m.proves_phone());
    if policy.acr == Acr::Password
        && !account.has_password
        && fresh_phone_proof
        && let Some(phone) = account.phone.clone()
    {
        return Next::Go(Step::SetPassword {
            identifier: phone,
            proof: Proof::Sms,
            strength: None,
        });
    }
    let wants_phone = policy.acr == Acr::Phone && policy.sms != SmsPin::Disallow;
    let pick = if wants_phone {
        account.phone.clone().or(account.email.clone())
    } else {
        account.email.clone().or(account.phone.clone())
    };
    match pick {
        Some(identifier) => identified(identifier, Some(account), policy),
        None => Next::Go(Step::Identifier),
    }
}

#[cfg(test)]
#[path = "machine_tests.rs"]
mod tests;
