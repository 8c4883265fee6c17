//! Security notices to an account's owner on every verified phone and email.

use super::*;

pub(crate) async fn notify_password_changed(state: &AppState, account: &Account, lang: &str) {
    let notice = AccountNotice {
        subject: "password-changed-subject",
        body: "password-changed-body",
        args: &[],
        purpose: "password_changed",
    };
    notify_account(state, account, lang, &notice).await;
}

/// How long a security notice is worth sending: a day late still tells the owner.
const NOTICE_TTL: i64 = 86_400;

/// A security notice to the owner of an account.
pub(crate) struct AccountNotice<'a> {
    pub subject: &'static str,
    pub body: &'static str,
    pub args: &'a [(&'a str, Arg)],
    pub purpose: &'static str,
}

/// Sends `notice` to every verified phone and email of the account.
pub(crate) async fn notify_account(
    state: &AppState,
    account: &Account,
    lang: &str,
    notice: &AccountNotice<'_>,
) {
    let t = &state.pages.translations;
    for i in account.identifiers.iter().filter(|i| i.verified) {
        let (channel, subject) = match i.identifier.kind {
            IdentifierKind::Phone => (Channel::Sms, None),
            IdentifierKind::Email => (
                Channel::Email,
                Some(t.format(lang, notice.subject, notice.args)),
            ),
        };
        let msg = Message {
            at: rfc3339(state.now()),
            channel,
            to: i.identifier.value.clone(),
            subject,
            body: t.format(lang, notice.body, notice.args),
            purpose: notice.purpose.into(),
        };
        if let Err(e) = state.delivery.send(&msg, None, NOTICE_TTL).await {
            tracing::error!(error = %e, purpose = notice.purpose, "account notice not sent");
        }
    }
}
