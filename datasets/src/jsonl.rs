//! JSON Lines in and out. Reading turns each line into a typed record at the edge, and an error
//! names the file, the 1-based line and the field path (`meta.evidence[2].char_start`).

use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{atomic, DatasetError};

/// Reads every non-blank line of `path` as a `T`.
pub fn read<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>, DatasetError> {
    let file = std::fs::File::open(path).map_err(|e| DatasetError::io(path, e))?;
    let mut out = Vec::new();
    for (index, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| DatasetError::io(path, e))?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(parse_line(path, index + 1, &line)?);
    }
    Ok(out)
}

/// Parses one line, naming the field that failed.
pub fn parse_line<T: DeserializeOwned>(
    path: &Path,
    line_no: usize,
    line: &str,
) -> Result<T, DatasetError> {
    let de = &mut serde_json::Deserializer::from_str(line);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let field = err.path().to_string();
        let inner = err.into_inner();
        let field = if field == "." {
            if inner.is_syntax() || inner.is_eof() {
                "(whole line)".to_string()
            } else {
                "(record)".to_string()
            }
        } else {
            field
        };
        let message = if inner.is_syntax() || inner.is_eof() {
            format!("not valid JSON ({inner}); each line must be one JSON object")
        } else {
            inner.to_string()
        };
        DatasetError::Record {
            path: path.to_path_buf(),
            line: line_no,
            field,
            message,
        }
    })
}

/// One JSON object per line, `\n`-terminated; serde_json's output is deterministic for a given
/// value, so equal records give equal bytes.
pub fn to_bytes<T: Serialize>(records: &[T]) -> Vec<u8> {
    let mut out = Vec::new();
    for record in records {
        // Serialising our own plain records cannot fail (no maps with non-string keys).
        serde_json::to_writer(&mut out, record).expect("records serialise to JSON");
        out.push(b'\n');
    }
    out
}

/// Writes `records` to `path` atomically.
pub fn write<T: Serialize>(path: &Path, records: &[T]) -> Result<(), DatasetError> {
    atomic::write(path, &to_bytes(records))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Prediction, Sample};

    #[test]
    fn error_names_file_line_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.jsonl");
        std::fs::write(
            &path,
            "{\"sample_id\":\"a\",\"model\":\"m\",\"output\":\"x\"}\n\n{\"sample_id\":\"b\",\"model\":7,\"output\":null}\n",
        )
        .unwrap();
        let err = read::<Prediction>(&path).unwrap_err().to_string();
        assert!(err.contains("p.jsonl:3:"), "{err}");
        assert!(err.contains("field `model`"), "{err}");
    }

    #[test]
    fn nested_field_path_and_bad_json() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.jsonl");
        std::fs::write(&path, "{not json\n").unwrap();
        let err = read::<Sample>(&path).unwrap_err().to_string();
        assert!(
            err.contains("s.jsonl:1:") && err.contains("not valid JSON"),
            "{err}"
        );

        std::fs::write(
            &path,
            r#"{"id":"x","family":"f","task":"t","lang":"en","question":"q","prompt":"p","reference":{"kind":"exact"},"meta":{}}"#,
        )
        .unwrap();
        let err = read::<Sample>(&path).unwrap_err().to_string();
        assert!(err.contains("field `reference"), "{err}");
    }
}
