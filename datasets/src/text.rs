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
        check_line(path, i + 1, line)?;
    }
    Ok(text)
}

/// Refuses a control character other than tab in one line (numbered from 1).
fn check_line(path: &Path, number: usize, line: &str) -> Result<(), DatasetError> {
    // Control characters are C0 (bytes below 0x20), DEL, and C1 (U+0080-U+009F, encoded as
    // 0xC2 0x80-0x9F): a byte scan clears almost every line without decoding it.
    let bytes = line.as_bytes();
    let suspect = bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && b != b'\t')
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    });
    if !suspect {
        return Ok(());
    }
    match line
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && *c != '\t')
    {
        None => Ok(()),
        Some((col, c)) => Err(DatasetError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "line {number}, column {}: control character U+{:04X}; text files may hold only printable characters, newlines and tabs (remove it, e.g. with `tr -d '\\000-\\010\\013\\014\\016-\\037'`)",
                col + 1,
                u32::from(c)
            ),
        }),
    }
}

/// One line of a text file, as [`read_text`] would split it (after line ends are normalised),
/// with where it lies in the file's raw bytes.
#[derive(Debug, Clone, Copy)]
pub struct TextLine<'a> {
    /// 1-based, counting a lone CR as a line end, as [`read_text`] does.
    pub number: usize,
    /// Byte offset in the file of the line's first byte (after a leading byte-order mark).
    pub start: u64,
    /// Byte offset just past the line's last byte, its line end excluded.
    pub end: u64,
    pub text: &'a str,
}

/// Reads a text file line by line in constant memory and hands each line to `each`, with the
/// checks of [`read_text`] (UTF-8, control characters, with the line and column named) and its
/// line splitting, so an index built from the offsets reads back what [`read_text`] would give.
/// `path` only names the file in errors.
///
/// # Errors
/// The first read error, invalid line, or error `each` returns.
pub fn scan_lines<E: From<DatasetError>>(
    path: &Path,
    mut reader: impl std::io::BufRead,
    mut each: impl FnMut(TextLine<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let mut buf = Vec::new();
    let mut offset = 0u64;
    let mut number = 0usize;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| DatasetError::Io {
                path: path.to_path_buf(),
                cause: e,
            })?;
        if n == 0 {
            return Ok(());
        }
        let line_start = offset;
        offset += n as u64;
        let mut raw: &[u8] = &buf;
        if let Some(rest) = raw.strip_suffix(b"\n") {
            raw = rest.strip_suffix(b"\r").unwrap_or(rest);
        }
        let mut start = line_start;
        if line_start == 0 {
            if let Some(rest) = raw.strip_prefix("\u{feff}".as_bytes()) {
                raw = rest;
                start += 3;
            }
        }
        let text = std::str::from_utf8(raw).map_err(|e| DatasetError::Invalid {
            path: path.to_path_buf(),
            message: format!("line {}: not UTF-8 text ({e})", number + 1),
        })?;
        for part in text.split('\r') {
            number += 1;
            check_line(path, number, part)?;
            let end = start + part.len() as u64;
            each(TextLine {
                number,
                start,
                end,
                text: part,
            })?;
            start = end + 1;
        }
    }
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

    proptest::proptest! {
        #[test]
        fn the_byte_scan_refuses_exactly_the_control_characters(line in "\\PC{0,4}[\u{0}-\u{ff}]{0,3}\\PC{0,4}") {
            let controlled = line.chars().any(|c| c.is_control() && c != '\t');
            proptest::prop_assert_eq!(check_line(Path::new("h.txt"), 1, &line).is_err(), controlled);
        }
    }

    /// The lines `scan_lines` hands out, read back from the raw bytes by their offsets.
    fn scanned(bytes: &[u8]) -> Result<Vec<(usize, String)>, DatasetError> {
        let mut out = Vec::new();
        scan_lines(Path::new("h.txt"), bytes, |l: TextLine<'_>| {
            let raw = &bytes[l.start as usize..l.end as usize];
            assert_eq!(raw, l.text.as_bytes(), "offsets locate the line");
            out.push((l.number, l.text.to_string()));
            Ok::<_, DatasetError>(())
        })?;
        Ok(out)
    }

    #[test]
    fn scanned_lines_are_read_texts_lines_at_their_offsets() {
        for text in [
            "\u{feff}One.\r\nTwo.\rThree.\tFour.\n\nFive",
            "a\r\rb\r\n\r\nc\n",
            "no line end",
            "ends in a lone CR\r",
            "\n\n\n",
            "中文。\r\n第二行\n",
        ] {
            let want: Vec<String> = read_text(Path::new("h.txt"), text.as_bytes())
                .unwrap()
                .split('\n')
                .map(str::to_string)
                .collect();
            let got: Vec<String> = scanned(text.as_bytes())
                .unwrap()
                .into_iter()
                .map(|(_, l)| l)
                .collect();
            // `read_text` ends with an empty line after a final line end; the scanner does not
            // report that empty line, which holds nothing.
            let want = match want.last() {
                Some(last) if last.is_empty() && want.len() > got.len() => {
                    want[..want.len() - 1].to_vec()
                }
                _ => want,
            };
            assert_eq!(got, want, "{text:?}");
        }
        assert_eq!(scanned(b"x\ry\nz").unwrap()[2], (3, "z".to_string()));
    }

    #[test]
    fn scanned_lines_refuse_what_read_text_refuses_naming_the_line() {
        let err = scanned(b"Fine.\r\nBad\x00here.").unwrap_err().to_string();
        assert!(
            err.contains("h.txt") && err.contains("line 2, column 4") && err.contains("U+0000"),
            "{err}"
        );
        let err = scanned(b"ok\nok\n\xff\xfe").unwrap_err().to_string();
        assert!(err.contains("line 3") && err.contains("UTF-8"), "{err}");
    }
}
