//! A book cut into chapters: at heading lines ("Chapter 12", "CHAPTER XII. The Storm", "Part
//! Two", "Book III"), or, in a text without two such headings, into equal parts of paragraphs,
//! so a question can always say which stretch of the book its evidence comes from.

use regex::Regex;

/// One chapter: its heading (or "part N of M") and its span of the book in Unicode scalar
/// values, end exclusive. Chapters tile the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub title: String,
    pub start: usize,
    pub end: usize,
}

/// Parts a book without headings is cut into.
const PARTS: usize = 10;

/// The chapters of `text` (at least one for a non-empty text).
pub fn chapters(text: &str) -> Vec<Chapter> {
    let heading = Regex::new(
        r"(?im)^[ \t]*(chapter|part|book|canto|letter|volume)[ \t]+([0-9]+|[ivxlcdm]+|[a-z]+(-[a-z]+)?)\b[^\n]{0,80}$",
    )
    .expect("the heading pattern compiles");
    let chars = CharIndex::new(text);
    let starts: Vec<(usize, String)> = heading
        .find_iter(text)
        .map(|m| (chars.of_byte(m.start()), m.as_str().trim().to_string()))
        .collect();
    let total = chars.len();
    if starts.len() >= 2 {
        let mut out = Vec::with_capacity(starts.len() + 1);
        if starts[0].0 > 0 && !text[..chars.byte_of(starts[0].0)].trim().is_empty() {
            out.push(Chapter {
                title: "opening".into(),
                start: 0,
                end: starts[0].0,
            });
        }
        for (i, (start, title)) in starts.iter().enumerate() {
            let end = starts.get(i + 1).map_or(total, |n| n.0);
            out.push(Chapter {
                title: title.clone(),
                start: *start,
                end,
            });
        }
        if let Some(first) = out.first_mut() {
            first.start = 0;
        }
        return out;
    }
    // No headings: equal parts, cut at paragraph breaks.
    let breaks: Vec<usize> = text
        .match_indices("\n\n")
        .map(|(b, _)| chars.of_byte(b + 2))
        .collect();
    let mut out = Vec::new();
    let mut start = 0;
    for p in 1..=PARTS {
        let aim = total * p / PARTS;
        let end = if p == PARTS {
            total
        } else {
            breaks
                .iter()
                .copied()
                .filter(|&b| b > start)
                .min_by_key(|&b| b.abs_diff(aim))
                .unwrap_or(total)
        };
        if end > start {
            out.push(Chapter {
                title: String::new(),
                start,
                end,
            });
            start = end;
        }
        if start >= total {
            break;
        }
    }
    let n = out.len();
    for (i, c) in out.iter_mut().enumerate() {
        c.title = format!("part {} of {n}", i + 1);
    }
    out
}

/// Byte offsets to Unicode scalar offsets and back, for one text.
pub struct CharIndex {
    /// Byte offset of each char, plus the text's length at the end.
    bytes: Vec<usize>,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes.push(text.len());
        CharIndex { bytes }
    }

    /// The text's length in chars.
    pub fn len(&self) -> usize {
        self.bytes.len() - 1
    }

    /// The char offset of byte offset `b` (a char boundary).
    pub fn of_byte(&self, b: usize) -> usize {
        self.bytes.partition_point(|&x| x < b)
    }

    /// The byte offset of char offset `c` (at most the length).
    pub fn byte_of(&self, c: usize) -> usize {
        self.bytes[c.min(self.bytes.len() - 1)]
    }
}

/// The chapter holding char offset `at`.
pub fn chapter_at(chapters: &[Chapter], at: usize) -> usize {
    chapters
        .partition_point(|c| c.end <= at)
        .min(chapters.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_cut_chapters_that_tile_the_book() {
        let text = "A Tale\n\nCHAPTER I. The Mill\n\nNora came.\n\nChapter 2\n\nTom left.\n\nChapter Three\n\nEnd.";
        let c = chapters(text);
        let titles: Vec<&str> = c.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "opening",
                "CHAPTER I. The Mill",
                "Chapter 2",
                "Chapter Three"
            ]
        );
        assert_eq!(c[0].start, 0);
        assert_eq!(c.last().unwrap().end, text.chars().count());
        assert!(c.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(chapter_at(&c, text.find("Tom").unwrap()), 2);
    }

    #[test]
    fn a_book_without_headings_is_cut_into_equal_parts_at_paragraphs() {
        let text: String = (0..50).map(|i| format!("Paragraph {i} é.\n\n")).collect();
        let c = chapters(&text);
        assert_eq!(c.len(), PARTS);
        assert_eq!(c[0].title, "part 1 of 10");
        assert_eq!(c.last().unwrap().end, text.chars().count());
        let chars: Vec<char> = text.chars().collect();
        for w in c.windows(2) {
            assert_eq!(w[0].end, w[1].start);
            assert_eq!(chars[w[1].start - 1], '\n', "cut after a blank line");
        }
    }
}
