//! What the request brings with it: the number the operator's network asserts, and the
//! account a locked `login_hint` names.

use super::*;

/// The account that owns the request's `login_hint`, if it names one.
pub(super) async fn hinted_account(
    state: &AppState,
    req: &AuthRequest,
) -> Result<Option<String>, connectid_core::store::StoreError> {
    let Some(hint) = req.login_hint.as_deref() else {
        return Ok(None);
    };
    let Ok(identifier) = Identifier::parse(hint, state.settings.default_phone_region) else {
        return Ok(None);
    };
    Ok(state.store.find_account(&identifier).await?.map(|a| a.id))
}

/// Why a request that asserts a phone number is refused.
#[derive(Debug, thiserror::Error)]
pub(crate) enum MsisdnError {
    /// A client may send the header itself; a proxy that adds its own after it makes two.
    #[error("the phone-number header appears more than once")]
    Repeated,
}

/// The phone number the operator's network asserted, when it may be used for this request.
pub(super) fn network_phone(
    state: &AppState,
    req: &AuthRequest,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> Result<Option<Identifier>, MsisdnError> {
    if req.mobile_network_off {
        return Ok(None);
    }
    asserted_phone(state, peer, headers)
}

/// The number in the MSISDN header, when one of the operator's proxies
/// (`[mobile_network] trusted_proxies`) sent the request, and said it once. The header from
/// any other peer — a reverse proxy in `[http] forwarded_proxies` included — is ignored.
pub(crate) fn asserted_phone(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> Result<Option<Identifier>, MsisdnError> {
    let trusted = state
        .settings
        .trusted_proxies
        .iter()
        .any(|c| c.contains(peer.ip()));
    if !trusted {
        return Ok(None);
    }
    let mut values = headers
        .get_all(state.settings.msisdn_header.as_str())
        .iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    let Ok(value) = first.to_str() else {
        return Ok(None);
    };
    // Two headers, or two values folded into one: which is the proxy's cannot be known.
    if values.next().is_some() || value.contains(',') {
        return Err(MsisdnError::Repeated);
    }
    Ok(Identifier::phone(value, state.settings.default_phone_region).ok())
}
