//! Finding and cleaning the answer a model put in `\boxed{...}`.

/// The content of the last `\boxed{...}` in `text`, braces balanced (`\boxed{\text{Ann}}` gives
/// `\text{Ann}`). `None` when there is none, or the last one never closes.
pub fn extract_boxed(text: &str) -> Option<&str> {
    const OPEN: &str = "\\boxed{";
    let start = text.rfind(OPEN)? + OPEN.len();
    let mut depth = 1usize;
    for (i, c) in text[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&text[start..start + i]);
                }
            }
            _ => {}
        }
    }
    None
}

use super::latex::plain;

/// `answer` inside `\boxed{}`, the format NeedleBench's prompts ask for.
pub(crate) fn boxed(answer: &str) -> String {
    format!("\\boxed{{{answer}}}")
}

/// Cleans an answer for comparison: reads LaTeX text markup as its text ([`plain`]), strips
/// surrounding quotes, bold markers and trailing punctuation, collapses white space and
/// lower-cases. Cleaning never adds or reorders words, so two answers are equal only if they say
/// the same thing.
pub fn clean(answer: &str) -> String {
    let mut s = plain(answer).trim().to_string();
    loop {
        let before = s.clone();
        for (open, close) in [
            ("**", "**"),
            ("\"", "\""),
            ("'", "'"),
            ("“", "”"),
            ("‘", "’"),
            ("「", "」"),
            ("《", "》"),
        ] {
            if s.len() >= open.len() + close.len() && s.starts_with(open) && s.ends_with(close) {
                s = s[open.len()..s.len() - close.len()].trim().to_string();
            }
        }
        let trimmed = s.trim_end_matches([
            '.', ',', ';', ':', '!', '?', '。', '，', '；', '：', '！', '？',
        ]);
        s = trimmed.trim().to_string();
        if s == before {
            break;
        }
    }
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_balanced_box_wins() {
        assert_eq!(extract_boxed("\\boxed{A} then \\boxed{B}"), Some("B"));
        assert_eq!(
            extract_boxed("so \\boxed{\\text{Ann Vane}}."),
            Some("\\text{Ann Vane}")
        );
        assert_eq!(extract_boxed("no box"), None);
        assert_eq!(extract_boxed("\\boxed{never closed"), None);
        assert_eq!(extract_boxed("\\boxed{}"), Some(""));
    }

    #[test]
    fn cleaning_is_strict_but_forgiving_of_format() {
        assert_eq!(clean(" \\text{**Ann  Vane**}. "), "ann vane");
        assert_eq!(clean("“王芳”。"), "王芳");
        assert_eq!(clean("'3'"), "3");
        assert_eq!(clean("Ann Vane and Bo Quill"), "ann vane and bo quill");
    }
}
