//! The password steps: the password itself, and a new one (a new account, a reset, a
//! first password at step-up).

use super::*;

pub(super) async fn on_password(
    ctx: &mut Ctx<'_>,
    params: &Params,
    headers: &HeaderMap,
    (identifier, account_id, proof): (Identifier, String, Option<Proof>),
) -> StepResult {
    let password = params.get("password").unwrap_or("");
    let state = ctx.state;
    let now = state.now();
    let account = state.store.get_account(&account_id).await?;
    // Keyed by what was typed, account or not: no shared bucket for unknown identifiers.
    let subject = identifier.value.as_str();
    let limits = [
        (Limit::PasswordPerIdentifier, subject),
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
            AuditKind::Signin,
            Some(&account_id),
            Some(&ctx.client.client_id),
            "wrong_password",
        )
        .await;
        ctx.p.error = Some(Notice::new("err-password-wrong"));
        return Ok(None);
    };
    if let Err(e) = state
        .limits
        .reset(Limit::PasswordPerIdentifier, subject)
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
    let amr = std::iter::once(Amr::Pwd)
        .chain(proof.map(Proof::amr))
        .collect();
    let signed_in = Done {
        account_id: account.id,
        acr: Acr::Password,
        amr,
    };
    done(ctx, headers, signed_in).await
}

pub(super) async fn on_set_password(
    ctx: &mut Ctx<'_>,
    params: &Params,
    headers: &HeaderMap,
    (identifier, proof): (Identifier, Proof),
) -> StepResult {
    let state = ctx.state;
    let password = params.get("new_password").unwrap_or("");
    let identifiers = [identifier.value.as_str()];
    if let Err(e) = state.settings.password_policy.check(password, &identifiers) {
        let shown =
            (password.len() <= MAX_BYTES).then(|| password::strength(password, &identifiers).score);
        if let Step::SetPassword { strength, .. } = &mut ctx.p.step {
            *strength = shown;
        }
        ctx.p.error = Some(password_notice(&e));
        return Ok(None);
    }
    let hash = state
        .hasher
        .hash(password)
        .await
        .map_err(|_| StoreError::Database("password hashing failed".into()))?;
    let client_id = Some(ctx.client.client_id.as_str());
    let account = match state.store.find_account(&identifier).await? {
        Some(account) => {
            state.store.set_identifier_verified(&identifier).await?;
            crate::app::accounts::set_password(
                state,
                &account,
                &hash,
                None,
                client_id,
                &ctx.p.locale,
            )
            .await?;
            account
        }
        None => {
            let account = crate::app::accounts::create(
                state,
                vec![(identifier.clone(), true)],
                Some(hash),
                crate::app::accounts::Actor::Person,
            )
            .await?;
            audit(
                state,
                AuditKind::PasswordSet,
                Some(&account.id),
                client_id,
                "success",
            )
            .await;
            account
        }
    };
    let signed_in = Done {
        account_id: account.id,
        acr: Acr::Password,
        amr: vec![Amr::Pwd, proof.amr()],
    };
    done(ctx, headers, signed_in).await
}
