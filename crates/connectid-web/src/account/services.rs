//! Connected services (see and disconnect), "sign out everywhere" and deleting the account.

use super::*;
use connectid_core::audit::AuditKind;

/// `GET /account/services`: the services holding tokens of this account.
pub async fn services(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let me = require(&state, &headers, "/account/services", false).await?;
    let clients = state
        .store
        .connected_clients(&me.account.id, state.now())
        .await?;
    let name = |c: &connectid_core::store::ClientRecord| c.display_name().to_string();
    let notice = match (q.get("done").map(String::as_str), q.get("client")) {
        (Some("disconnected"), Some(id)) => match state.store.get_client(id).await {
            // Only a registered service's own name is shown, never text from the URL.
            Ok(Some(c)) if !clients.iter().any(|k| k.client_id == c.client_id) => Some(say(
                &state,
                "notice-service-disconnected",
                &[("service", Arg::Str(name(&c)))],
            )),
            _ => None,
        },
        _ => None,
    };
    let list: Vec<Value> = clients
        .iter()
        .filter(|c| c.client_id != CLIENT_ID)
        .map(|c| json!({"client_id": c.client_id, "name": name(c)}))
        .collect();
    Ok(state.pages.page(
        StatusCode::OK,
        "account_services.html",
        json!({"step": "account-services", "csrf": me.csrf(), "services": list, "notice": notice}),
    ))
}

/// `POST /account/services/disconnect`: revokes the service's tokens and consent. Not a
/// sensitive change (it only takes access away), so no fresh sign-in is asked for.
pub async fn disconnect(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let (me, p) = require_form(&state, &headers, &body, "/account/services", false).await?;
    let client_id = p.get("client_id").unwrap_or("");
    if client_id.is_empty() || client_id.len() > 256 {
        return Err(PageError::new(
            StatusCode::BAD_REQUEST,
            "error-form-expired",
        ));
    }
    // The sessions in which this service got tokens, to tell it (back-channel logout).
    let told = sessions_with(&state, &me.account.id, client_id).await?;
    match state
        .store
        .disconnect_client(&me.account.id, client_id, state.now())
        .await?
    {
        // Only a real disconnection is an event; an unknown or already disconnected service
        // leaves no trace (nor a way to fill the audit log).
        0 => {}
        _ => {
            if let Some((client, sids)) = &told {
                crate::logout::backchannel::tell_client(&state, client, &me.account.id, sids);
            }
            crate::audit::record(
                &state,
                AuditKind::ServiceDisconnected,
                Some(&me.account.id),
                Some(client_id),
                "success",
                None,
            )
            .await;
        }
    }
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("done", "disconnected")
        .append_pair("client", client_id);
    Ok(see_other(&format!("/account/services?{}", q.finish())))
}

/// The client and the live sessions of the account in which it got tokens.
pub(super) async fn sessions_with(
    state: &AppState,
    account_id: &str,
    client_id: &str,
) -> Result<Option<(connectid_core::store::ClientRecord, Vec<String>)>, StoreError> {
    let Some(client) = state.store.get_client(client_id).await? else {
        return Ok(None);
    };
    let mut sids = Vec::new();
    for s in state
        .store
        .sessions_of_account(account_id, state.now())
        .await?
    {
        let clients = state.store.clients_of_session(&s.sid).await?;
        if clients.iter().any(|c| c.client_id == client_id) {
            sids.push(s.sid);
        }
    }
    Ok(Some((client, sids)))
}

/// `POST /account/signout-everywhere`: every session and every grant of the account ends,
/// this browser's included, and the services that asked are told (back-channel logout).
pub async fn signout_everywhere(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let (me, _) = require_form(&state, &headers, &body, "/account", false).await?;
    crate::app::sessions::sign_out_everywhere(
        &state,
        &me.account.id,
        crate::app::accounts::Actor::Person,
    )
    .await?;
    let mut r = state.pages.page(
        StatusCode::OK,
        "signed_out.html",
        json!({"step": "signed-out", "everywhere": true}),
    );
    clear_session_cookie(&state, &mut r);
    Ok(r)
}

pub(super) fn clear_session_cookie(state: &AppState, r: &mut Response) {
    let c = cookies::clear_session(&state.settings);
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// `GET /account/delete`: what deleting means, and the button (after a fresh sign-in).
pub async fn delete_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let me = require(&state, &headers, "/account/delete", true).await?;
    Ok(state.pages.page(
        StatusCode::OK,
        "account_delete.html",
        json!({"step": "account-delete", "csrf": me.csrf(), "signed_in_as": me.account.display_name()}),
    ))
}

/// `POST /account/delete`: the account, its identifiers, sessions and grants are gone.
pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let (me, p) = require_form(&state, &headers, &body, "/account/delete", true).await?;
    if p.get("confirm") != Some("yes") {
        return Ok(see_other("/account/delete"));
    }
    let id = me.account.id.clone();
    crate::app::accounts::delete(&state, &id, crate::app::accounts::Actor::Person).await?;
    let mut r = state.pages.page(
        StatusCode::OK,
        "account_deleted.html",
        json!({"step": "signed-out"}),
    );
    clear_session_cookie(&state, &mut r);
    Ok(r)
}
