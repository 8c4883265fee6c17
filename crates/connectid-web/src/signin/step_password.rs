//! The password steps: the password itself, and a new one (a new account, a reset, a
//! first password at step-up).

use super::*;

pub(super) async fn on_password(
    ctx: &mut Ctx<'_>,
    params: &Params,
    headers: &HeaderMap,
) -> StepResult {
    let password = params.get("password").unwrap_or("");
    let state = ctx.state;
    let now = state.now();
    let account = match &ctx.p.account_id {
        Some(id) => state.store.get_account(id).await?,
        None => None,
    };
    // Keyed by what was typed, account or not: no shared bucket for unknown identifiers.
    let subject = ctx
        .p
        .identifier
        .as_ref()
        .map_or_else(String::new, |i| i.value.clone());
    let limits = [
        (Limit::PasswordPerIdentifier, subject.as_str()),
        (Limit::PasswordPerIp, ctx.ip.as_str()),
    ];
    for (limit, key) in limits {
        if let Some(n) = limited(state.limits.peek(limit, key).await)? {
            ctx.p.error = Some(n);
            return Ok(None);
        }
    }
    let hash = account.as_ref().and_then(|a| a.password_hash.as_deref());
    let verdict = if password.len() <= 1024 {
        state.hasher.verify_password(password, hash).await
    } else {
        connectid_core::password::Verification::Mismatch
    };
    let ok = verdict.is_match();
    if !ok {
        // Counted only on failure; the answer to this attempt is already decided.
        let _ = limited(state.limits.hit_all(&limits).await)?;
    }
    let Some(account) = account.filter(|_| ok) else {
        audit(
            state,
            "signin",
            ctx.p.account_id.as_deref(),
            Some(&ctx.client.client_id),
            "wrong_password",
        )
        .await;
        ctx.p.error = Some(Notice::new("err-password-wrong"));
        return Ok(None);
    };
    if let Err(e) = state
        .limits
        .reset(Limit::PasswordPerIdentifier, &subject)
        .await
    {
        tracing::warn!(error = %e, "rate limit not reset");
    }
    if let connectid_core::password::Verification::Match { needs_rehash: true } = verdict {
        // The parameters changed since this hash was made: store one made with today's.
        match state.hasher.hash(password).await {
            Ok(h) => state.store.set_password(&account.id, &h, now).await?,
            Err(e) => tracing::warn!(error = %e, "password not rehashed"),
        }
    }
    let mut amr = vec!["pwd".to_string()];
    if ctx.p.verified {
        amr.push(proof_amr(&ctx.p));
    }
    done(ctx, headers, &account.id, Acr::Password, amr).await
}

/// How the identifier was proven: the operator's network, or a code by SMS or email.
pub(super) fn proof_amr(p: &Pending) -> String {
    if p.network {
        "mca".into()
    } else {
        otp_amr(p.identifier.as_ref())
    }
}

pub(super) fn otp_amr(identifier: Option<&Identifier>) -> String {
    match identifier.map(|i| i.kind) {
        Some(IdentifierKind::Phone) => "sms".into(),
        _ => "otp".into(),
    }
}

pub(super) async fn on_set_password(
    ctx: &mut Ctx<'_>,
    params: &Params,
    headers: &HeaderMap,
) -> StepResult {
    let state = ctx.state;
    let (Some(identifier), true) = (ctx.p.identifier.clone(), ctx.p.verified) else {
        ctx.p.step = Step::Identifier;
        return Ok(None);
    };
    let password = params.get("new_password").unwrap_or("");
    let identifiers = [identifier.value.as_str()];
    if let Err(e) = state.settings.password_policy.check(password, &identifiers) {
        ctx.p.strength =
            (password.len() <= MAX_BYTES).then(|| password::strength(password, &identifiers).score);
        ctx.p.error = Some(password_notice(&e));
        return Ok(None);
    }
    let hash = match state.hasher.hash(password).await {
        Ok(h) => h,
        Err(_) => return Err(StoreError::Database("password hashing failed".into())),
    };
    let client_id = Some(ctx.client.client_id.as_str());
    let account = match state.store.find_account(&identifier).await? {
        Some(account) => {
            state.store.set_identifier_verified(&identifier).await?;
            crate::accounts::set_password(state, &account, &hash, None, client_id, &ctx.p.locale)
                .await?;
            account
        }
        None => {
            let account = find_or_create(state, &identifier, Some(hash)).await?;
            audit(
                state,
                "password_set",
                Some(&account.id),
                client_id,
                "success",
            )
            .await;
            account
        }
    };
    ctx.p.resetting = false;
    let amr = vec!["pwd".to_string(), proof_amr(&ctx.p)];
    done(ctx, headers, &account.id, Acr::Password, amr).await
}
