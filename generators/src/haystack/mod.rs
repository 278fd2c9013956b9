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

/// The language of a context; it decides the filler and how sentences are joined.
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

    /// What goes between two sentences of one paragraph.
    pub fn sentence_gap(self) -> &'static str {
        match self {
            Lang::En => " ",
            Lang::Zh => "",
        }
    }
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
