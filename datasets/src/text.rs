//! Untrusted text files (a haystack, later books, tables and queries) made safe to put in a
//! prompt: a byte-order mark is dropped and line ends normalised, and control characters, which
//! no prose holds and which some servers act on (a NUL silently ends a prompt there), are
//! refused with the file, line and column named.

use std::path::Path;

use crate::DatasetError;

/// `bytes` as text: UTF-8 checked, a leading byte-order mark dropped, CRLF and lone CR made LF,
/// and any control character other than newline and tab refused.
pub fn read_text(path: &Path, bytes: &[u8]) -> Result<String, DatasetError> {
    let text = std::str::from_utf8(bytes).map_err(|e| DatasetError::Invalid {
        path: path.to_path_buf(),
        message: format!("not UTF-8 text ({e})"),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for (i, line) in text.split('\n').enumerate() {
        if let Some((col, c)) = line
            .chars()
            .enumerate()
            .find(|(_, c)| c.is_control() && *c != '\t')
        {
            return Err(DatasetError::Invalid {
                path: path.to_path_buf(),
                message: format!(
                    "line {}, column {}: control character U+{:04X}; text files may hold only printable characters, newlines and tabs (remove it, e.g. with `tr -d '\\000-\\010\\013\\014\\016-\\037'`)",
                    i + 1,
                    col + 1,
                    u32::from(c)
                ),
            });
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_and_line_ends_are_cleaned_and_control_characters_refused() {
        let p = Path::new("h.txt");
        assert_eq!(
            read_text(p, "\u{feff}One.\r\nTwo.\rThree.\tFour.".as_bytes()).unwrap(),
            "One.\nTwo.\nThree.\tFour."
        );
        let err = read_text(p, b"Fine.\nBad\x00here.")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("h.txt") && err.contains("line 2, column 4") && err.contains("U+0000"),
            "{err}"
        );
        let err = read_text(p, "a\u{7}".as_bytes()).unwrap_err().to_string();
        assert!(err.contains("U+0007"), "{err}");
        assert!(read_text(p, &[0xff, 0xfe])
            .unwrap_err()
            .to_string()
            .contains("UTF-8"));
    }
}
