//! Token counting with a named tokenizer. Lengths in longforge are always "tokens of tokenizer
//! X", and X is written into every sample and manifest.
//!
//! Counts use ordinary encoding: text that looks like a special token (`<|endoftext|>`) counts as
//! the plain text it is.
//!
//! The built-in encodings count with `bpe-openai` (a linear-time byte-pair encoder, about twice
//! as fast as tiktoken-rs on prose here and quicker to load). Its counts must equal tiktoken's:
//! the tests compare the two on prose in both languages, code, digits, special-token strings and
//! runs of spaces and punctuation, and on generated text; tiktoken-rs stays the reference there.
//! Two things make a count faster than `bpe-openai`'s own, with the same result: ASCII text is
//! split into pre-tokens without the regex (`tokenizer/pieces.rs`), and each distinct pre-token
//! is encoded once (markup repeats a few thousand pieces a hundred thousand times): a short one
//! once per thread, a longer one once per count. Together they count a generated HTML page of
//! 100k tokens in about a fifth of the time.

mod pieces;

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use bpe_openai::Tokenizer as Bpe;
use rustc_hash::FxHashMap;

use crate::{sha256_hex, DatasetError};
use pieces::Pattern;

/// Which tokenizer to count with, as a user names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenizerSpec {
    Cl100kBase,
    O200kBase,
    /// A Hugging Face `tokenizer.json`.
    HuggingFace(PathBuf),
}

impl TokenizerSpec {
    /// `cl100k_base`, `o200k_base`, or a path to a `tokenizer.json`.
    pub fn parse(spec: &str) -> Self {
        match spec {
            "cl100k_base" => TokenizerSpec::Cl100kBase,
            "o200k_base" => TokenizerSpec::O200kBase,
            path => TokenizerSpec::HuggingFace(PathBuf::from(path)),
        }
    }
}

enum Backend {
    /// cl100k_base or o200k_base, and its pre-token pattern.
    OpenAi(&'static Bpe, Pattern),
    HuggingFace(Box<tokenizers::Tokenizer>),
}

/// A loaded tokenizer. Cheap to share across threads.
pub struct TokenCounter {
    name: String,
    backend: Backend,
}

impl std::fmt::Debug for TokenCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCounter")
            .field("name", &self.name)
            .finish()
    }
}

impl TokenCounter {
    pub fn load(spec: &TokenizerSpec) -> Result<Self, DatasetError> {
        match spec {
            TokenizerSpec::Cl100kBase => Ok(TokenCounter {
                name: "cl100k_base".into(),
                backend: Backend::OpenAi(bpe_openai::cl100k_base(), Pattern::Cl100k),
            }),
            TokenizerSpec::O200kBase => Ok(TokenCounter {
                name: "o200k_base".into(),
                backend: Backend::OpenAi(bpe_openai::o200k_base(), Pattern::O200k),
            }),
            TokenizerSpec::HuggingFace(path) => load_hugging_face(path),
        }
    }

    /// Stable across machines: a built-in name, or `hf:<file name>#<first 16 hex of its SHA-256>`
    /// for a `tokenizer.json` (its folder is not part of the name, so moving it changes nothing).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Exact token count of `text`.
    pub fn count(&self, text: &str) -> Result<usize, DatasetError> {
        match &self.backend {
            Backend::OpenAi(bpe, pattern) => Ok(count_pieces(bpe, *pattern, text)),
            Backend::HuggingFace(tok) => {
                tok.encode_fast(text, false)
                    .map(|enc| enc.len())
                    .map_err(|e| DatasetError::Tokenizer {
                        spec: self.name.clone(),
                        message: e.to_string(),
                    })
            }
        }
    }

    /// The same exact count as [`count`](Self::count), using every core where that is provably
    /// equal. For the tiktoken encodings no pre-token ever spans a newline followed by a letter
    /// (see [`is_piece_boundary`]), so the text can be cut there and the counts added. Other
    /// tokenizers count in one pass.
    pub fn count_parallel(&self, text: &str) -> Result<usize, DatasetError> {
        let (bpe, pattern) = match &self.backend {
            Backend::OpenAi(bpe, pattern) => (*bpe, *pattern),
            Backend::HuggingFace(_) => return self.count(text),
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads == 1 || text.len() < 256 * 1024 {
            return Ok(count_pieces(bpe, pattern, text));
        }
        let pieces = split_at_piece_boundaries(text, threads * 4);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let total = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(piece) = pieces.get(i) else { break };
                    let n = count_pieces(bpe, pattern, piece);
                    total.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                });
            }
        });
        Ok(total.into_inner())
    }

    /// Whether counts of texts cut at [`is_piece_boundary`] add up exactly. True for the built-in
    /// tiktoken encodings; a `tokenizer.json` may normalise or merge across lines, so no.
    pub fn counts_add_at_line_starts(&self) -> bool {
        matches!(self.backend, Backend::OpenAi(..))
    }
}

/// Short pieces whose counts a thread keeps; past this many it starts afresh (the map is then
/// about 10 MB).
const SHORT_PIECES_KEPT: usize = 1 << 18;

thread_local! {
    /// The byte-pair counts of the short pieces (see [`short_key`]) this thread has counted, in
    /// every count since: the same markup, names and numbers come back sample after sample, and
    /// encoding a piece costs far more than looking it up.
    static SHORT_PIECES: RefCell<FxHashMap<u128, usize>> = RefCell::new(FxHashMap::default());
}

/// A piece of at most 15 bytes as one number: its bytes, then its length and encoding in the
/// last byte, so no two pieces (or one piece in the two encodings) share a key. Most pieces are
/// this short (99% of a generated HTML page's), and a number hashes and compares faster than a
/// string.
fn short_key(pattern: Pattern, piece: &str) -> Option<u128> {
    let bytes = piece.as_bytes();
    if bytes.len() > 15 {
        return None;
    }
    let mut key = [0u8; 16];
    key[..bytes.len()].copy_from_slice(bytes);
    key[15] = bytes.len() as u8 | if pattern == Pattern::O200k { 0x80 } else { 0 };
    Some(u128::from_le_bytes(key))
}

/// `bpe.count(text)`: the tokens of each pre-token, added. A piece met again takes its count
/// from the first time (a piece's tokens depend on the piece and the encoding alone): short
/// pieces from this thread's [`SHORT_PIECES`], longer ones from this count's. The built-in
/// encodings do not normalise text, so there is nothing to do before splitting.
fn count_pieces(bpe: &Bpe, pattern: Pattern, text: &str) -> usize {
    SHORT_PIECES.with_borrow_mut(|short| {
        if short.len() > SHORT_PIECES_KEPT {
            short.clear();
        }
        let mut long: FxHashMap<&str, usize> = FxHashMap::default();
        let encode = |piece: &str| bpe.bpe.count(piece.as_bytes());
        pieces::split(bpe, pattern, text)
            .map(|piece| match short_key(pattern, piece) {
                Some(key) => *short.entry(key).or_insert_with(|| encode(piece)),
                None => *long.entry(piece).or_insert_with(|| encode(piece)),
            })
            .sum()
    })
}

/// True where `text[..byte]` ends with `\n` and `text[byte..]` starts with a letter. In both
/// tiktoken patterns every alternative that can hold a newline ends at it or holds only
/// whitespace, and none may start with a newline before a letter, so a pre-token boundary always
/// falls here, whatever surrounds it.
pub fn is_piece_boundary(text: &str, byte: usize) -> bool {
    byte > 0
        && byte < text.len()
        && text.as_bytes()[byte - 1] == b'\n'
        && text[byte..].chars().next().is_some_and(char::is_alphabetic)
}

/// About `want` pieces of similar size, cut only at piece boundaries.
fn split_at_piece_boundaries(text: &str, want: usize) -> Vec<&str> {
    let step = (text.len() / want.max(1)).max(1);
    let mut pieces = Vec::with_capacity(want + 1);
    let mut start = 0;
    while start < text.len() {
        let mut cut = (start + step).min(text.len());
        while cut < text.len() && !(text.is_char_boundary(cut) && is_piece_boundary(text, cut)) {
            cut += 1;
        }
        pieces.push(&text[start..cut]);
        start = cut;
    }
    pieces
}

fn load_hugging_face(path: &Path) -> Result<TokenCounter, DatasetError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| DatasetError::Tokenizer {
        spec: shown.clone(),
        message: format!(
            "cannot read it ({e}); name a built-in tokenizer (cl100k_base, o200k_base) or the path to a Hugging Face tokenizer.json"
        ),
    })?;
    let mut tok =
        tokenizers::Tokenizer::from_bytes(&bytes).map_err(|e| DatasetError::Tokenizer {
            spec: shown.clone(),
            message: format!("not a valid Hugging Face tokenizer.json: {e}"),
        })?;
    // Counting must see the whole text: a truncation or padding setting in the file would lie.
    tok.with_truncation(None)
        .map_err(|e| DatasetError::Tokenizer {
            spec: shown.clone(),
            message: e.to_string(),
        })?;
    tok.with_padding(None);
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tokenizer.json".into());
    let digest = sha256_hex(&bytes);
    Ok(TokenCounter {
        name: format!("hf:{file_name}#{}", &digest[..16]),
        backend: Backend::HuggingFace(Box::new(tok)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_ordinary_text_and_specials_as_text() {
        let c = TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap();
        assert_eq!(c.count("hello world").unwrap(), 2);
        // `<|endoftext|>` is counted as the characters it is, not as one special token.
        assert!(c.count("<|endoftext|>").unwrap() > 1);
        let o = TokenCounter::load(&TokenizerSpec::O200kBase).unwrap();
        assert_eq!(o.name(), "o200k_base");
        assert!(o.count("hello world").unwrap() >= 2);
    }

    #[test]
    fn counts_kept_between_counts_are_per_encoding() {
        // Short pieces that the two encodings count differently, counted again and again on one
        // thread in both: each count must come from its own encoding's pieces.
        let text = " Quillfeather 在遥远 的山谷 里住着 一位年迈 的陶匠 0.375 ;;;; \t\t\t";
        let want: Vec<usize> = BUILT_IN.iter().map(|s| reference(s, text)).collect();
        assert_ne!(
            want[0], want[1],
            "the test needs pieces the encodings count differently"
        );
        let counters = BUILT_IN.map(|s| TokenCounter::load(&s).unwrap());
        for _ in 0..3 {
            for (counter, want) in counters.iter().zip(&want) {
                assert_eq!(counter.count(text).unwrap(), *want, "{}", counter.name());
            }
        }
    }

    #[test]
    fn missing_tokenizer_file_says_what_to_do() {
        let err = TokenCounter::load(&TokenizerSpec::parse("/no/such/tokenizer.json"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("/no/such/tokenizer.json") && err.contains("cl100k_base"),
            "{err}"
        );
    }

    #[test]
    fn parallel_count_equals_one_pass_on_a_large_text() {
        let c = TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap();
        let para = "Rivers carve valleys over centuries.\nA 1999 report said: \"ok\"  \n\n  indented line\n中文段落。\n/slash start\n";
        let text = para.repeat(6000);
        assert_eq!(c.count_parallel(&text).unwrap(), c.count(&text).unwrap());
    }

    fn texty() -> impl Strategy<Value = String> {
        // Letters, digits, punctuation, CJK, assorted whitespace and newlines: the places a
        // pre-token could try to span a cut.
        let atoms = prop::sample::select(vec![
            "a",
            "The",
            "word",
            "'s",
            "'ll",
            " ",
            "  ",
            "\n",
            "\n\n",
            " \n",
            "\r\n",
            "\t",
            ".",
            ",",
            "!?",
            "\"",
            "/",
            "123",
            "4567",
            "é",
            "Ω",
            "中",
            "文字",
            "。",
            "-",
            "<|endoftext|>",
            "\u{345}",
        ]);
        prop::collection::vec(atoms, 0..200).prop_map(|v| v.concat())
    }

    /// tiktoken-rs's count: the reference.
    fn reference(spec: &TokenizerSpec, text: &str) -> usize {
        match spec {
            TokenizerSpec::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
            TokenizerSpec::O200kBase => tiktoken_rs::o200k_base_singleton(),
            TokenizerSpec::HuggingFace(_) => unreachable!("only the built-in encodings"),
        }
        .encode_ordinary(text)
        .len()
    }

    const BUILT_IN: [TokenizerSpec; 2] = [TokenizerSpec::Cl100kBase, TokenizerSpec::O200kBase];

    #[test]
    fn counts_equal_tiktoken_on_the_test_corpora() {
        let english = "The committee met on 12 March 1987, and nobody -- not even the chair -- expected what followed. \"We can't,\" she said; \"we won't.\" It's 3:45 p.m.; the 2nd floor's lights are off.\n\nSo they'd left. I'll say it again: they'd LEFT!!!\n";
        let chinese = "在遥远的山谷里，住着一位年迈的陶匠。他每天清晨都会去河边取水，然后坐在窗前，慢慢地揉着陶土。\n\n村里的孩子们常常围在他身边，问他：“爷爷，您做的碗为什么总是不一样？”他笑着回答：“因为每一天都不一样。”2024年，他已经九十岁了。\n";
        let code = concat!(
            include_str!("tokenizer.rs"),
            include_str!("text.rs"),
            include_str!("seed.rs")
        );
        let digits = "0 1 12 123 1234 12345 123456 3.14159 2,000,000 1e-9 0x1F 007 9999999999999999999 ١٢٣ ①②";
        let specials = "<|endoftext|> <|fim_prefix|><|fim_middle|><|fim_suffix|> <|endofprompt|> <|im_start|>user\n<|im_end|> [INST] </s> <s>";
        let spaces = format!(
            "a{}b\n{}\n\n\n{}c\t\t\td{} \n \n{}",
            " ".repeat(37),
            " ".repeat(200),
            "\u{3000}".repeat(9),
            "\u{a0}".repeat(5),
            " ".repeat(3)
        );
        let punctuation = "!!!???...,,,;;;::: --- ___ *** ((())) [[[]]] {{{}}} \"\"\" ''' ``` ~~~ === +++ /// \\\\ ||| &&& ^^^ %%% $$$ ### @@@ …… —— 、、 。。 ！！ ？？ ；； ：： 「」『』《》";
        let mixed = "naïve café résumé Ω≈ç√∫ 😀🎉👍🏽 한국어 日本語のテキスト Ελληνικά русский текст عربى हिन्दी ﷽ \u{345}\u{301}e\u{301}";
        let html = "<li class=\"result\" data-id=\"1042\"><a href=\"/place/1042\"><strong>Café Lantern</strong></a> <span class=\"sep\">&mdash;</span> Rating: 4.5 <span class=\"sep\">|</span> Phone: (555) 123-0042</li>\n<div class=\"card product-card\">\n  <span class=\"price\">$129.99</span>\n</div>\n</section>\n<footer>&copy; 2026 Ombrel Store. All rights reserved.</footer>\n";
        for spec in BUILT_IN {
            let counter = TokenCounter::load(&spec).unwrap();
            for (name, text) in [
                ("english", english.repeat(40)),
                ("chinese", chinese.repeat(40)),
                ("code", code.to_string()),
                ("digits", digits.repeat(10)),
                ("special-token strings", specials.repeat(10)),
                ("runs of spaces", spaces.repeat(10)),
                ("runs of punctuation", punctuation.repeat(10)),
                ("other scripts and emoji", mixed.repeat(10)),
                ("html", html.repeat(20)),
            ] {
                let want = reference(&spec, &text);
                assert_eq!(
                    counter.count(&text).unwrap(),
                    want,
                    "{} on {name}",
                    counter.name()
                );
                assert_eq!(counter.count_parallel(&text).unwrap(), want, "{name}");
            }
        }
    }

    /// Any text at all, weighted towards what makes pre-tokenisers disagree: whitespace of every
    /// kind and length, apostrophe contractions, digits, punctuation runs and mixed scripts.
    fn any_text() -> impl Strategy<Value = String> {
        let atom = prop_oneof![
            3 => texty(),
            2 => "[ \t\n\r\u{a0}\u{3000}\u{2028}\u{85}]{1,40}",
            2 => "[a-zA-Z']{1,12}",
            1 => "[0-9]{1,12}",
            1 => "[!-/:-@\\[-`{-~]{1,12}",
            1 => "\\PC{1,16}",
            1 => any::<String>(),
        ];
        prop::collection::vec(atom, 0..24).prop_map(|v| v.concat())
    }

    /// Text mostly of ASCII, made to cross every test `pieces::piece_end` makes with what may
    /// change its answer: contractions in any case and cut short (and the long s, which matches
    /// `s` without regard to case), words in mixed case, digit runs, symbol runs before line
    /// breaks and slashes, whitespace of every ASCII kind and beyond, control characters, markup;
    /// and, next to each, the non-ASCII letters, marks, digits and spaces that must hand a piece
    /// to the regex.
    fn mostly_ascii() -> impl Strategy<Value = String> {
        let atoms = prop::sample::select(vec![
            "'s",
            "'S",
            "'t",
            "'re",
            "'RE",
            "'rE",
            "'ve",
            "'m",
            "'ll",
            "'Ll",
            "'d",
            "'D",
            "'r",
            "'l",
            "'v",
            "'x",
            "'",
            "''",
            "ſ",
            "\u{212a}",
            "dog",
            "Dog",
            "DOG",
            "HTMLParser",
            "fooBar",
            "aB",
            "Ab",
            "x",
            "X",
            "é",
            "É",
            "e\u{301}",
            "\u{301}",
            "ǅ",
            "ʰ",
            "中",
            "١",
            "½",
            "²",
            "1",
            "12",
            "123",
            "1234",
            " ",
            "  ",
            "   ",
            "\t",
            "\n",
            "\n\n",
            "\r\n",
            "\r",
            "\u{b}",
            "\u{c}",
            "\u{a0}",
            "\u{3000}",
            "\u{85}",
            "\u{2028}",
            "<",
            ">",
            "</",
            "/",
            "//",
            "\"",
            "=",
            "&amp;",
            "$",
            "12.99",
            "-",
            "—",
            "…",
            "\u{0}",
            "\u{1c}",
            "\u{1f}",
            "\u{7f}",
            "(555)",
            "<div class=\"x\">",
            "</span>\n",
            "\n</div>",
            ">\n/",
            " <",
            " $",
            "\t<",
        ]);
        prop::collection::vec(atoms, 0..60).prop_map(|v| v.concat())
    }

    fn split_both_ways(spec: &TokenizerSpec, text: &str) -> (Vec<String>, Vec<String>) {
        let (bpe, pattern) = match spec {
            TokenizerSpec::Cl100kBase => (bpe_openai::cl100k_base(), Pattern::Cl100k),
            TokenizerSpec::O200kBase => (bpe_openai::o200k_base(), Pattern::O200k),
            TokenizerSpec::HuggingFace(_) => unreachable!("only the built-in encodings"),
        };
        (
            pieces::split(bpe, pattern, text)
                .map(str::to_string)
                .collect(),
            bpe.split(text).map(str::to_string).collect(),
        )
    }

    #[test]
    fn ascii_text_is_split_without_the_regex() {
        let text = format!(
            "{}{}",
            include_str!("tokenizer.rs").replace(|c: char| !c.is_ascii(), "?"),
            "HTMLParser's DOG'S 'll'RE 12345 \r\n\t \u{b}\u{c}  x\n/ >\n/ end  "
        );
        for pattern in [Pattern::Cl100k, Pattern::O200k] {
            let mut at = 0;
            while at < text.len() {
                let end = pieces::piece_end(pattern, text.as_bytes(), at);
                assert!(end.is_some(), "{pattern:?} at {:?}", &text[at..]);
                at = end.unwrap_or(text.len());
            }
        }
        for spec in BUILT_IN {
            let (ours, regex) = split_both_ways(&spec, &text);
            assert_eq!(ours, regex);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn pieces_equal_the_regex_pieces(text in mostly_ascii(), other in any_text()) {
            for spec in BUILT_IN {
                for text in [&text, &other] {
                    let (ours, regex) = split_both_ways(&spec, text);
                    prop_assert_eq!(ours, regex, "{:?}", spec);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn counts_equal_tiktoken_on_generated_text(text in any_text()) {
            for spec in BUILT_IN {
                let counter = TokenCounter::load(&spec).unwrap();
                prop_assert_eq!(
                    counter.count(&text).unwrap(),
                    reference(&spec, &text),
                    "{}",
                    counter.name()
                );
            }
        }
    }

    proptest! {
        #[test]
        fn cuts_at_piece_boundaries_preserve_counts(a in texty(), b in texty()) {
            for counter in [TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap(),
                            TokenCounter::load(&TokenizerSpec::O200kBase).unwrap()] {
                let text = format!("{a}\nX{b}");
                let cut = a.len() + 1;
                prop_assert!(is_piece_boundary(&text, cut));
                let whole = counter.count(&text).unwrap();
                let parts = counter.count(&text[..cut]).unwrap() + counter.count(&text[cut..]).unwrap();
                prop_assert_eq!(whole, parts);
            }
        }
    }
}
