//! My account and other pages behind a sign-in, driven as a person would: through the
//! sign-in pages when they come, then the page's own forms.

use super::{Answer, Browser, Server, attr, form_action, step};

/// Follows redirects and fills in the sign-in pages (as `who`, with `password`) until a page
/// that is not a sign-in step comes back.
pub async fn open(s: &Server, b: &mut Browser, path: &str, who: &str, password: &str) -> Answer {
    let mut a = b.get(&format!("{}{path}", s.base)).await;
    for _ in 0..20 {
        if let Some(loc) = a.location.clone() {
            let url = if loc.starts_with("http") {
                loc
            } else {
                format!("{}{loc}", s.base)
            };
            assert!(url.starts_with(&s.base), "left the server: {url}");
            a = b.get(&url).await;
            continue;
        }
        let st = step(&a.body);
        let fields: Vec<(&str, String)> = match st.as_str() {
            "identifier" => vec![("identifier", who.to_string())],
            "password" => vec![("password", password.to_string())],
            "code" if form_action(&a.body).starts_with("/signin/") => {
                vec![("code", s.last_code(who))]
            }
            "set-password" => vec![("new_password", password.to_string())],
            _ => return a,
        };
        let csrf = attr(&a.body, "name=\"csrf\"", "value");
        let action = format!("{}{}", s.base, form_action(&a.body));
        let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
        a = b.post(&action, &form).await;
    }
    panic!("did not arrive: {}", a.body);
}

/// Posts a form of the current account page (its CSRF token) and follows the answer.
pub async fn post_page(
    s: &Server,
    b: &mut Browser,
    page: &Answer,
    action: &str,
    form: &[(&str, &str)],
) -> Answer {
    let csrf = attr(&page.body, "name=\"csrf\"", "value");
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(form);
    let mut a = b.post(&format!("{}{action}", s.base), &all).await;
    while let Some(loc) = a.location.clone() {
        a = b.get(&format!("{}{loc}", s.base)).await;
    }
    a
}
