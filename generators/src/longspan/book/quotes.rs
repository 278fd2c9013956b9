//! Evidence quotes found in the book word for word: whitespace may differ (a model rewraps
//! lines), and curly quotation marks match straight ones; nothing else may. A quote too short to place, or found nowhere, is not evidence.

use super::chapters::CharIndex;

/// The fewest characters a quote must have to count: shorter ones ("he said") match anywhere.
pub const MIN_QUOTE_CHARS: usize = 24;

/// The book with whitespace runs folded to one space, and where each folded char came from.
pub struct Folded {
    text: String,
    /// Per byte of `text`: the char offset in the book of the char it came from.
    origin: Vec<usize>,
    /// The book's length in chars.
    len: usize,
}

impl Folded {
    pub fn new(book: &str) -> Self {
        let mut text = String::with_capacity(book.len());
        let mut origin = Vec::with_capacity(book.len());
        let mut space = false;
        for (i, c) in book.chars().enumerate() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space && !text.is_empty() {
                text.push(' ');
                origin.push(i.saturating_sub(1));
            }
            space = false;
            let before = text.len();
            text.push(straight(c));
            origin.extend(std::iter::repeat_n(i, text.len() - before));
        }
        let len = CharIndex::new(book).len();
        Folded { text, origin, len }
    }

    /// The span (chars, end exclusive) of the first place the book says `quote`, whitespace
    /// folded and surrounding quotation marks and spaces dropped; `Err` says why it is not
    /// evidence.
    pub fn find(&self, quote: &str) -> Result<(usize, usize), &'static str> {
        let q: String = quote
            .trim()
            .trim_matches(['"', '\'', '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}'])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .map(straight)
            .collect();
        if q.chars().count() < MIN_QUOTE_CHARS {
            return Err("shorter than 24 characters, too short to place in the book");
        }
        let at = self.text.find(&q).ok_or("not in the book word for word")?;
        let start = self.origin[at];
        let last = self.origin[at + q.len() - 1];
        Ok((start, (last + 1).min(self.len)))
    }
}

/// Curly quotation marks as straight ones: a model quoting "Nora's" for the book's "Nora’s"
/// quotes the book.
fn straight(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' => '\'',
        '\u{201c}' | '\u{201d}' => '"',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_found_through_rewrapped_whitespace_and_nothing_else() {
        let book = "Tom  Hale stole the green\nledger from Nora Marrow’s desk.\n\nLater, é Ilse found it under the bed.";
        let f = Folded::new(book);
        let (s, e) = f.find("\"Tom Hale stole the green ledger\"").unwrap();
        let chars: Vec<char> = book.chars().collect();
        assert_eq!(
            chars[s..e].iter().collect::<String>(),
            "Tom  Hale stole the green\nledger"
        );
        let (s, e) = f.find("Later, é Ilse found it under the bed.").unwrap();
        assert_eq!(
            chars[s..e].iter().collect::<String>(),
            "Later, é Ilse found it under the bed."
        );
        assert!(f.find("Tom Hale stole the red ledger").is_err());
        let (s, e) = f.find("ledger from Nora Marrow's desk").unwrap();
        assert_eq!(
            chars[s..e].iter().collect::<String>(),
            "ledger from Nora Marrow’s desk"
        );
        assert!(f.find("stole the").unwrap_err().contains("too short"));
    }
}
