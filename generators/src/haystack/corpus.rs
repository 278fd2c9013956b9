//! A user's own filler (`--haystack FILE`): plain text, paragraphs separated by blank lines, or
//! JSON Lines with a `text` field per document. As in NeedleBench, the order of documents is
//! shuffled with the sample's seed.

use std::path::Path;

use longforge_datasets::{sha256_hex, SeededRng};
use serde::Deserialize;

use super::Lang;
use crate::GenerateError;

#[derive(Debug)]
pub struct Corpus {
    /// File name (not path) and SHA-256: what the manifest records.
    pub file_name: String,
    pub sha256: String,
    /// Documents, each a list of paragraphs, each a list of sentences.
    documents: Vec<Vec<Vec<String>>>,
}

#[derive(Deserialize)]
struct Document {
    text: String,
}

impl Corpus {
    /// Reads a haystack file. With `cut_long`, sentences over [`LONGEST_SENTENCE`] characters
    /// (or text without full stops) are cut at clause or word boundaries, so a needle can go in
    /// near any depth and a short context can still be filled (generator 0.1.0 did not cut).
    pub fn load(path: &Path, lang: Lang, cut_long: bool) -> Result<Self, GenerateError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| GenerateError::Haystack {
            path: shown.clone(),
            message: format!("cannot read it ({e})"),
        })?;
        let text = longforge_datasets::read_text(path, &bytes)?;
        let is_jsonl =
            path.extension().is_some_and(|e| e == "jsonl") || text.trim_start().starts_with('{');
        let mut documents = Vec::new();
        if is_jsonl {
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let doc: Document = longforge_datasets::jsonl::parse_line(path, i + 1, line)?;
                // JSON escapes can carry what the raw file does not (`\u0000`).
                let where_ = format!("{}:{} field `text`", path.display(), i + 1);
                let text = longforge_datasets::read_text(Path::new(&where_), doc.text.as_bytes())?;
                documents.push(paragraphs(&text, lang, cut_long));
            }
        } else {
            // Each paragraph of a plain file is a document of its own, so shuffling mixes them.
            documents.extend(
                paragraphs(&text, lang, cut_long)
                    .into_iter()
                    .map(|p| vec![p]),
            );
        }
        documents.retain(|d: &Vec<Vec<String>>| !d.is_empty());
        if documents.is_empty() {
            return Err(GenerateError::Haystack {
                path: shown,
                message: "holds no text; give a plain-text file (paragraphs separated by blank lines) or JSON Lines with a `text` field".into(),
            });
        }
        Ok(Corpus {
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256: sha256_hex(&bytes),
            documents,
        })
    }

    pub(crate) fn shuffled(self: &std::sync::Arc<Self>, seed: u64) -> CorpusCursor {
        let mut order: Vec<usize> = (0..self.documents.len()).collect();
        SeededRng::new(seed).shuffle(&mut order);
        CorpusCursor {
            corpus: self.clone(),
            order,
            doc: 0,
            para: 0,
        }
    }
}

pub(crate) struct CorpusCursor {
    corpus: std::sync::Arc<Corpus>,
    order: Vec<usize>,
    doc: usize,
    para: usize,
}

impl CorpusCursor {
    pub fn next_paragraph(&mut self) -> Option<Vec<String>> {
        loop {
            let doc = &self.corpus.documents[*self.order.get(self.doc)?];
            if let Some(p) = doc.get(self.para) {
                self.para += 1;
                return Some(p.clone());
            }
            self.doc += 1;
            self.para = 0;
        }
    }
}

/// Splits text into paragraphs (blank lines) and each paragraph into sentences. Line breaks inside
/// a paragraph become spaces (English) or vanish (Chinese).
fn paragraphs(text: &str, lang: Lang, cut_long: bool) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        let mut sentences = sentences(current.trim());
        if cut_long {
            sentences = sentences.into_iter().flat_map(|s| cut(&s)).collect();
        }
        if !sentences.is_empty() {
            out.push(sentences);
        }
        current.clear();
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            flush(&mut current);
        } else {
            if !current.is_empty() {
                current.push_str(lang.sentence_gap());
            }
            current.push_str(line);
        }
    }
    flush(&mut current);
    out
}

/// The longest sentence, in characters, a user's haystack keeps whole (about 60 English tokens):
/// longer ones are cut (see [`cut`]), which bounds how far a needle can sit from its depth.
pub const LONGEST_SENTENCE: usize = 240;

/// `sentence` in pieces of at most [`LONGEST_SENTENCE`] characters: cut after the last clause
/// mark (`,;:` and their CJK forms, or a dash) in the window, else at the last space, else (CJK
/// without marks) at the window's end. Pieces keep their punctuation; none is empty.
fn cut(sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest: Vec<char> = sentence.chars().collect();
    while rest.len() > LONGEST_SENTENCE {
        let window = &rest[..LONGEST_SENTENCE];
        let after = |marks: &[char]| {
            window
                .iter()
                .rposition(|c| marks.contains(c))
                .filter(|&i| i >= LONGEST_SENTENCE / 4)
                .map(|i| i + 1)
        };
        let at = after(&[',', ';', ':', '，', '；', '：', '、', '—'])
            .or_else(|| after(&[' ']))
            .unwrap_or(LONGEST_SENTENCE);
        let piece: String = rest[..at].iter().collect::<String>().trim().to_string();
        if !piece.is_empty() {
            out.push(piece);
        }
        rest.drain(..at);
    }
    let piece: String = rest.iter().collect::<String>().trim().to_string();
    if !piece.is_empty() {
        out.push(piece);
    }
    out
}

/// Cuts after `.`, `!`, `?` followed by a space, and after `。`, `！`, `？` anywhere.
fn sentences(paragraph: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        let next = chars.get(i + 1).map(|&(_, n)| n);
        let end = match c {
            '。' | '！' | '？' => true,
            '.' | '!' | '?' => next.is_none_or(char::is_whitespace),
            _ => false,
        };
        if end {
            let cut = at + c.len_utf8();
            let s = paragraph[start..cut].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
            start = cut;
        }
    }
    let rest = paragraph[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paragraphs_and_sentences() {
        let p = paragraphs("One. Two!\nThree\n\n\n第一句。第二句！", Lang::En, true);
        assert_eq!(
            p,
            vec![vec!["One.", "Two!", "Three"], vec!["第一句。", "第二句！"]]
        );
        assert_eq!(
            sentences("Dr.Who is 3.5 m tall. Yes."),
            vec!["Dr.Who is 3.5 m tall.", "Yes."]
        );
    }

    #[test]
    fn long_sentences_are_cut_at_clauses_then_words_and_nothing_is_lost() {
        let words = "word ".repeat(200);
        let pieces = cut(words.trim());
        assert!(pieces.len() >= 4 && pieces.iter().all(|p| p.chars().count() <= LONGEST_SENTENCE));
        assert_eq!(pieces.join(" "), words.trim());
        let clauses = format!("{}, and then {}", "a".repeat(150), "b ".repeat(100));
        let pieces = cut(clauses.trim());
        assert!(pieces[0].ends_with(','), "{pieces:?}");
        let zh = "长".repeat(600);
        let pieces = cut(&zh);
        assert_eq!(pieces.concat(), zh);
        assert!(pieces.iter().all(|p| p.chars().count() <= LONGEST_SENTENCE));
        assert_eq!(cut("Short."), vec!["Short."]);
        // Generator 0.1.0 kept sentences whole.
        assert_eq!(paragraphs(&words, Lang::En, false)[0].len(), 1);
    }

    #[test]
    fn empty_and_bad_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, "\n \n").unwrap();
        let err = Corpus::load(&empty, Lang::En, true)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("empty.txt") && err.contains("no text"),
            "{err}"
        );

        let bad = dir.path().join("docs.jsonl");
        std::fs::write(&bad, "{\"text\": \"fine\"}\n{\"body\": \"x\"}\n").unwrap();
        let err = Corpus::load(&bad, Lang::En, true).unwrap_err().to_string();
        assert!(
            err.contains("docs.jsonl:2") && err.contains("text"),
            "{err}"
        );
    }
}
