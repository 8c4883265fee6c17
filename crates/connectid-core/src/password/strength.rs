//! Password strength: zxcvbn's 0–4 score with its feedback as stable keys, so that the web
//! layer can translate them (the English sentences zxcvbn carries never reach a page).

use serde::Serialize;

use super::{MAX_BYTES, MIN_LEN, common};

/// What a strength meter shows: a score and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Strength {
    /// 0 (guessed at once) to 4 (very hard to guess), zxcvbn's scale.
    pub score: u8,
    /// The main problem, if there is one worth naming.
    pub warning: Option<Warning>,
    /// What would make it better, most useful first.
    pub suggestions: Vec<Suggestion>,
}

/// The main weakness of a password. [`Warning::id`] gives a stable key for translations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Warning {
    StraightRowsOfKeys,
    ShortKeyboardPatterns,
    RepeatedCharacters,
    RepeatedPatterns,
    Top10Password,
    Top100Password,
    /// On zxcvbn's list or on ours of 100,000+ common and breached passwords.
    CommonPassword,
    SimilarToCommonPassword,
    Sequences,
    RecentYears,
    SingleWord,
    Dates,
    NamesByThemselves,
    CommonNames,
    /// It is the account's phone number, e-mail address or a part of one.
    SameAsIdentifier,
}

impl Warning {
    /// A stable key, e.g. `"common-password"`; the web layer maps it to a message id.
    pub fn id(self) -> &'static str {
        match self {
            Self::StraightRowsOfKeys => "straight-rows-of-keys",
            Self::ShortKeyboardPatterns => "short-keyboard-patterns",
            Self::RepeatedCharacters => "repeated-characters",
            Self::RepeatedPatterns => "repeated-patterns",
            Self::Top10Password => "top10-password",
            Self::Top100Password => "top100-password",
            Self::CommonPassword => "common-password",
            Self::SimilarToCommonPassword => "similar-to-common-password",
            Self::Sequences => "sequences",
            Self::RecentYears => "recent-years",
            Self::SingleWord => "single-word",
            Self::Dates => "dates",
            Self::NamesByThemselves => "names-by-themselves",
            Self::CommonNames => "common-names",
            Self::SameAsIdentifier => "same-as-identifier",
        }
    }

    /// Every warning, for a test that each has a translation.
    pub const ALL: &'static [Warning] = &[
        Self::StraightRowsOfKeys,
        Self::ShortKeyboardPatterns,
        Self::RepeatedCharacters,
        Self::RepeatedPatterns,
        Self::Top10Password,
        Self::Top100Password,
        Self::CommonPassword,
        Self::SimilarToCommonPassword,
        Self::Sequences,
        Self::RecentYears,
        Self::SingleWord,
        Self::Dates,
        Self::NamesByThemselves,
        Self::CommonNames,
        Self::SameAsIdentifier,
    ];
}

/// A way to make a password stronger. [`Suggestion::id`] gives a stable key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Suggestion {
    UseAFewWords,
    NoNeedForSymbols,
    AddAnotherWord,
    CapitalizationDoesNotHelp,
    AllUppercaseDoesNotHelp,
    ReversedWordsDoNotHelp,
    PredictableSubstitutions,
    LongerKeyboardPattern,
    AvoidRepeats,
    AvoidSequences,
    AvoidRecentYears,
    AvoidYearsAssociatedWithYou,
    AvoidDatesAssociatedWithYou,
}

impl Suggestion {
    /// A stable key, e.g. `"add-another-word"`; the web layer maps it to a message id.
    pub fn id(self) -> &'static str {
        match self {
            Self::UseAFewWords => "use-a-few-words",
            Self::NoNeedForSymbols => "no-need-for-symbols",
            Self::AddAnotherWord => "add-another-word",
            Self::CapitalizationDoesNotHelp => "capitalization-does-not-help",
            Self::AllUppercaseDoesNotHelp => "all-uppercase-does-not-help",
            Self::ReversedWordsDoNotHelp => "reversed-words-do-not-help",
            Self::PredictableSubstitutions => "predictable-substitutions",
            Self::LongerKeyboardPattern => "longer-keyboard-pattern",
            Self::AvoidRepeats => "avoid-repeats",
            Self::AvoidSequences => "avoid-sequences",
            Self::AvoidRecentYears => "avoid-recent-years",
            Self::AvoidYearsAssociatedWithYou => "avoid-years-associated-with-you",
            Self::AvoidDatesAssociatedWithYou => "avoid-dates-associated-with-you",
        }
    }

    /// Every suggestion, for a test that each has a translation.
    pub const ALL: &'static [Suggestion] = &[
        Self::UseAFewWords,
        Self::NoNeedForSymbols,
        Self::AddAnotherWord,
        Self::CapitalizationDoesNotHelp,
        Self::AllUppercaseDoesNotHelp,
        Self::ReversedWordsDoNotHelp,
        Self::PredictableSubstitutions,
        Self::LongerKeyboardPattern,
        Self::AvoidRepeats,
        Self::AvoidSequences,
        Self::AvoidRecentYears,
        Self::AvoidYearsAssociatedWithYou,
        Self::AvoidDatesAssociatedWithYou,
    ];
}

fn warning(w: zxcvbn::feedback::Warning) -> Warning {
    use zxcvbn::feedback::Warning as Z;
    match w {
        Z::StraightRowsOfKeysAreEasyToGuess => Warning::StraightRowsOfKeys,
        Z::ShortKeyboardPatternsAreEasyToGuess => Warning::ShortKeyboardPatterns,
        Z::RepeatsLikeAaaAreEasyToGuess => Warning::RepeatedCharacters,
        Z::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => Warning::RepeatedPatterns,
        Z::ThisIsATop10Password => Warning::Top10Password,
        Z::ThisIsATop100Password => Warning::Top100Password,
        Z::ThisIsACommonPassword => Warning::CommonPassword,
        Z::ThisIsSimilarToACommonlyUsedPassword => Warning::SimilarToCommonPassword,
        Z::SequencesLikeAbcAreEasyToGuess => Warning::Sequences,
        Z::RecentYearsAreEasyToGuess => Warning::RecentYears,
        Z::AWordByItselfIsEasyToGuess => Warning::SingleWord,
        Z::DatesAreOftenEasyToGuess => Warning::Dates,
        Z::NamesAndSurnamesByThemselvesAreEasyToGuess => Warning::NamesByThemselves,
        Z::CommonNamesAndSurnamesAreEasyToGuess => Warning::CommonNames,
    }
}

fn suggestion(s: zxcvbn::feedback::Suggestion) -> Suggestion {
    use zxcvbn::feedback::Suggestion as Z;
    match s {
        Z::UseAFewWordsAvoidCommonPhrases => Suggestion::UseAFewWords,
        Z::NoNeedForSymbolsDigitsOrUppercaseLetters => Suggestion::NoNeedForSymbols,
        Z::AddAnotherWordOrTwo => Suggestion::AddAnotherWord,
        Z::CapitalizationDoesntHelpVeryMuch => Suggestion::CapitalizationDoesNotHelp,
        Z::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => Suggestion::AllUppercaseDoesNotHelp,
        Z::ReversedWordsArentMuchHarderToGuess => Suggestion::ReversedWordsDoNotHelp,
        Z::PredictableSubstitutionsDontHelpVeryMuch => Suggestion::PredictableSubstitutions,
        Z::UseALongerKeyboardPatternWithMoreTurns => Suggestion::LongerKeyboardPattern,
        Z::AvoidRepeatedWordsAndCharacters => Suggestion::AvoidRepeats,
        Z::AvoidSequences => Suggestion::AvoidSequences,
        Z::AvoidRecentYears => Suggestion::AvoidRecentYears,
        Z::AvoidYearsThatAreAssociatedWithYou => Suggestion::AvoidYearsAssociatedWithYou,
        Z::AvoidDatesAndYearsThatAreAssociatedWithYou => Suggestion::AvoidDatesAssociatedWithYou,
    }
}

/// The longest prefix of `s` that fits in `max` bytes without splitting a character.
pub(super) fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// zxcvbn matches each input as one dictionary word, so an e-mail address alone would not
/// make "kari.nordmann1987" weak: add the local part and its pieces, and a phone number's
/// digits and national part, so that passwords built from them score as low as they should.
fn expand_inputs(inputs: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for input in inputs {
        let input = input.trim().to_lowercase();
        if input.is_empty() {
            continue;
        }
        if let Some((local, domain)) = input.split_once('@') {
            out.push(local.to_string());
            out.extend(
                local
                    .split(['.', '_', '-', '+'])
                    .chain(domain.split('.').take(1))
                    .filter(|w| w.chars().count() >= 3)
                    .map(str::to_string),
            );
        }
        let digits: String = input.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= MIN_LEN && digits.len() + 2 >= input.chars().count() {
            out.push(digits.clone());
            // the national part, whatever the country code's length
            for cc in 1..=3 {
                if let Some(rest) = digits.get(cc..).filter(|r| r.len() >= MIN_LEN) {
                    out.push(rest.to_string());
                }
            }
        }
        out.push(input);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Scores `password` from 0 to 4. `user_inputs` are words an attacker would try first for
/// this account (its phone number, e-mail address, name); a password built from them scores
/// lower. A password on the common-password list scores 0, whatever zxcvbn thinks, and one equal
/// to an input scores 0 with [`Warning::SameAsIdentifier`], so the meter agrees with the policy.
///
/// Only the first 128 bytes are looked at (zxcvbn itself stops at 100 characters), so a live
/// meter fed a huge paste stays cheap: a few milliseconds at most.
pub fn strength(password: &str, user_inputs: &[&str]) -> Strength {
    let password = truncate_bytes(password, MAX_BYTES);
    if super::equals_identifier(password, user_inputs) {
        return Strength {
            score: 0,
            warning: Some(Warning::SameAsIdentifier),
            suggestions: vec![Suggestion::UseAFewWords, Suggestion::AddAnotherWord],
        };
    }
    let words = expand_inputs(user_inputs);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let entropy = zxcvbn::zxcvbn(password, &words);
    let mut out = Strength {
        score: u8::from(entropy.score()),
        warning: entropy.feedback().and_then(|f| f.warning()).map(warning),
        suggestions: entropy
            .feedback()
            .map(|f| f.suggestions().iter().copied().map(suggestion).collect())
            .unwrap_or_default(),
    };
    if common::is_common(password) {
        out.score = 0;
        if !matches!(
            out.warning,
            Some(Warning::Top10Password | Warning::Top100Password)
        ) {
            out.warning = Some(Warning::CommonPassword);
        }
        if out.suggestions.is_empty() {
            out.suggestions = vec![Suggestion::UseAFewWords, Suggestion::AddAnotherWord];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_span_the_scale() {
        assert_eq!(strength("", &[]).score, 0);
        assert_eq!(strength("password", &[]).score, 0);
        let weak = strength("password", &[]);
        assert_eq!(weak.warning, Some(Warning::Top10Password));
        assert!(!weak.suggestions.is_empty());
        assert_eq!(strength("correct horse battery staple", &[]).score, 4);
        assert_eq!(strength("vN7#qLz!2pWx", &[]).score, 4);
    }

    #[test]
    fn the_big_list_forces_zero() {
        // On our list but not scored 0 by zxcvbn alone.
        let pw = "zaq12wsxcde3";
        assert!(common::is_common(pw));
        let s = strength(pw, &[]);
        assert_eq!(s.score, 0);
        assert!(s.warning.is_some());
    }

    #[test]
    fn user_inputs_lower_the_score() {
        let alone = strength("kristoffersen1987", &[]).score;
        assert_eq!(alone, 4);
        for inputs in [
            &["kari.kristoffersen@example.com"][..],
            &["kristoffersen@example.com"][..],
            &["kristoffersen"][..],
        ] {
            let with = strength("kristoffersen1987", inputs).score;
            assert!(with < alone, "{inputs:?}: {with} !< {alone}");
        }
        let phone = strength("91234567!!", &["+4791234567"]).score;
        assert!(phone < strength("91234567!!", &[]).score, "{phone}");
        let same = strength("+4791234567", &["+4791234567"]);
        assert_eq!(same.score, 0);
        assert_eq!(same.warning, Some(Warning::SameAsIdentifier));
    }

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for id in Warning::ALL
            .iter()
            .map(|w| w.id())
            .chain(Suggestion::ALL.iter().map(|s| s.id()))
        {
            assert!(seen.insert(id), "duplicate {id}");
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{id}"
            );
        }
        // serde uses the same spelling as id(), for JSON answers of a live meter
        for w in Warning::ALL {
            assert_eq!(serde_json::to_string(w).unwrap(), format!("\"{}\"", w.id()));
        }
        for s in Suggestion::ALL {
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{}\"", s.id()));
        }
    }

    #[test]
    fn long_input_is_truncated_on_a_char_boundary() {
        let long = "æ".repeat(200);
        assert_eq!(truncate_bytes(&long, 128).len(), 128);
        assert_eq!(
            truncate_bytes(&"æ".repeat(64).replacen('æ', "x", 1), 128).len(),
            127
        );
        assert!(strength(&long, &[]).score <= 4);
    }
}
