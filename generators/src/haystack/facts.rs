//! Keeps needle facts out of the filler: a paragraph that mentions any key fact of a sample (a
//! name, a number, an answer word) is never used for that sample, so the needle is the only place
//! the answer can come from.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

pub struct FactFilter {
    facts: Vec<String>,
    matcher: Option<AhoCorasick>,
}

impl FactFilter {
    /// Facts are matched case-insensitively (ASCII); a fact that starts or ends with a letter or
    /// digit must also start or end on a word boundary, so the name `Lee` does not reject
    /// `asleep` (CJK facts match anywhere, as CJK has no spaces between words).
    pub fn new(facts: impl IntoIterator<Item = String>) -> Self {
        let mut facts: Vec<String> = facts.into_iter().filter(|f| !f.trim().is_empty()).collect();
        facts.sort();
        facts.dedup();
        let matcher = if facts.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&facts)
                    .expect("fact patterns are plain strings"),
            )
        };
        FactFilter { facts, matcher }
    }

    /// The first fact that `text` mentions, if any.
    pub fn mentioned_in<'a>(&'a self, text: &str) -> Option<&'a str> {
        let matcher = self.matcher.as_ref()?;
        for m in matcher.find_overlapping_iter(text) {
            let fact = &self.facts[m.pattern().as_usize()];
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let word_char = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && !is_cjk(c));
            let starts_word = fact
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            let ends_word = fact
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if (starts_word && word_char(before)) || (ends_word && word_char(after)) {
                continue;
            }
            return Some(fact);
        }
        None
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_whole_words_and_cjk_substrings() {
        let f = FactFilter::new(["Lee".to_string(), "4821".to_string(), "黎澈".to_string()]);
        assert_eq!(f.mentioned_in("She fell asleep."), None);
        assert_eq!(f.mentioned_in("Ask LEE tomorrow."), Some("Lee"));
        assert_eq!(f.mentioned_in("code 148215"), None);
        assert_eq!(f.mentioned_in("code 4821."), Some("4821"));
        assert_eq!(f.mentioned_in("他叫黎澈吗"), Some("黎澈"));
        assert_eq!(FactFilter::new(Vec::new()).mentioned_in("anything"), None);
    }
}
