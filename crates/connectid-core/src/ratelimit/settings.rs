//! The quotas an operator sets (`[rate_limits]`), with their defaults and checks.

use super::*;

/// The quotas, part of the settings (`[rate_limits]`). The defaults suit a public service
/// behind carrier NAT: a handful of tries per person, hundreds per address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitSettings {
    pub password_per_identifier: Quota,
    pub password_per_ip: Quota,
    pub sms_per_identifier: Quota,
    pub sms_per_ip: Quota,
    pub otp_per_identifier: Quota,
    pub otp_per_ip: Quota,
    pub account_creation_per_ip: Quota,
    pub client_auth_failures_per_client: Quota,
    pub client_auth_failures_per_ip: Quota,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            // 10 at once, then one every 90 s: a person who mistypes is never stopped, a
            // guesser gets 960 tries a day at most.
            password_per_identifier: Quota::new(10, 15 * 60),
            password_per_ip: Quota::new(500, 15 * 60),
            // SMS cost money and annoy their recipients.
            sms_per_identifier: Quota::new(5, 60 * 60),
            sms_per_ip: Quota::new(200, 60 * 60),
            otp_per_identifier: Quota::new(10, 15 * 60),
            otp_per_ip: Quota::new(500, 15 * 60),
            account_creation_per_ip: Quota::new(50, 60 * 60),
            client_auth_failures_per_client: Quota::new(20, 5 * 60),
            client_auth_failures_per_ip: Quota::new(200, 5 * 60),
        }
    }
}

impl RateLimitSettings {
    pub fn quota(&self, limit: Limit) -> Quota {
        match limit {
            Limit::PasswordPerIdentifier => self.password_per_identifier,
            Limit::PasswordPerIp => self.password_per_ip,
            Limit::SmsPerIdentifier => self.sms_per_identifier,
            Limit::SmsPerIp => self.sms_per_ip,
            Limit::OtpPerIdentifier => self.otp_per_identifier,
            Limit::OtpPerIp => self.otp_per_ip,
            Limit::AccountCreationPerIp => self.account_creation_per_ip,
            Limit::ClientAuthFailuresPerClient => self.client_auth_failures_per_client,
            Limit::ClientAuthFailuresPerIp => self.client_auth_failures_per_ip,
        }
    }

    /// Refuses quotas of zero, and per-IP quotas stricter than their per-identifier twins
    /// (that would lock out everyone behind a carrier's NAT before any one account).
    pub fn validate(&self) -> Result<(), String> {
        for &l in Limit::ALL {
            self.quota(l).validate(l.id())?;
        }
        for (ip, one) in [
            (Limit::PasswordPerIp, Limit::PasswordPerIdentifier),
            (Limit::SmsPerIp, Limit::SmsPerIdentifier),
            (Limit::OtpPerIp, Limit::OtpPerIdentifier),
            (
                Limit::ClientAuthFailuresPerIp,
                Limit::ClientAuthFailuresPerClient,
            ),
        ] {
            let (a, b) = (self.quota(ip), self.quota(one));
            if a.interval_ms() > b.interval_ms() || a.max < b.max {
                return Err(format!(
                    "{} must be at least as loose as {}",
                    ip.id(),
                    one.id()
                ));
            }
        }
        Ok(())
    }
}
