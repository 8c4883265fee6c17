//! Account events to their subscribers: the deployment's (`[[webhooks]]`) and those of the
//! services the person has used (client metadata `webhooks`). Each subscriber's copy is a
//! row in the durable outbox, ordered per subscriber and account, delivered and retried like
//! an SMS (`delivery::events`). The use cases in [`super::accounts`] and [`super::sessions`]
//! call [`emit`] after their change is stored: a service hears of what happened, never of
//! what was only attempted.

use connectid_core::account::Account;
use connectid_core::events::{EventKind, Subscription};
use connectid_core::identifier::{Identifier, IdentifierKind};
use connectid_core::messages::{Channel, Message, rfc3339};
use serde_json::{Value, json};

use crate::state::AppState;

/// How long an event is tried before it is given up on (`connectid events redeliver`
/// queues it again).
pub const EVENT_TTL: i64 = 24 * 3600;

/// Who gets an event: the subscriber's name (`deployment`, `client:<id>`) and subscription.
pub type Target = (String, Subscription);

/// Everyone who would hear of `kind` for this account. Read before a deletion, which takes
/// the account's grants (and so its services) with it.
pub async fn targets(state: &AppState, account_id: &str, kind: EventKind) -> Vec<Target> {
    let mut out: Vec<Target> = state
        .settings
        .webhooks
        .iter()
        .filter(|s| s.wants(kind))
        .map(|s| ("deployment".to_string(), s.clone()))
        .collect();
    let clients = match state.store.clients_used_by(account_id).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "cannot read the services of an account for its events");
            Vec::new()
        }
    };
    for client_id in clients {
        let Ok(Some(client)) = state.store.get_client(&client_id).await else {
            continue;
        };
        for s in client.metadata.webhooks.iter().filter(|s| s.wants(kind)) {
            out.push((format!("client:{client_id}"), s.clone()));
        }
    }
    out
}

/// Queues the event for everyone subscribed to it.
pub async fn emit(state: &AppState, kind: EventKind, account_id: &str, data: Value) {
    let targets = targets(state, account_id, kind).await;
    emit_to(state, &targets, kind, account_id, data).await;
}

/// Queues the event for `targets` (read earlier with [`targets`]). A failure to queue is
/// logged, never the caller's: the change it reports has happened.
pub async fn emit_to(
    state: &AppState,
    targets: &[Target],
    kind: EventKind,
    account_id: &str,
    data: Value,
) {
    if targets.is_empty() {
        return;
    }
    let mut data = match data {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    data.insert("sub".into(), Value::String(account_id.to_string()));
    let at = rfc3339(state.now());
    let body = json!({ "type": kind.as_str(), "timestamp": at, "data": data }).to_string();
    for (subscriber, subscription) in targets {
        let message = Message {
            at: at.clone(),
            channel: Channel::Event,
            to: subscriber.clone(),
            subject: Some(subscription.url.clone()),
            body: body.clone(),
            purpose: kind.as_str().to_string(),
        };
        let key = format!("{subscriber}|{}|{account_id}", subscription.url);
        if let Err(e) = state.delivery.send_ordered(&message, key, EVENT_TTL).await {
            tracing::error!(error = %e, event = kind.as_str(), "account event not queued");
        }
    }
}

/// `account.created`'s data: the identifiers, as the import file writes them.
pub fn account_data(account: &Account) -> Value {
    let of = |kind: IdentifierKind, field: &str| -> Vec<Value> {
        account
            .identifiers
            .iter()
            .filter(|i| i.identifier.kind == kind)
            .map(|i| json!({ field: i.identifier.value, "verified": i.verified }))
            .collect()
    };
    json!({
        "phones": of(IdentifierKind::Phone, "number"),
        "emails": of(IdentifierKind::Email, "address"),
    })
}

/// An identifier event's data.
pub fn identifier_data(identifier: &Identifier) -> Value {
    json!({ "identifier": { "kind": identifier.kind.as_str(), "value": identifier.value } })
}
