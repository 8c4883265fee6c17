//! Checking a loaded config: every value that can be wrong is refused here, with its key,
//! before anything starts; and the derived values (`listen_addr`, proxies, cookie domain).

use super::*;

impl Config {
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.listen_addr()?;
        let issuer = &self.issuer;
        if !(issuer.starts_with("https://") || issuer.starts_with("http://"))
            || issuer.ends_with('/')
            || issuer.contains(['?', '#', ' '])
            || issuer.split("://").nth(1).is_none_or(str::is_empty)
        {
            return Err(err(
                "issuer",
                "must be an http(s) URL without a trailing slash, query or fragment",
            ));
        }
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://"))
        {
            return Err(err(
                "database_url",
                "must start with sqlite:// or postgres://",
            ));
        }
        if !self.redis_url.is_empty() && !self.redis_url.starts_with("redis://") {
            return Err(err("redis_url", "must start with redis://"));
        }
        self.phone_region()?;
        self.sms_policy()?;
        self.subscriptions()?;
        self.firebase()?;
        self.fraud_mode()?;
        if !matches!(self.telemetry.log_format.as_str(), "text" | "json") {
            return Err(err("telemetry.log_format", "must be \"text\" or \"json\""));
        }
        let otlp = &self.telemetry.otlp_endpoint;
        if !(otlp.is_empty() || otlp.starts_with("http://") || otlp.starts_with("https://")) {
            return Err(err(
                "telemetry.otlp_endpoint",
                "must be an http:// or https:// URL (OTLP over HTTP)",
            ));
        }
        if self.audit.retention_days == 0 {
            return Err(err("audit.retention_days", "must be at least 1"));
        }
        if self.password.min_score > 4 {
            return Err(err("password.min_score", "must be 0 to 4"));
        }
        self.rate_limits
            .validate()
            .map_err(|e| err("rate_limits", e))?;
        match self.sms.provider.as_str() {
            "outbox" | "log" => {}
            "webhook" => {
                let url = &self.sms.webhook_url;
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(err("sms.webhook_url", "must be an http(s) URL"));
                }
                if self.sms.webhook_secret.len() < 16 {
                    return Err(err(
                        "sms.webhook_secret",
                        "must be at least 16 characters (it signs every request)",
                    ));
                }
                connectid_core::webhooks::WebhookKey::from_secret(self.sms.webhook_secret.expose())
                    .map_err(|e| err("sms.webhook_secret", e))?;
            }
            "smpp" => {
                use connectid_web::smpp;
                smpp::SmppUrl::parse(self.sms.smpp_url.expose())
                    .map_err(|e| err("sms.smpp_url", e))?;
                smpp::check_source(&self.sms.smpp_source).map_err(|e| err("sms.smpp_source", e))?;
            }
            other => {
                return Err(err(
                    "sms.provider",
                    format!("`{other}` is not one of outbox, webhook, smpp, log"),
                ));
            }
        }
        match self.email.provider.as_str() {
            "outbox" | "log" => {}
            "smtp" => {
                let url = &self.email.smtp_url;
                if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                    return Err(err("email.smtp_url", "must start with smtp:// or smtps://"));
                }
                if self.email.from.parse::<lettre::message::Mailbox>().is_err() {
                    return Err(err(
                        "email.from",
                        "must be an address like \"CONNECT ID <id@example.com>\"",
                    ));
                }
            }
            other => {
                return Err(err(
                    "email.provider",
                    format!("`{other}` is not one of outbox, smtp, log"),
                ));
            }
        }
        if self.sms.provider == "outbox" && self.sms.outbox.is_empty() {
            return Err(err("sms.outbox", "must name a file"));
        }
        if self.email.provider == "outbox" && self.email.outbox.is_empty() {
            return Err(err("email.outbox", "must name a file"));
        }
        self.trusted_proxies()?;
        self.forwarded_proxies()?;
        for (key, v) in [
            ("http.header_read_timeout", self.http.header_read_timeout),
            ("http.request_timeout", self.http.request_timeout),
            ("http.shutdown_grace", self.http.shutdown_grace),
        ] {
            if !(1..=3600).contains(&v) {
                return Err(err(key, "must be 1 to 3600 seconds"));
            }
        }
        if self.http.max_connections == 0 {
            return Err(err("http.max_connections", "must be at least 1"));
        }
        let header = &self.mobile_network.msisdn_header;
        if header.is_empty()
            || !header
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(err(
                "mobile_network.msisdn_header",
                "must be an HTTP header name",
            ));
        }
        if !self.admin.token.is_empty() && self.admin.token.len() < 16 {
            return Err(err("admin.token", "must be at least 16 characters"));
        }
        self.cookie_domain()?;
        if !self.metrics.token.is_empty() && self.metrics.token.len() < 16 {
            return Err(err("metrics.token", "must be at least 16 characters"));
        }
        Ok(())
    }

    /// The `[http]` limits of the server loop.
    pub fn http_limits(&self) -> crate::http_server::Limits {
        use std::time::Duration;
        crate::http_server::Limits {
            header_read_timeout: Duration::from_secs(self.http.header_read_timeout),
            request_timeout: Duration::from_secs(self.http.request_timeout),
            max_connections: self.http.max_connections,
            shutdown_grace: Duration::from_secs(self.http.shutdown_grace),
        }
    }

    /// `[fraud] mode`.
    pub fn fraud_mode(&self) -> Result<connectid_core::fraud::FraudMode, ConfigError> {
        self.fraud.mode.parse().map_err(|e| err("fraud.mode", e))
    }

    /// `[session] cookie_domain` as the cookie wants it (no leading dot, lower case), checked
    /// to be the issuer's host or a parent of it: a browser drops any other.
    pub fn cookie_domain(&self) -> Result<Option<String>, ConfigError> {
        let d = self
            .session
            .cookie_domain
            .trim_start_matches('.')
            .to_ascii_lowercase();
        if d.is_empty() {
            return Ok(None);
        }
        let key = "session.cookie_domain";
        if !d
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            || d.starts_with('-')
            || d.contains("..")
        {
            return Err(err(key, "must be a domain name like example.com"));
        }
        let rest = self.issuer.split("://").nth(1).unwrap_or("");
        let authority = rest.split('/').next().unwrap_or("");
        let host = authority
            .rsplit_once(':')
            .filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit()))
            .map_or(authority, |(h, _)| h)
            .to_ascii_lowercase();
        if host != d && !host.ends_with(&format!(".{d}")) {
            return Err(err(
                key,
                "must be the issuer's host or a parent domain of it",
            ));
        }
        Ok(Some(d))
    }

    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.listen.parse().map_err(|_| {
            err(
                "listen",
                format!("`{}` is not an address like 127.0.0.1:8080", self.listen),
            )
        })
    }

    /// `[[webhooks]]`, checked; the first bad one named by its place.
    pub fn subscriptions(&self) -> Result<Vec<connectid_core::events::Subscription>, ConfigError> {
        self.webhooks
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let s = connectid_core::events::Subscription {
                    url: w.url.clone(),
                    secret: w.secret.expose().to_string(),
                    events: w.events.clone(),
                };
                s.validate()
                    .map_err(|m| err(&format!("webhooks[{i}]"), m))?;
                Ok(s)
            })
            .collect()
    }

    /// `[camara]`, checked: URLs, the client, and at least one country.
    pub fn camara(&self) -> Result<Option<connectid_web::CamaraSettings>, ConfigError> {
        let Some(c) = &self.camara else {
            return Ok(None);
        };
        for (key, url) in [
            ("camara.issuer", &c.issuer),
            ("camara.api_base", &c.api_base),
        ] {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(err(key, "must be an http(s) URL"));
            }
        }
        if c.client_id.is_empty() || c.client_secret.expose().is_empty() {
            return Err(err(
                "camara.client_id",
                "and camara.client_secret are both needed",
            ));
        }
        let mut countries = Vec::new();
        for country in &c.countries {
            countries.push(country.parse().map_err(|e| err("camara.countries", e))?);
        }
        if countries.is_empty() {
            return Err(err(
                "camara.countries",
                "must name at least one country, such as \"NO\"",
            ));
        }
        Ok(Some(connectid_web::CamaraSettings {
            issuer: c.issuer.trim_end_matches('/').to_string(),
            client_id: c.client_id.clone(),
            client_secret: c.client_secret.expose().to_string(),
            api_base: c.api_base.clone(),
            countries,
        }))
    }

    /// `[import.firebase]`, read.
    pub fn firebase(
        &self,
    ) -> Result<Option<connectid_core::password::legacy::FirebaseParams>, ConfigError> {
        self.import
            .firebase
            .as_ref()
            .map(|f| {
                connectid_core::password::legacy::FirebaseParams::new(
                    f.signer_key.expose(),
                    &f.salt_separator,
                    f.rounds,
                    f.mem_cost,
                )
                .map_err(|m| err("import.firebase", m))
            })
            .transpose()
    }

    pub fn phone_region(&self) -> Result<PhoneRegion, ConfigError> {
        self.default_phone_region
            .parse()
            .map_err(|e| err("default_phone_region", e))
    }

    /// Where SMS may go: `[sms] allowed_countries` (the home region when empty) and
    /// `refused_number_types`.
    pub fn sms_policy(&self) -> Result<SmsPolicy, ConfigError> {
        let mut allowed_countries = Vec::new();
        for c in &self.sms.allowed_countries {
            allowed_countries.push(c.parse().map_err(|e| err("sms.allowed_countries", e))?);
        }
        if allowed_countries.is_empty() {
            allowed_countries.push(self.phone_region()?);
        }
        let refused_number_types = self
            .sms
            .refused_number_types
            .iter()
            .map(|t| t.parse().map_err(|e| err("sms.refused_number_types", e)))
            .collect::<Result<_, _>>()?;
        Ok(SmsPolicy {
            allowed_countries,
            refused_number_types,
            daily_budget: self.sms.daily_budget,
        })
    }

    /// The operator's proxies: the only peers whose `msisdn_header` is believed.
    pub fn trusted_proxies(&self) -> Result<Vec<Cidr>, ConfigError> {
        cidrs(
            &self.mobile_network.trusted_proxies,
            "mobile_network.trusted_proxies",
        )
    }

    /// The reverse proxies whose `X-Forwarded-For` names the client's address.
    pub fn forwarded_proxies(&self) -> Result<Vec<Cidr>, ConfigError> {
        cidrs(&self.http.forwarded_proxies, "http.forwarded_proxies")
    }
}

pub(super) fn cidrs(list: &[String], key: &str) -> Result<Vec<Cidr>, ConfigError> {
    list.iter()
        .map(|c| c.parse().map_err(|e| err(key, e)))
        .collect()
}
