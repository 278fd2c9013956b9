//! A user's own filler (`--haystack FILE`): plain text, paragraphs separated by blank lines, or
//! JSON Lines with a `text` field per document. As in NeedleBench, the order of documents is
//! shuffled with the sample's seed.
//!
//! The file is indexed once per run (where each document starts and ends, checked as text on
//! the way) and never held in memory: a sample reads, cleans and counts documents in its own
//! order only until its budget is met, so its work is proportional to the sample, not to the
//! file, and a corpus of many gigabytes costs the index (16 bytes a document) and the sample.
//! The file must not change while a run reads it; the manifest records its digest.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use longforge_datasets::{SeededRng, TextLine};
use serde::Deserialize;

use super::sentence_gap;
use crate::GenerateError;

/// An indexed haystack file.
#[derive(Debug)]
pub struct Corpus {
    path: PathBuf,
    file: Mutex<File>,
    json_lines: bool,
    cut_long: bool,
    /// Every document that holds text, in file order.
    documents: Vec<Span>,
}

/// Where one document lies in the file: a paragraph's lines (plain text) or one line (JSON
/// Lines), line ends excluded.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u64,
    len: u32,
    /// The document's first line, for errors.
    line: u32,
}

#[derive(Deserialize)]
struct Document {
    text: String,
}

impl Corpus {
    /// Indexes a haystack file, checking it as text (UTF-8, no control characters, errors naming
    /// the line) and, for JSON Lines, that every line is an object with a `text` string.
    /// Documents without text are left out. With `cut_long`, sentences over
    /// [`LONGEST_SENTENCE`] characters (or text without full stops) are cut at clause or word
    /// boundaries when read, so a needle can go in near any depth and a short context can still
    /// be filled (generator 0.1.0 did not cut).
    pub fn index(path: &Path, cut_long: bool) -> Result<Self, GenerateError> {
        let shown = path.display().to_string();
        let unreadable = |e: std::io::Error| GenerateError::Haystack {
            path: shown.clone(),
            message: format!("cannot read it ({e})"),
        };
        let file = File::open(path).map_err(unreadable)?;
        let reader = BufReader::with_capacity(1 << 20, file.try_clone().map_err(unreadable)?);
        let mut json_lines = path
            .extension()
            .is_some_and(|e| e == "jsonl")
            .then_some(true);
        let mut documents = Vec::new();
        // The paragraph being read (plain text): its first line's start and number, and the
        // end of its last line so far.
        let mut open: Option<(u64, usize, u64)> = None;
        let span = |start: u64, end: u64, line: usize| -> Result<Span, GenerateError> {
            let too_big = |what: &str| GenerateError::Haystack {
                path: shown.clone(),
                message: format!("line {line}: {what}; split the file"),
            };
            Ok(Span {
                start,
                len: u32::try_from(end - start)
                    .map_err(|_| too_big("a document of 4 GiB or more"))?,
                line: u32::try_from(line).map_err(|_| too_big("more than 4 billion lines"))?,
            })
        };
        longforge_datasets::scan_lines(path, reader, |l: TextLine<'_>| {
            let blank = l.text.trim().is_empty();
            // The first text decides the format when the file name does not.
            if json_lines.is_none() && !blank {
                json_lines = Some(l.text.trim_start().starts_with('{'));
            }
            if json_lines == Some(true) {
                if !blank && !l.text.trim_start().starts_with('{') {
                    return Err(GenerateError::Haystack {
                        path: shown.clone(),
                        message: format!(
                            "line {}: not a JSON object; each line of a JSON Lines haystack is {{\"text\": \"...\"}}",
                            l.number
                        ),
                    });
                }
                if !blank {
                    let doc: Document =
                        longforge_datasets::jsonl::parse_line(path, l.number, l.text)?;
                    // JSON escapes can carry what the raw file does not (`\u0000`).
                    let where_ = format!("{}:{} field `text`", path.display(), l.number);
                    longforge_datasets::read_text(Path::new(&where_), doc.text.as_bytes())?;
                    if doc.text.chars().any(|c| !c.is_whitespace()) {
                        documents.push(span(l.start, l.end, l.number)?);
                    }
                }
            } else if blank {
                if let Some((start, line, end)) = open.take() {
                    documents.push(span(start, end, line)?);
                }
            } else {
                let (_, _, end) = open.get_or_insert((l.start, l.number, l.end));
                *end = l.end;
            }
            Ok::<_, GenerateError>(())
        })?;
        if let Some((start, line, end)) = open {
            documents.push(span(start, end, line)?);
        }
        if documents.is_empty() {
            return Err(GenerateError::Haystack {
                path: shown,
                message: "holds no text; give a plain-text file (paragraphs separated by blank lines) or JSON Lines with a `text` field".into(),
            });
        }
        if u32::try_from(documents.len()).is_err() {
            return Err(GenerateError::Haystack {
                path: shown,
                message: "holds more than 4 billion documents; split the file".into(),
            });
        }
        Ok(Corpus {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            json_lines: json_lines.unwrap_or(false),
            cut_long,
            documents,
        })
    }

    /// The number of documents that hold text.
    pub fn documents(&self) -> usize {
        self.documents.len()
    }

    pub(crate) fn shuffled(self: &Arc<Self>, seed: u64) -> CorpusCursor {
        // `index` checked the count fits.
        let mut order: Vec<u32> = (0..self.documents.len() as u32).collect();
        SeededRng::new(seed).shuffle(&mut order);
        CorpusCursor {
            corpus: self.clone(),
            order,
            next: 0,
            pending: Vec::new().into_iter(),
        }
    }

    /// Document `i` as paragraphs of sentences, cleaned as [`read_text`] and [`paragraphs`] do.
    ///
    /// [`read_text`]: longforge_datasets::read_text
    fn read(&self, i: usize) -> Result<Vec<Vec<String>>, GenerateError> {
        let span = self.documents[i];
        let changed = |what: String| GenerateError::Haystack {
            path: self.path.display().to_string(),
            message: format!(
                "line {}: {what}; the file must not change during a run",
                span.line
            ),
        };
        let mut bytes = vec![0u8; span.len as usize];
        {
            let mut file = self
                .file
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            file.seek(SeekFrom::Start(span.start))
                .and_then(|_| file.read_exact(&mut bytes))
                .map_err(|e| changed(format!("cannot read it again ({e})")))?;
        }
        let raw = String::from_utf8(bytes).map_err(|_| changed("no longer UTF-8 text".into()))?;
        let text = if self.json_lines {
            let doc: Document =
                longforge_datasets::jsonl::parse_line(&self.path, span.line as usize, &raw)?;
            let where_ = format!("{}:{} field `text`", self.path.display(), span.line);
            longforge_datasets::read_text(Path::new(&where_), doc.text.as_bytes())?
        } else {
            raw.replace("\r\n", "\n").replace('\r', "\n")
        };
        Ok(paragraphs(&text, self.cut_long))
    }
}

/// One sample's walk through the corpus: documents in the sample's order, read as needed.
pub(crate) struct CorpusCursor {
    corpus: Arc<Corpus>,
    order: Vec<u32>,
    next: usize,
    pending: std::vec::IntoIter<Vec<String>>,
}

impl CorpusCursor {
    /// The haystack file, as given.
    pub fn path(&self) -> &Path {
        &self.corpus.path
    }

    pub fn next_paragraph(&mut self) -> Result<Option<Vec<String>>, GenerateError> {
        loop {
            if let Some(p) = self.pending.next() {
                return Ok(Some(p));
            }
            let Some(&doc) = self.order.get(self.next) else {
                return Ok(None);
            };
            self.next += 1;
            self.pending = self.corpus.read(doc as usize)?.into_iter();
        }
    }
}

/// Splits text into paragraphs (blank lines) and each paragraph into sentences. A line break
/// inside a paragraph becomes a space, or vanishes between CJK text (see [`sentence_gap`]).
fn paragraphs(text: &str, cut_long: bool) -> Vec<Vec<String>> {
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
                current.push_str(sentence_gap(&current, line));
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
        let p = paragraphs("One. Two!\nThree\n\n\n第一句。第二句！", true);
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
    fn the_lines_of_a_paragraph_join_by_their_script_not_the_language_setting() {
        // Hard-wrapped English stays words apart, and hard-wrapped Chinese gains no space, under
        // either --lang (the language no longer reaches the corpus at all).
        let p = paragraphs(
            "A hard\nwrapped line.\nNext one.\n\n第一\n句。\n第二句。\nThird.",
            true,
        );
        assert_eq!(
            p,
            vec![
                vec!["A hard wrapped line.", "Next one."],
                vec!["第一句。", "第二句。", "Third."]
            ]
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
        assert_eq!(paragraphs(&words, false)[0].len(), 1);
    }

    /// What generator 0.2.0 made of a whole file read at once: its documents, in file order.
    fn whole_file_documents(path: &Path, bytes: &[u8], json: bool) -> Vec<Vec<Vec<String>>> {
        let text = longforge_datasets::read_text(path, bytes).unwrap();
        if !json {
            return paragraphs(&text, true)
                .into_iter()
                .map(|p| vec![p])
                .collect();
        }
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let doc: Document = serde_json::from_str(l).unwrap();
                let text = longforge_datasets::read_text(path, doc.text.as_bytes()).unwrap();
                paragraphs(&text, true)
            })
            .filter(|d| !d.is_empty())
            .collect()
    }

    #[test]
    fn indexed_documents_read_back_as_the_whole_file_gave_them() {
        let dir = tempfile::tempdir().unwrap();
        let long = "word ".repeat(120);
        let cases: Vec<(&str, String)> = vec![
            ("plain.txt", format!("\u{feff}One. Two!\r\nThree\r\n\r\n\r\nFour.\rFive.\r\rSix {long}\n \n\t\nlast line")),
            ("zh.txt", "第一句。第二句！\n\n\n第三段。\n".into()),
            ("docs.jsonl", format!("{{\"text\": \"\\ufeffA. B.\\r\\nC.\\n\\nD.\"}}\n\n{{\"text\": \"   \"}}\n{{\"text\": \"{long}\", \"id\": 3}}\r\n{{\"text\": \"E\"}}")),
            ("sniffed.txt", "\n  \n{\"text\": \"X. Y.\"}\n{\"text\": \"Z\"}\n".into()),
        ];
        for (name, text) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, &text).unwrap();
            let corpus = Corpus::index(&path, true).unwrap();
            let want = whole_file_documents(&path, text.as_bytes(), corpus.json_lines);
            let got: Vec<_> = (0..corpus.documents())
                .map(|i| corpus.read(i).unwrap())
                .collect();
            assert_eq!(got, want, "{name}");
            assert!(!got.is_empty());
        }
    }

    #[test]
    fn a_file_changed_during_a_run_is_named_not_misread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.txt");
        std::fs::write(&path, "First paragraph here.\n\nSecond one here.\n").unwrap();
        let corpus = Corpus::index(&path, true).unwrap();
        std::fs::write(&path, "Short.").unwrap();
        let err = corpus.read(1).unwrap_err().to_string();
        assert!(
            err.contains("h.txt") && err.contains("must not change"),
            "{err}"
        );
    }

    #[test]
    fn empty_and_bad_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, "\n \n").unwrap();
        let err = Corpus::index(&empty, true).unwrap_err().to_string();
        assert!(
            err.contains("empty.txt") && err.contains("no text"),
            "{err}"
        );

        let not_objects = dir.path().join("arrays.jsonl");
        std::fs::write(&not_objects, "{\"text\": \"fine\"}\n[\"some text.\"]\n").unwrap();
        let err = Corpus::index(&not_objects, true).unwrap_err().to_string();
        assert!(
            err.contains("arrays.jsonl") && err.contains("line 2: not a JSON object"),
            "{err}"
        );

        let bad = dir.path().join("docs.jsonl");
        std::fs::write(&bad, "{\"text\": \"fine\"}\n{\"body\": \"x\"}\n").unwrap();
        let err = Corpus::index(&bad, true).unwrap_err().to_string();
        assert!(
            err.contains("docs.jsonl:2") && err.contains("text"),
            "{err}"
        );
    }
}
