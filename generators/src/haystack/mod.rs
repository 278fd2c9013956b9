//! Haystacks: the long filler a needle hides in.
//!
//! Filler comes from a [`ParagraphStream`]: the embedded seeded prose (English or Chinese,
//! unlimited, never repeating a paragraph) or a user's corpus (`--haystack FILE`). The
//! [`build`](builder::build) step turns a stream into a context of an exact token length with
//! needles placed at chosen depths.

mod builder;
mod corpus;
mod facts;
mod prose_en;
mod prose_zh;
mod shape;

pub use builder::{build, tolerance, BuiltContext, Placement};
pub use corpus::Corpus;
pub use facts::FactFilter;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The language of a context; it decides the embedded filler (and the needles and prompts).
/// How sentences are joined follows the text itself (see [`sentence_gap`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// What goes between two sentences written one after the other (or two lines of one paragraph
/// of a haystack file): nothing where the join is CJK on both sides, as Chinese and Japanese
/// are written, and a space otherwise. It follows the text, not `--lang`: a user's English
/// haystack under `--lang zh` would otherwise run its sentences together (`the.Sett`), and a
/// Chinese one under `--lang en` gain spaces Chinese does not write. The embedded prose and
/// needles join as they always did (English ends are Latin, Chinese ends CJK), so datasets made
/// from them keep their bytes.
///
/// Punctuation both scripts write (straight and curly quotes, ASCII brackets, ellipsis, dashes)
/// says nothing about the script, so the character next to it decides: `他说：“好。”` then
/// `我们走吧。` join without a space.
pub fn sentence_gap(left: &str, right: &str) -> &'static str {
    let end = left.chars().rev().find(|&c| !is_shared_punctuation(c));
    let start = right.chars().find(|&c| !is_shared_punctuation(c));
    match (end, start) {
        (Some(a), Some(b)) if is_cjk(a) && is_cjk(b) => "",
        _ => " ",
    }
}

/// Sentences joined as a context writes them (see [`sentence_gap`]).
pub fn join_sentences(sentences: &[String]) -> String {
    let mut out = String::with_capacity(sentences.iter().map(|s| s.len() + 1).sum());
    let mut prev: Option<&str> = None;
    for s in sentences {
        if let Some(prev) = prev {
            out.push_str(sentence_gap(prev, s));
        }
        out.push_str(s);
        prev = Some(s);
    }
    out
}

fn is_shared_punctuation(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '(' | ')' | '[' | ']' | '…' | '—' | '–'
    )
}

/// Han ideographs, kana, bopomofo and the CJK punctuation and full-width forms (`。！？，`):
/// the scripts written without spaces. Hangul is left out: Korean puts spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(
        u32::from(c),
        0x2E80..=0x2FDF // CJK and Kangxi radicals
            | 0x2FF0..=0x303F // ideographic description; CJK symbols and punctuation (。、「」)
            | 0x3040..=0x30FF // hiragana, katakana
            | 0x3100..=0x312F // bopomofo
            | 0x3190..=0x31FF // kanbun, bopomofo extended, strokes, katakana extension
            | 0x3200..=0x4DBF // enclosed and compatibility forms, extension A
            | 0x4E00..=0x9FFF // unified ideographs
            | 0xF900..=0xFAFF // compatibility ideographs
            | 0xFE30..=0xFE4F // compatibility punctuation forms
            | 0xFF00..=0xFF9F // full-width forms (！？，（）), half-width CJK punctuation and kana
            | 0xFFE0..=0xFFE6 // full-width signs
            | 0x20000..=0x3FFFF // extensions B and later
    )
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "en" => Ok(Lang::En),
            "zh" => Ok(Lang::Zh),
            other => Err(format!("unknown language `{other}`; use en or zh")),
        }
    }
}

/// Where filler comes from.
#[derive(Debug, Clone)]
pub enum HaystackSource {
    Prose(Lang),
    Corpus(Arc<Corpus>),
}

impl HaystackSource {
    /// A fresh stream for one sample, seeded by that sample's seed.
    pub fn stream(&self, seed: u64) -> ParagraphStream {
        match self {
            HaystackSource::Prose(Lang::En) => {
                ParagraphStream(Stream::English(prose_en::EnglishProse::new(seed)))
            }
            HaystackSource::Prose(Lang::Zh) => {
                ParagraphStream(Stream::Chinese(prose_zh::ChineseProse::new(seed)))
            }
            HaystackSource::Corpus(corpus) => {
                ParagraphStream(Stream::Corpus(corpus.shuffled(seed)))
            }
        }
    }
}

/// Paragraphs, each a list of sentences, in the order they should fill a context.
pub struct ParagraphStream(Stream);

enum Stream {
    English(prose_en::EnglishProse),
    Chinese(prose_zh::ChineseProse),
    Corpus(corpus::CorpusCursor),
}

impl ParagraphStream {
    /// Where the paragraphs come from, for errors: the haystack file as the user gave it (only
    /// a file can run out), or the embedded prose.
    pub fn source(&self) -> String {
        match &self.0 {
            Stream::English(_) | Stream::Chinese(_) => "(embedded prose)".into(),
            Stream::Corpus(c) => c.path().display().to_string(),
        }
    }

    /// `None` once a finite corpus is used up; the prose never ends.
    ///
    /// # Errors
    /// A corpus document that cannot be read again as it was indexed.
    pub fn next_paragraph(&mut self) -> Result<Option<Vec<String>>, crate::GenerateError> {
        match &mut self.0 {
            Stream::English(p) => Ok(Some(p.next_paragraph())),
            Stream::Chinese(p) => Ok(Some(p.next_paragraph())),
            Stream::Corpus(c) => c.next_paragraph(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_join_with_a_space_unless_cjk_on_both_sides() {
        for (left, right, gap) in [
            ("It was late.", "The harbour slept.", " "),
            ("第一句。", "第二句！", ""),
            // An English haystack under --lang zh, and a needle of either language beside it.
            ("the.", "Sett", " "),
            ("quiet.", "璃珈塔下的地窖里存放着玥珈石板。", " "),
            ("璃珈塔下的地窖里存放着玥珈石板。", "Quiet harbour.", " "),
            // Shared punctuation does not decide; the character beside it does.
            ("他说：“好。”", "我们走吧。", ""),
            ("他说……", "“走吧。”", ""),
            ("He said “go.”", "Then he went.", " "),
            ("かな。", "カナ。", ""),
            ("좋아요.", "네.", " "),
            ("“”", "第二句。", " "),
        ] {
            assert_eq!(sentence_gap(left, right), gap, "{left:?} {right:?}");
        }
        let mixed: Vec<String> = ["One.", "Two.", "第三。", "第四。", "Five."]
            .map(String::from)
            .into();
        assert_eq!(join_sentences(&mixed), "One. Two. 第三。第四。 Five.");
        assert_eq!(join_sentences(&[]), "");
    }
}
