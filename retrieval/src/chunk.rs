//! A book cut into chunks of about `chunk_tokens` tokens, on paragraph boundaries where it can be.
//!
//! The chunks partition the book: each is a contiguous slice, the first starts at character 0,
//! each starts where the one before ends, the last ends at the book's end, so their texts
//! joined give the book back. A paragraph is a run of lines up to a blank line (a line of
//! whitespace only); the blank lines after a paragraph stay with it.
//!
//! # Algorithm and cost
//! 1. Cut the book into paragraphs and count each one's tokens (one pass over the book).
//! 2. A paragraph over `chunk_tokens` is halved, recursively, at the whitespace nearest its
//!    middle (else after the `。！？` nearest it, else at the middle character) until each piece
//!    fits or is one character: `O(p log p)` counting for a paragraph of `p` tokens.
//! 3. Pieces are packed in order, greedily: a chunk takes the next piece while the sum of its
//!    pieces' counts stays within `chunk_tokens` (an empty chunk always takes one).
//! 4. Each chunk's text is counted again: [`Chunk::tokens`] is its exact count, which may differ
//!    from the sum of its pieces' counts by a token or so at a seam (BPE merges across it).
//!
//! So a chunk holds at most about `chunk_tokens` tokens, and fewer where the next paragraph
//! would not fit; only a single unbreakable character run can exceed it.

use longforge_datasets::TokenCounter;

use crate::RetrievalError;

/// One chunk of a book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Position in the book's order, from 0; also the id BM25 results name.
    pub id: usize,
    /// `book[char_start..char_end]` in Unicode scalar values.
    pub text: String,
    /// First character, counted in Unicode scalar values (a Python string index).
    pub char_start: usize,
    /// One past the last character, in Unicode scalar values.
    pub char_end: usize,
    /// Exact token count of `text` under the counter given to [`chunk_book`].
    pub tokens: usize,
}

/// Cuts `book` into chunks of about `chunk_tokens` tokens of `counter` (see the module doc).
/// Deterministic: the same book, size and tokenizer give the same chunks.
///
/// # Errors
/// [`RetrievalError::ZeroChunkSize`] for `chunk_tokens == 0`, [`RetrievalError::EmptyBook`]
/// for a book of whitespace only, and a counter's failure as [`RetrievalError::Count`].
pub fn chunk_book(
    book: &str,
    chunk_tokens: usize,
    counter: &TokenCounter,
) -> Result<Vec<Chunk>, RetrievalError> {
    if chunk_tokens == 0 {
        return Err(RetrievalError::ZeroChunkSize);
    }
    if book.trim().is_empty() {
        return Err(RetrievalError::EmptyBook);
    }
    let mut pieces = Vec::new();
    for (start, end) in paragraphs(book) {
        split_to_fit(book, start, end, chunk_tokens, counter, &mut pieces)?;
    }

    // Greedy packing of the pieces, as byte ranges.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<(usize, usize, usize)> = None; // start, end, summed tokens
    for piece in pieces {
        open = match open {
            Some((start, _, sum)) if sum + piece.tokens <= chunk_tokens => {
                Some((start, piece.end, sum + piece.tokens))
            }
            Some((start, end, _)) => {
                ranges.push((start, end));
                Some((piece.start, piece.end, piece.tokens))
            }
            None => Some((piece.start, piece.end, piece.tokens)),
        };
    }
    if let Some((start, end, _)) = open {
        ranges.push((start, end));
    }

    let mut chunks = Vec::with_capacity(ranges.len());
    let mut char_start = 0;
    for (id, (start, end)) in ranges.into_iter().enumerate() {
        let text = &book[start..end];
        let char_end = char_start + text.chars().count();
        chunks.push(Chunk {
            id,
            text: text.to_string(),
            char_start,
            char_end,
            tokens: counter.count(text)?,
        });
        char_start = char_end;
    }
    Ok(chunks)
}

/// A byte range of the book and its token count.
struct Piece {
    start: usize,
    end: usize,
    tokens: usize,
}

/// Byte ranges of the paragraphs, covering the book: each paragraph keeps the blank lines after
/// it, and blank lines before the first one belong to it.
fn paragraphs(book: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut seen_text = false;
    let mut after_blank = false;
    let mut offset = 0;
    for line in book.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if !blank && seen_text && after_blank {
            out.push((start, offset));
            start = offset;
        }
        if blank {
            after_blank = seen_text;
        } else {
            seen_text = true;
            after_blank = false;
        }
        offset += line.len();
    }
    out.push((start, book.len()));
    out
}

/// Pushes `book[start..end]` as one piece if it fits in `limit` tokens, else its halves,
/// each split again as needed.
fn split_to_fit(
    book: &str,
    start: usize,
    end: usize,
    limit: usize,
    counter: &TokenCounter,
    pieces: &mut Vec<Piece>,
) -> Result<(), RetrievalError> {
    let tokens = counter.count(&book[start..end])?;
    if tokens <= limit {
        pieces.push(Piece { start, end, tokens });
        return Ok(());
    }
    match cut_near_middle(&book[start..end]) {
        Some(cut) => {
            split_to_fit(book, start, start + cut, limit, counter, pieces)?;
            split_to_fit(book, start + cut, end, limit, counter, pieces)
        }
        None => {
            pieces.push(Piece { start, end, tokens });
            Ok(())
        }
    }
}

/// A byte offset strictly inside `text`, on a character boundary, where it is best cut in two:
/// just after the whitespace nearest the middle, else after the nearest `。！？`, else the
/// middle character. `None` for a single character.
fn cut_near_middle(text: &str) -> Option<usize> {
    let mid = text.len() / 2;
    // Offsets just after each character, except the last (a cut there leaves nothing right).
    let cuts = text
        .char_indices()
        .map(|(i, c)| (i + c.len_utf8(), c))
        .filter(|&(after, _)| after < text.len());
    let mut best: [Option<usize>; 3] = [None; 3];
    for (after, c) in cuts {
        let class = if c.is_whitespace() {
            0
        } else if matches!(c, '。' | '！' | '？') {
            1
        } else {
            2
        };
        let better = best[class].is_none_or(|b| after.abs_diff(mid) < b.abs_diff(mid));
        if better {
            best[class] = Some(after);
        }
    }
    best.into_iter().flatten().next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::TokenizerSpec;

    fn counter() -> TokenCounter {
        TokenCounter::load(&TokenizerSpec::Cl100kBase).expect("built in")
    }

    fn book() -> String {
        let mut book = String::new();
        for p in 0..40 {
            for s in 0..(3 + p % 5) {
                book.push_str(&format!(
                    "Paragraph {p} sentence {s} speaks of rivers and ovens. "
                ));
            }
            book.push_str(if p % 3 == 0 { "\n\n\n" } else { "\n \n" });
        }
        book.push_str("Le café, la forêt — 北京的冬天很冷。终。");
        book
    }

    fn char_slice(text: &str, start: usize, end: usize) -> String {
        text.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn spans_hold_their_text_and_cover_the_book_in_order() {
        let book = book();
        for size in [1, 7, 40, 100, 1000, 100_000] {
            let chunks = chunk_book(&book, size, &counter()).expect("chunks");
            assert_eq!(chunks[0].char_start, 0);
            assert_eq!(
                chunks.last().map(|c| c.char_end),
                Some(book.chars().count())
            );
            for (i, c) in chunks.iter().enumerate() {
                assert_eq!(c.id, i);
                assert_eq!(char_slice(&book, c.char_start, c.char_end), c.text);
                assert_eq!(c.tokens, counter().count(&c.text).expect("counts"));
                if i > 0 {
                    assert_eq!(chunks[i - 1].char_end, c.char_start);
                }
            }
            assert_eq!(
                chunks.iter().map(|c| c.text.as_str()).collect::<String>(),
                book
            );
        }
    }

    #[test]
    fn chunks_break_on_blank_lines_and_stay_near_the_size() {
        let book = book();
        let chunks = chunk_book(&book, 100, &counter()).expect("chunks");
        assert!(chunks.len() > 5);
        for c in &chunks[..chunks.len() - 1] {
            // Each paragraph here is under 100 tokens, so no chunk cuts one.
            assert!(
                c.text.ends_with("\n\n\n") || c.text.ends_with("\n \n"),
                "{:?}",
                c.text
            );
            assert!(c.tokens <= 102, "{} tokens", c.tokens);
        }
        let whole = chunk_book(&book, 1_000_000, &counter()).expect("chunks");
        assert_eq!(whole.len(), 1);
    }

    #[test]
    fn a_long_paragraph_is_cut_at_whitespace() {
        let book = "word ".repeat(1000);
        let chunks = chunk_book(&book, 50, &counter()).expect("chunks");
        assert!(chunks.len() >= 20);
        for c in &chunks {
            assert!(c.tokens <= 51, "{}", c.tokens);
            assert!(c.text.ends_with(' '));
        }
        let zh = "北京的冬天很冷。".repeat(200);
        for c in chunk_book(&zh, 30, &counter()).expect("chunks") {
            assert!(c.text.ends_with('。'), "{:?}", c.text);
        }
    }

    #[test]
    fn zero_size_and_empty_books_are_errors() {
        assert!(matches!(
            chunk_book("text", 0, &counter()),
            Err(RetrievalError::ZeroChunkSize)
        ));
        for empty in ["", " \n\n\t "] {
            assert!(matches!(
                chunk_book(empty, 10, &counter()),
                Err(RetrievalError::EmptyBook)
            ));
        }
    }

    #[test]
    fn paragraphs_keep_the_blank_lines_after_them() {
        let book = "\n\na\nb\n\n\nc\n  \nd";
        let parts: Vec<&str> = paragraphs(book).iter().map(|&(s, e)| &book[s..e]).collect();
        assert_eq!(parts, ["\n\na\nb\n\n\n", "c\n  \n", "d"]);
    }
}
