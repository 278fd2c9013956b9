//! The pre-tokens of the tiktoken encodings, found without their regex where the text is ASCII.
//!
//! A count splits the text into pre-tokens with the encoding's regex, then byte-pair encodes each
//! piece. On the markup and lists longforge generates the regex was over a third of the time (a
//! LongProc HTML page of 100k tokens: about 2.9 ms of 7.5), yet on ASCII every alternative of
//! both patterns comes down to a few tests on bytes. [`piece_end`] makes those tests, and gives
//! up (`None`) whenever a byte it would have to read is not ASCII, since such a character may be
//! a letter, a mark, a digit or a space; the caller then asks the regex for that one piece. Both
//! always agree: the tests compare every piece of generated text with the regex's.
//!
//! The patterns, tried in order at the start of a piece (tiktoken's; `bpe-openai` writes the
//! `(?!\S)` look-ahead its own way, with the same pieces):
//!
//! - cl100k_base: `(?i:'s|'t|'re|'ve|'m|'ll|'d)`, `[^\r\n\p{L}\p{N}]?\p{L}+`, `\p{N}{1,3}`,
//!   ` ?[^\s\p{L}\p{N}]+[\r\n]*`, `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`.
//! - o200k_base: `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+`
//!   then an optional contraction as above, the same with `[..]+[..]*`, `\p{N}{1,3}`,
//!   ` ?[^\s\p{L}\p{N}]+[\r\n/]*`, `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`.
//!
//! In ASCII, `\p{L}` is `[A-Za-z]` (`\p{Lu}` the capitals, `\p{Ll}` the small letters, no
//! `\p{Lt}`, `\p{Lm}`, `\p{Lo}` or `\p{M}`), `\p{N}` is `[0-9]` and `\s` is tab, line feed,
//! vertical tab, form feed, carriage return and space.

use bpe_openai::Tokenizer as Bpe;

/// The pre-tokens of `text`: the pieces `bpe.split(text)` gives, the ASCII ones found by
/// [`piece_end`] and the others by `bpe`'s regex (`pattern` must be `bpe`'s).
pub(super) fn split<'a>(bpe: &'a Bpe, pattern: Pattern, text: &'a str) -> Pieces<'a> {
    Pieces {
        bpe,
        pattern,
        text,
        at: 0,
    }
}

pub(super) struct Pieces<'a> {
    bpe: &'a Bpe,
    pattern: Pattern,
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = &self.text[self.at..];
        if rest.is_empty() {
            return None;
        }
        // Neither the patterns nor `piece_end` look behind a piece's start, so the rest of the
        // text splits as the whole does from here. Like `bpe.split`, stop where the regex
        // finds no piece (every character starts one, so it never does). An empty piece from
        // `piece_end` would be a bug that loops forever; the regex answers instead.
        let len = match piece_end(self.pattern, rest.as_bytes(), 0) {
            Some(end) if end > 0 => end,
            _ => self.bpe.split(rest).next()?.len(),
        };
        self.at += len;
        Some(&rest[..len])
    }
}

/// Which encoding's pattern to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pattern {
    Cl100k,
    O200k,
}

/// What a byte is to the patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Capital,
    Small,
    Digit,
    /// `\r` or `\n`.
    Newline,
    /// Whitespace other than `\r` and `\n`.
    Space,
    /// Any other ASCII byte: punctuation, symbols, control characters.
    Symbol,
    /// A byte of a non-ASCII character: its class is unknown here.
    Wide,
    /// Past the end of the text.
    End,
}

use Class::*;

fn class(text: &[u8], at: usize) -> Class {
    match text.get(at) {
        None => End,
        Some(b'A'..=b'Z') => Capital,
        Some(b'a'..=b'z') => Small,
        Some(b'0'..=b'9') => Digit,
        Some(b'\r' | b'\n') => Newline,
        Some(b'\t' | 0x0B | 0x0C | b' ') => Space,
        Some(0x80..) => Wide,
        Some(_) => Symbol,
    }
}

fn is_letter(c: Class) -> bool {
    matches!(c, Capital | Small)
}

/// The end of the run of bytes of class `of` from `at`; `None` when the run stops at a
/// non-ASCII character, which might have continued it.
fn run(text: &[u8], mut at: usize, of: impl Fn(Class) -> bool) -> Option<usize> {
    loop {
        match class(text, at) {
            c if of(c) => at += 1,
            Wide => return None,
            _ => return Some(at),
        }
    }
}

/// The end of the piece of `pattern` that starts at byte `at` of `text` (which must be below
/// `text.len()`), or `None` when a byte that decides it is not ASCII. The end is always past
/// `at`, and on a character boundary when `text` is UTF-8.
pub(super) fn piece_end(pattern: Pattern, text: &[u8], at: usize) -> Option<usize> {
    let first = class(text, at);
    match first {
        Wide | End => return None,
        Symbol if text[at] == b'\'' && pattern == Pattern::Cl100k => {
            if let Some(end) = contraction(text, at)? {
                return Some(end);
            }
        }
        _ => {}
    }
    // The letter alternatives: a word, perhaps after one character that is not a line break,
    // letter or digit.
    let word = match (first, class(text, at + 1)) {
        (Capital | Small, _) => Some(at),
        (Space | Symbol, Capital | Small) => Some(at + 1),
        (Space | Symbol, Wide) => return None,
        _ => None,
    };
    if let Some(start) = word {
        return match pattern {
            Pattern::Cl100k => run(text, start, is_letter),
            Pattern::O200k => cased_word(text, start),
        };
    }
    if first == Digit {
        // `\p{N}{1,3}`: a fourth digit starts the next piece, whatever follows it.
        let mut end = at + 1;
        while end < at + 3 && class(text, end) == Digit {
            end += 1;
        }
        return match class(text, end) {
            Wide if end < at + 3 => None,
            _ => Some(end),
        };
    }
    // ` ?[^\s\p{L}\p{N}]+` then line breaks (and slashes, in o200k).
    let symbols = match (first, class(text, at + 1)) {
        (Symbol, _) => Some(at),
        (Space, Symbol) if text[at] == b' ' => Some(at + 1),
        _ => None,
    };
    if let Some(start) = symbols {
        let mut end = run(text, start, |c| c == Symbol)?;
        while let Some(&b) = text.get(end) {
            if b == b'\r' || b == b'\n' || (b == b'/' && pattern == Pattern::O200k) {
                end += 1;
            } else {
                break;
            }
        }
        return Some(end);
    }
    whitespace(text, at)
}

/// `(?i:'s|'t|'re|'ve|'m|'ll|'d)` at `at` (an apostrophe): `Some(None)` when it does not
/// match, `None` when a non-ASCII character is among the bytes read (the long s, `ſ`, matches
/// `s` without regard to case).
fn contraction(text: &[u8], at: usize) -> Option<Option<usize>> {
    let next = |k: usize| text.get(at + k).copied();
    if [next(1), next(2)]
        .into_iter()
        .flatten()
        .any(|b| !b.is_ascii())
    {
        return None;
    }
    let lower = |k: usize| next(k).map(|b| b.to_ascii_lowercase());
    Some(match (lower(1), lower(2)) {
        (Some(b's' | b't' | b'm' | b'd'), _) => Some(at + 2),
        (Some(b'r'), Some(b'e')) | (Some(b'v'), Some(b'e')) | (Some(b'l'), Some(b'l')) => {
            Some(at + 3)
        }
        _ => None,
    })
}

/// o200k's two letter alternatives from `start` (a letter): capitals then at least one small
/// letter, or else at least one capital then small letters; either way the capitals and the
/// small letters after them, then an optional contraction.
fn cased_word(text: &[u8], start: usize) -> Option<usize> {
    let capitals = run(text, start, |c| c == Capital)?;
    let end = run(text, capitals, |c| c == Small)?;
    if text.get(end) == Some(&b'\'') {
        if let Some(with) = contraction(text, end)? {
            return Some(with);
        }
    }
    Some(end)
}

/// The whitespace alternatives at `at` (a whitespace byte): up to the last line break of the
/// run; else the whole run when it ends the text; else all but its last character (which goes
/// with what follows), or the one character of a run of one.
fn whitespace(text: &[u8], at: usize) -> Option<usize> {
    let end = run(text, at, |c| matches!(c, Space | Newline))?;
    if let Some(last) = text[at..end]
        .iter()
        .rposition(|&b| b == b'\r' || b == b'\n')
    {
        return Some(at + last + 1);
    }
    if end == text.len() || end - at == 1 {
        Some(end)
    } else {
        Some(end - 1)
    }
}
