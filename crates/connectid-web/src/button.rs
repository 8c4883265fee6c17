//! The "Sign in with CONNECT ID" button for services (docs/button.md): three colour
//! schemes, the label in the asked language, as SVG, PNG and a CSS snippet.
//!
//! The SVG is made per request from the translation. The PNGs are pre-rendered from that SVG
//! by `tools/render-buttons.sh` (headless Chromium with the Noto fonts) and compiled in:
//! rasterising 14 scripts at run time would need their fonts and a text shaper in the binary.
//! A test checks that every PNG still has the size of its SVG, so a changed label or layout
//! without re-rendered PNGs fails the build's tests instead of shipping a stale button.

use std::hash::{Hash, Hasher};

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::i18n::{self, LocaleInfo, Translations, escape_html};
use crate::state::AppState;

/// Button assets change only with a release (a translation or the design), so browsers and
/// CDNs may keep them a long time; the ETag makes a check after that cheap.
const CACHE: &str = "public, max-age=2592000";

/// Height of the button in CSS pixels (the PNGs are twice as large, for high-density screens).
pub const HEIGHT: u32 = 40;
const FONT_PX: f64 = 16.0;
/// Left of the mark, the mark itself, the gap to the text, and right of the text (mirrored for
/// right-to-left languages).
const PAD_MARK: u32 = 12;
const MARK: u32 = 20;
const GAP: u32 = 10;
const PAD_TEXT: u32 = 16;

const FONTS: &str = "system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans Bengali',\
'Noto Sans Myanmar','Noto Sans Thai','Noto Nastaliq Urdu','Noto Sans CJK SC',sans-serif";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Dark,
    Light,
    Blue,
}

/// The colours of one scheme. Text and mark contrast are checked by a test (WCAG 2.2 AA:
/// 4.5:1 for text, 3:1 for the mark and for the light button's border against white).
#[derive(Debug, Clone, Copy)]
pub struct Colours {
    pub background: &'static str,
    pub text: &'static str,
    pub mark: &'static str,
    /// A light grey button on a white page needs an edge to be seen as a button.
    pub border: Option<&'static str>,
}

impl Scheme {
    pub const ALL: [Scheme; 3] = [Self::Dark, Self::Light, Self::Blue];

    pub fn name(self) -> &'static str {
        match self {
            Self::Dark => "dark",
            Self::Light => "light",
            Self::Blue => "blue",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    pub fn colours(self) -> Colours {
        match self {
            Self::Dark => Colours {
                background: "#2d2f33",
                text: "#ffffff",
                mark: "#ffffff",
                border: None,
            },
            Self::Light => Colours {
                background: "#eceef1",
                text: "#1b1b1f",
                mark: "#0a5c9e",
                border: Some("#6f747c"),
            },
            Self::Blue => Colours {
                background: "#0a5c9e",
                text: "#ffffff",
                mark: "#ffffff",
                border: None,
            },
        }
    }
}

/// The label's width in em, estimated per script from Noto Sans SemiBold's advances (measured
/// in Chromium for the 14 labels). Other fonts differ by a few percent, which the centred
/// text and the padding absorb; `tools/render-buttons.sh` checks the real fit with Noto.
fn text_em(label: &str) -> f64 {
    label
        .chars()
        .map(|c| match u32::from(c) {
            0x20 => 0.27,
            0x0300..=0x036F => 0.0,
            0x0400..=0x04FF => 0.63,
            0x0600..=0x06FF => 0.57,
            0x0980..=0x09FF => 0.56,
            0x0E00..=0x0E7F => 0.40,
            0x1000..=0x109F => 0.50,
            0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFF60 => 1.0,
            _ if c.is_ascii_uppercase() => 0.67,
            _ if "iljftrI.,:;'!|".contains(c) => 0.32,
            _ => 0.59,
        })
        .sum()
}

/// The button's width in CSS pixels for a label.
pub fn width(label: &str) -> u32 {
    // Whole pixels, so that the PNG (twice the size) has exactly twice the SVG's width.
    let text = (text_em(label) * FONT_PX).ceil() as u32;
    PAD_MARK + MARK + GAP + text + PAD_TEXT
}

/// The button as an SVG document. The label comes from our own translations but is escaped
/// all the same: it is the one piece of text that is not a constant.
pub fn svg(scheme: Scheme, label: &str, locale: &LocaleInfo) -> String {
    let c = scheme.colours();
    let w = width(label);
    let h = HEIGHT;
    let rtl = locale.rtl;
    // The mark leads in reading order: left in LTR, right in RTL. The text is centred in what
    // is left, so an estimate a little off either way still looks balanced.
    let mark_x = if rtl { w - PAD_MARK - MARK } else { PAD_MARK };
    let text_start = if rtl { PAD_TEXT } else { PAD_MARK + MARK + GAP };
    let text_end = if rtl {
        w - PAD_MARK - MARK - GAP
    } else {
        w - PAD_TEXT
    };
    let text_x = f64::from(text_start + text_end) / 2.0;
    let label = escape_html(label);
    let (bg, fg, mark) = (c.background, c.text, c.mark);
    let rect = match c.border {
        Some(b) => format!(
            "x=\"0.5\" y=\"0.5\" width=\"{}\" height=\"{}\" rx=\"5.5\" fill=\"{bg}\" stroke=\"{b}\"",
            w - 1,
            h - 1
        ),
        None => format!("width=\"{w}\" height=\"{h}\" rx=\"6\" fill=\"{bg}\""),
    };
    let dir = if rtl { "rtl" } else { "ltr" };
    let lang = locale.code;
    // The "C" of the mark: a ring open to the right (47.1 = its circumference; the dash starts
    // half a gap below the opening), and a dot in the middle.
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{label}\" xml:lang=\"{lang}\">\
<title>{label}</title>\
<rect {rect}/>\
<g transform=\"translate({mark_x} 10)\" fill=\"none\">\
<circle cx=\"10\" cy=\"10\" r=\"7.5\" stroke=\"{mark}\" stroke-width=\"3\" stroke-linecap=\"round\" \
stroke-dasharray=\"35 12.12\" transform=\"rotate(46 10 10)\"/>\
<circle cx=\"10\" cy=\"10\" r=\"2.75\" fill=\"{mark}\"/>\
</g>\
<text x=\"{text_x}\" y=\"25.5\" fill=\"{fg}\" font-family=\"{FONTS}\" font-size=\"{FONT_PX}\" \
font-weight=\"600\" text-anchor=\"middle\" direction=\"{dir}\">{label}</text>\
</svg>\n"
    )
}

/// The CSS snippet for a button made of HTML (`docs/button.md` shows the markup). The mark is
/// drawn with borders, so the snippet needs no image and no `img-src` in the service's CSP.
pub const CSS: &str = include_str!("../assets/button.css");

macro_rules! pngs {
    ($($code:literal),* $(,)?) => {
        &[$(
            ($code, [
                include_bytes!(concat!("../assets/button/dark-", $code, ".png")).as_slice(),
                include_bytes!(concat!("../assets/button/light-", $code, ".png")).as_slice(),
                include_bytes!(concat!("../assets/button/blue-", $code, ".png")).as_slice(),
            ]),
        )*]
    };
}

/// The pre-rendered PNGs (twice the SVG's size), per language, in `Scheme::ALL` order.
static PNGS: &[(&str, [&[u8]; 3])] = pngs!(
    "en", "bn", "bg", "my", "zh-Hans", "da", "id", "ms", "cnr", "nb", "sr-Latn", "sv", "th", "ur"
);

fn png(scheme: Scheme, lang: &str) -> Option<&'static [u8]> {
    let i = Scheme::ALL.iter().position(|s| *s == scheme)?;
    PNGS.iter()
        .find(|(code, _)| *code == lang)
        .map(|(_, p)| p[i])
}

/// The language a button is asked for: `?lang=` if supported, else English. Deliberately not
/// the browser's language: a service puts the button on its own page in its own language,
/// and a cached asset must not vary by who fetched it first.
fn asked_lang(query: Option<&str>) -> &'static LocaleInfo {
    let lang = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| i18n::supported(&v))
        .unwrap_or(i18n::DEFAULT);
    i18n::info(lang)
}

/// `/assets/button/{dark|light|blue}.{svg|png}?lang=xx`.
pub async fn asset(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    answer(&state.pages.translations, &file, query.as_deref(), &headers)
}

/// The answer for a button file, apart from the router (tested directly).
pub fn answer(
    translations: &Translations,
    file: &str,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Response {
    let Some((scheme, ext)) = file
        .rsplit_once('.')
        .and_then(|(s, e)| Some((Scheme::parse(s)?, e)))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let locale = asked_lang(query);
    let label = translations.format(locale.code, "signin-button", &[]);
    match ext {
        "svg" => cached(
            svg(scheme, &label, locale).into_bytes(),
            "image/svg+xml; charset=utf-8",
            headers,
        ),
        "png" => match png(scheme, locale.code) {
            Some(bytes) => cached(bytes.to_vec(), "image/png", headers),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `/assets/button.css`.
pub async fn css(headers: HeaderMap) -> Response {
    cached(CSS.as_bytes().to_vec(), "text/css; charset=utf-8", &headers)
}

fn cached(body: Vec<u8>, content_type: &'static str, headers: &HeaderMap) -> Response {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    let etag = format!("\"{}-{:016x}\"", env!("CARGO_PKG_VERSION"), hasher.finish());
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut r = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        body.into_response()
    };
    let h = r.headers_mut();
    if !fresh {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    // An SVG opened on its own is a document: it gets no script, no style, nothing fetched.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    r
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::i18n::LOCALES;

    async fn body(r: Response) -> String {
        let b = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
        String::from_utf8(b.to_vec()).unwrap()
    }

    fn luminance(hex: &str) -> f64 {
        let hex = hex.trim_start_matches('#');
        let channel = |i: usize| {
            let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn every_scheme_has_accessible_contrast() {
        for s in Scheme::ALL {
            let c = s.colours();
            let text = contrast(c.text, c.background);
            assert!(text >= 4.5, "{}: text contrast {text:.2}", s.name());
            let mark = contrast(c.mark, c.background);
            assert!(mark >= 3.0, "{}: mark contrast {mark:.2}", s.name());
            // A button must stand out from a white page: by its fill, or else by its border.
            let edge = c.border.map_or(contrast(c.background, "#ffffff"), |b| {
                contrast(b, "#ffffff")
            });
            assert!(edge >= 3.0, "{}: edge contrast {edge:.2}", s.name());
        }
    }

    /// The few well-formedness rules a broken SVG would break first: one root, balanced
    /// tags, nothing unescaped in text or attributes.
    fn looks_like_xml(s: &str) -> bool {
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = s.trim();
        while let Some(start) = rest.find('<') {
            let text = &rest[..start];
            if text.contains('>') || (text.contains('&') && !entities_ok(text)) {
                return false;
            }
            let Some(end) = rest[start..].find('>') else {
                return false;
            };
            let tag = &rest[start + 1..start + end];
            if tag.contains('<') {
                return false;
            }
            if let Some(name) = tag.strip_prefix('/') {
                if stack.pop() != Some(name.trim()) {
                    return false;
                }
            } else if !tag.ends_with('/') {
                let name = tag.split_whitespace().next().unwrap_or("");
                stack.push(name);
            }
            if !tag.matches('"').count().is_multiple_of(2)
                || (tag.contains('&') && !entities_ok(tag))
            {
                return false;
            }
            rest = &rest[start + end + 1..];
        }
        stack.is_empty() && rest.trim().is_empty()
    }

    fn entities_ok(s: &str) -> bool {
        s.split('&').skip(1).all(|p| {
            ["amp;", "lt;", "gt;", "quot;", "#39;"]
                .iter()
                .any(|e| p.starts_with(e))
        })
    }

    #[test]
    fn svg_escapes_the_label_and_mirrors_for_rtl() {
        let en = i18n::info("en");
        let s = svg(Scheme::Blue, "Sign <in> & \"go\"", en);
        assert!(looks_like_xml(&s), "{s}");
        assert!(s.contains("Sign &lt;in&gt; &amp; &quot;go&quot;"));
        assert!(!s.contains("<in>"));
        assert!(!looks_like_xml("<svg><text>a<b</text></svg>"));
        let ur = i18n::info("ur");
        let r = svg(Scheme::Dark, "x", ur);
        assert!(r.contains("direction=\"rtl\""));
        assert!(r.contains("xml:lang=\"ur\""));
        // The mark sits at the right edge in Urdu, the left edge otherwise.
        let w = width("x");
        assert!(r.contains(&format!("translate({} 10)", w - PAD_MARK - MARK)));
        assert!(s.contains(&format!("translate({PAD_MARK} 10)")));
    }

    #[test]
    fn every_language_and_scheme_answers_svg_and_png() {
        let t = Translations::load();
        let none = HeaderMap::new();
        for l in LOCALES {
            for s in Scheme::ALL {
                let q = format!("lang={}", l.code);
                let r = answer(&t, &format!("{}.svg", s.name()), Some(&q), &none);
                assert_eq!(r.status(), StatusCode::OK);
                assert_eq!(
                    r.headers()[header::CONTENT_TYPE],
                    "image/svg+xml; charset=utf-8"
                );
                let r = answer(&t, &format!("{}.png", s.name()), Some(&q), &none);
                assert_eq!(r.status(), StatusCode::OK);
                assert_eq!(r.headers()[header::CONTENT_TYPE], "image/png");
            }
        }
        for bad in ["red.svg", "dark.gif", "dark", "dark.svg.png", ".svg"] {
            assert_eq!(
                answer(&t, bad, None, &none).status(),
                StatusCode::NOT_FOUND,
                "{bad}"
            );
        }
    }

    /// The PNGs are made from the SVGs by a script; a changed label or layout must be
    /// re-rendered (`tools/render-buttons.sh`), and this is where that is noticed.
    #[test]
    fn every_png_is_twice_its_svg() {
        let t = Translations::load();
        assert_eq!(PNGS.len(), LOCALES.len());
        for l in LOCALES {
            let label = t.format(l.code, "signin-button", &[]);
            let w = width(&label);
            for s in Scheme::ALL {
                let p = png(s, l.code).expect("a PNG for every language");
                assert_eq!(&p[..8], b"\x89PNG\r\n\x1a\n", "{} {}", s.name(), l.code);
                let pw = u32::from_be_bytes(p[16..20].try_into().unwrap());
                let ph = u32::from_be_bytes(p[20..24].try_into().unwrap());
                assert_eq!(
                    (pw, ph),
                    (2 * w, 2 * HEIGHT),
                    "{}-{}.png is stale: run tools/render-buttons.sh",
                    s.name(),
                    l.code
                );
            }
        }
    }

    #[tokio::test]
    async fn unknown_language_falls_back_to_english_and_etag_revalidates() {
        let t = Translations::load();
        let none = HeaderMap::new();
        let fallback = body(answer(&t, "light.svg", Some("lang=xx"), &none)).await;
        let english = body(answer(&t, "light.svg", None, &none)).await;
        assert_eq!(fallback, english);
        assert!(english.contains(">Sign in with CONNECT ID</text>"));
        let nb = body(answer(&t, "light.svg", Some("lang=nb-NO"), &none)).await;
        assert!(nb.contains(">Logg inn med CONNECT ID</text>"), "{nb}");
        let r = answer(&t, "blue.png", Some("lang=ur"), &none);
        assert!(
            r.headers()[header::CACHE_CONTROL]
                .to_str()
                .unwrap()
                .contains("max-age=")
        );
        let etag = r.headers()[header::ETAG].clone();
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(
            answer(&t, "blue.png", Some("lang=ur"), &h).status(),
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(
            answer(&t, "blue.png", Some("lang=en"), &h).status(),
            StatusCode::OK
        );
    }
}
