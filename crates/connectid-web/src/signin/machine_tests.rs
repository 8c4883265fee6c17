//! The transitions of the sign-in, one decision each, with a fake clock where time decides.

use connectid_core::clock::{Clock, FakeClock};

use super::*;

fn phone() -> Identifier {
    Identifier::parse("+4790000001", Default::default()).expect("phone")
}

fn email() -> Identifier {
    Identifier::parse("kari@example.com", Default::default()).expect("email")
}

fn policy(acr: Acr) -> Policy {
    Policy {
        acr,
        sms: SmsPin::Auto,
        login: false,
        max_age: None,
    }
}

fn account(has_password: bool) -> Known {
    Known {
        id: "acc-1".into(),
        has_password,
        phone: Some(phone()),
        email: None,
    }
}

fn code_step(next: &Next) -> Option<(&Identifier, &CodeFor)> {
    match next {
        Next::Send {
            code:
                Step::Code {
                    identifier,
                    purpose,
                    ..
                },
            ..
        } => Some((identifier, purpose)),
        _ => None,
    }
}

#[test]
fn a_phone_at_loa1_gets_a_code_whether_or_not_it_has_an_account() {
    for known in [None, Some(account(false)), Some(account(true))] {
        let next = identified(phone(), known, &policy(Acr::Phone));
        assert_eq!(code_step(&next), Some((&phone(), &CodeFor::SignIn)));
    }
}

#[test]
fn a_password_is_asked_for_at_loa2_and_for_every_email() {
    let next = identified(phone(), Some(account(true)), &policy(Acr::Password));
    assert!(matches!(next, Next::Go(Step::Password { proof: None, .. })));
    let mut with_email = account(true);
    with_email.email = Some(email());
    let next = identified(email(), Some(with_email), &policy(Acr::Phone));
    assert!(matches!(next, Next::Go(Step::Password { .. })));
    // An unknown email is not told apart from a known one without a password: a code.
    let next = identified(email(), None, &policy(Acr::Phone));
    assert_eq!(code_step(&next), Some((&email(), &CodeFor::SignIn)));
}

#[test]
fn without_sms_a_phone_needs_a_password() {
    let mut p = policy(Acr::Phone);
    p.sms = SmsPin::Disallow;
    let next = identified(phone(), Some(account(true)), &p);
    assert!(matches!(next, Next::Go(Step::Password { .. })));
    let next = identified(phone(), None, &p);
    assert_eq!(
        next,
        Next::Tell(Step::Identifier, Notice::new("err-no-sms"))
    );
}

#[test]
fn a_right_code_signs_in_registers_or_asks_for_a_password() {
    let loa1 = policy(Acr::Phone);
    let loa2 = policy(Acr::Password);
    assert_eq!(
        code_verified(
            phone(),
            Proof::of_code(&phone()),
            false,
            Some(account(false)),
            &loa1
        ),
        Next::Done(Done {
            account_id: "acc-1".into(),
            acr: Acr::Phone,
            amr: vec![Amr::Sms],
        })
    );
    assert_eq!(
        code_verified(phone(), Proof::of_code(&phone()), false, None, &loa1),
        Next::Register(phone(), Proof::Sms)
    );
    assert!(matches!(
        code_verified(
            phone(),
            Proof::of_code(&phone()),
            false,
            Some(account(true)),
            &loa2
        ),
        Next::Go(Step::Password {
            proof: Some(Proof::Sms),
            ..
        })
    ));
    assert!(matches!(
        code_verified(email(), Proof::of_code(&email()), false, None, &loa1),
        Next::Go(Step::SetPassword {
            proof: Proof::Otp,
            ..
        })
    ));
    // A reset always ends in a new password, even where a code alone would sign in.
    assert!(matches!(
        code_verified(
            phone(),
            Proof::of_code(&phone()),
            true,
            Some(account(true)),
            &loa1
        ),
        Next::Go(Step::SetPassword { .. })
    ));
}

#[test]
fn forgot_is_only_for_the_password_step_and_respects_sms_pin() {
    assert_eq!(forgot(&Step::Identifier, &policy(Acr::Password)), None);
    let step = Step::Password {
        identifier: phone(),
        account_id: "acc-1".into(),
        proof: None,
    };
    let next = forgot(&step, &policy(Acr::Password)).expect("a decision");
    assert_eq!(code_step(&next), Some((&phone(), &CodeFor::Reset)));
    let mut p = policy(Acr::Password);
    p.sms = SmsPin::Disallow;
    assert_eq!(
        forgot(&step, &p),
        Some(Next::Tell(step.clone(), Notice::new("err-no-sms")))
    );
}

#[test]
fn a_detected_number_skips_the_code_at_loa2_unless_forced() {
    let next = detected(phone(), None, &policy(Acr::Password));
    assert!(matches!(
        next,
        Next::Go(Step::SetPassword {
            proof: Proof::Network,
            ..
        })
    ));
    let next = detected(phone(), Some(account(true)), &policy(Acr::Password));
    assert!(matches!(next, Next::Go(Step::Password { proof: None, .. })));
    let mut forced = policy(Acr::Password);
    forced.sms = SmsPin::Force;
    let next = detected(phone(), None, &forced);
    assert!(code_step(&next).is_some());
    let mut login = policy(Acr::Password);
    login.login = true;
    assert!(code_step(&detected(phone(), None, &login)).is_some());
}

#[test]
fn a_first_password_right_after_an_sms_sign_in_needs_no_second_code() {
    let clock = FakeClock::new(1_800_000_000);
    let amr = vec![Amr::Sms];
    let signed = Signed {
        auth_time: clock.now(),
        amr: &amr,
    };
    let loa2 = policy(Acr::Password);
    clock.advance(STEP_UP_PROOF_SECS);
    assert!(matches!(
        step_up(account(false), signed, &loa2, clock.now()),
        Next::Go(Step::SetPassword {
            proof: Proof::Sms,
            ..
        })
    ));
    // A second later the SMS no longer counts: a new code first.
    clock.advance(1);
    let next = step_up(account(false), signed, &loa2, clock.now());
    assert_eq!(code_step(&next), Some((&phone(), &CodeFor::SignIn)));
}

#[test]
fn a_fresh_sms_does_not_count_against_prompt_login_max_age_or_a_password_sign_in() {
    let clock = FakeClock::new(1_800_000_000);
    let sms = vec![Amr::Sms];
    let pwd = vec![Amr::Pwd];
    let at = clock.now();
    clock.advance(60);
    let mut login = policy(Acr::Password);
    login.login = true;
    let mut max_age = policy(Acr::Password);
    max_age.max_age = Some(30);
    for (amr, p) in [
        (&sms, login),
        (&sms, max_age),
        (&pwd, policy(Acr::Password)),
    ] {
        let signed = Signed { auth_time: at, amr };
        let next = step_up(account(false), signed, &p, clock.now());
        assert!(code_step(&next).is_some(), "{next:?}");
    }
}

#[test]
fn step_up_picks_the_phone_for_loa1_and_the_email_for_loa2() {
    let both = Known {
        email: Some(email()),
        ..account(true)
    };
    let signed = Signed {
        auth_time: 0,
        amr: &[],
    };
    let next = step_up(both.clone(), signed, &policy(Acr::Phone), 10_000);
    assert_eq!(code_step(&next), Some((&phone(), &CodeFor::SignIn)));
    let next = step_up(both, signed, &policy(Acr::Password), 10_000);
    assert!(matches!(
        next,
        Next::Go(Step::Password { identifier, .. }) if identifier == email()
    ));
}

#[test]
fn a_step_is_stored_and_read_back_as_it_was() {
    let steps = [
        Step::Identifier,
        Step::Code {
            identifier: email(),
            account_id: Some("acc-1".into()),
            purpose: CodeFor::AddEmail(Finished {
                account_id: "acc-1".into(),
                acr: Acr::Password,
                amr: vec![Amr::Pwd],
                session: None,
            }),
        },
        Step::SetPassword {
            identifier: phone(),
            proof: Proof::Network,
            strength: Some(2),
        },
    ];
    for step in steps {
        let json = serde_json::to_string(&step).expect("serialise");
        let back: Step = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back, step, "{json}");
    }
}
