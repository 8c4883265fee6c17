//! Request parameters from a query string or a form body, with duplicates detected: OAuth
//! says a parameter must not appear twice, and silently picking one is how attacks start.

use std::collections::HashMap;

#[derive(Debug, Default, Clone)]
pub struct Params {
    map: HashMap<String, String>,
    /// The first parameter that appeared more than once.
    pub duplicate: Option<String>,
}

impl Params {
    pub fn parse(raw: &[u8]) -> Self {
        let mut p = Params::default();
        for (k, v) in form_urlencoded::parse(raw) {
            if p.map.contains_key(k.as_ref()) {
                p.duplicate.get_or_insert_with(|| k.to_string());
                continue;
            }
            p.map.insert(k.into_owned(), v.into_owned());
        }
        p
    }

    /// A parameter; an empty value counts as absent, as RFC 6749 §3.1 says.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.map
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The parameters as a form body again, without `names` (a client's credentials).
    pub fn encode_without(&self, names: &[&str]) -> String {
        let mut keys: Vec<&String> = self
            .map
            .keys()
            .filter(|k| !names.contains(&k.as_str()))
            .collect();
        keys.sort();
        let mut out = form_urlencoded::Serializer::new(String::new());
        for k in keys {
            out.append_pair(k, &self.map[k]);
        }
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_noticed_and_empty_is_absent() {
        let p = Params::parse(b"a=1&b=&a=2&c=x%20y");
        assert_eq!(p.duplicate.as_deref(), Some("a"));
        assert_eq!(p.get("a"), Some("1"));
        assert_eq!(p.get("b"), None);
        assert_eq!(p.get("c"), Some("x y"));
    }
}
