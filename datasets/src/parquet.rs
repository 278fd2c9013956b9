//! `samples.parquet`, the columnar twin of `samples.jsonl`.
//!
//! Flat string columns only: `reference` and `meta` hold the same JSON text as the JSON Lines
//! file. Nested Parquet types differ in how polars, pyarrow and Hugging Face `datasets` map them,
//! and a flat schema reads the same everywhere.

use std::path::Path;

use polars::prelude::*;

use crate::{atomic, DatasetError, Sample};

pub const SAMPLES_PARQUET: &str = "samples.parquet";

/// Encodes `samples` as Parquet bytes. Same samples, same bytes (fixed compression, one row group
/// per 64K rows, no timestamps).
pub fn samples_parquet_bytes(samples: &[Sample], path: &Path) -> Result<Vec<u8>, DatasetError> {
    let err = |e: PolarsError| DatasetError::Parquet {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let text = |f: &dyn Fn(&Sample) -> String| samples.iter().map(f).collect::<Vec<_>>();
    let opt = |f: &dyn Fn(&Sample) -> Option<String>| samples.iter().map(f).collect::<Vec<_>>();
    let columns = vec![
        Column::new("id".into(), text(&|s| s.id.clone())),
        Column::new("family".into(), text(&|s| s.family.clone())),
        Column::new("task".into(), text(&|s| s.task.clone())),
        Column::new("lang".into(), text(&|s| s.lang.clone())),
        Column::new("context".into(), opt(&|s| s.context.clone())),
        Column::new("context_id".into(), opt(&|s| s.context_id.clone())),
        Column::new("question".into(), text(&|s| s.question.clone())),
        Column::new("prompt".into(), text(&|s| s.prompt.clone())),
        Column::new("reference".into(), text(&|s| to_json(&s.reference))),
        Column::new("meta".into(), text(&|s| to_json(&s.meta))),
    ];
    let mut df = DataFrame::new(samples.len(), columns).map_err(err)?;
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_compression(ParquetCompression::Zstd(None))
        .with_row_group_size(Some(65_536))
        .finish(&mut df)
        .map_err(err)?;
    Ok(bytes)
}

/// Writes `samples` to `path` atomically and returns the bytes written (for the manifest).
pub fn write_samples_parquet(samples: &[Sample], path: &Path) -> Result<Vec<u8>, DatasetError> {
    let bytes = samples_parquet_bytes(samples, path)?;
    atomic::write(path, &bytes)?;
    Ok(bytes)
}

/// The `id` column of a samples Parquet file, in row order.
pub fn read_sample_ids_parquet(path: &Path) -> Result<Vec<String>, DatasetError> {
    let err = |e: PolarsError| DatasetError::Parquet {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(|e| DatasetError::io(path, e))?;
    let df = ParquetReader::new(file).finish().map_err(err)?;
    let ids = df.column("id").map_err(err)?.str().map_err(err)?;
    Ok((0..ids.len())
        .map(|i| ids.get(i).unwrap_or_default().to_string())
        .collect())
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("contract types serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Reference;

    fn sample(id: &str) -> Sample {
        Sample {
            id: id.into(),
            family: "needlebench".into(),
            task: "single".into(),
            lang: "zh".into(),
            context: Some("中文上下文".into()),
            context_id: None,
            question: "q".into(),
            prompt: "p".into(),
            reference: Reference::exact("答案"),
            meta: serde_json::Map::new(),
        }
    }

    #[test]
    fn round_trips_through_polars_and_is_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SAMPLES_PARQUET);
        let samples = vec![sample("a"), sample("b")];
        let first = write_samples_parquet(&samples, &path).unwrap();
        assert_eq!(read_sample_ids_parquet(&path).unwrap(), vec!["a", "b"]);
        let second = samples_parquet_bytes(&samples, &path).unwrap();
        assert_eq!(first, second);
    }
}
