//! Whether a text names a phrase: the one test both a family (keeping a question's answer out of
//! its wording) and a scorer (crediting an answer that names a key fact) must agree on.

/// Whether `text` names `phrase` as whole words: case-insensitive, any run of whitespace equal to
/// one space, curly apostrophes equal to straight ones, and no letter or digit right before or
/// after the match ("Ann" is not named by "Anna" or "Joanne").
///
/// An empty phrase is named by nothing.
pub fn mentions(text: &str, phrase: &str) -> bool {
    !mention_offsets(text, phrase).is_empty()
}

/// Every place `text` names `phrase` (as [`mentions`] reads it), in reading order: byte offsets
/// into `text` folded (lower case, whitespace runs as one space), so offsets of several phrases
/// in one text compare in reading order, but do not index `text` itself.
pub fn mention_offsets(text: &str, phrase: &str) -> Vec<usize> {
    let phrase = fold(phrase);
    let mut out = Vec::new();
    if phrase.is_empty() {
        return out;
    }
    let text = fold(text);
    let mut from = 0;
    while let Some(at) = text[from..].find(&phrase) {
        let start = from + at;
        let end = start + phrase.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            out.push(start);
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Lower case, whitespace runs as one space, curly apostrophes straight, ends trimmed.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        match c {
            '\u{2019}' | '\u{2018}' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn whole_words_any_case_any_spacing() {
        assert!(mentions("Then Ilse  Quill took it.", "ilse quill"));
        assert!(mentions("It went to Ilse.", "Ilse"));
        assert!(!mentions("It went to Ilsebeth.", "Ilse"));
        assert!(!mentions("Joanne left.", "Ann"));
        assert!(
            mentions("Anna and Ann left.", "Ann"),
            "a later match counts"
        );
        assert!(mentions("the pearl-handled knife", "pearl-handled knife"));
        assert!(mentions("Nora\u{2019}s locket", "Nora's locket"));
        assert!(mentions("Ängstrom Mill.", "ängstrom mill"));
        assert!(!mentions("anything", ""));
        assert!(!mentions("", "x"));
    }

    #[test]
    fn offsets_compare_in_reading_order() {
        use super::mention_offsets;
        let text = "Then   Tom left; later TOM and Ilse.";
        let tom = mention_offsets(text, "tom");
        assert_eq!(tom.len(), 2);
        assert!(tom[1] < mention_offsets(text, "Ilse")[0]);
        assert_eq!(mention_offsets(text, "Then Tom"), [0]);
        assert!(mention_offsets(text, "Ann").is_empty());
    }
}
