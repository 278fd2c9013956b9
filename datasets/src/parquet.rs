//! `samples.parquet`, the columnar twin of `samples.jsonl`.
//!
//! Flat string columns only: `reference` and `meta` hold the same JSON text as the JSON Lines
//! file. Nested Parquet types differ in how polars, pyarrow and Hugging Face `datasets` map them,
//! and a flat schema reads the same everywhere.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::{DatasetError, Sample};

pub const SAMPLES_PARQUET: &str = "samples.parquet";

/// The columns of `samples` as one DataFrame (one chunk, so one row group when written).
pub(crate) fn samples_frame(samples: &[Sample], path: &Path) -> Result<DataFrame, DatasetError> {
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
    DataFrame::new(samples.len(), columns).map_err(|e| parquet_error(path, e))
}

/// `samples.parquet` written a row group at a time: fixed compression, no timestamps, so the
/// same row groups give the same bytes.
pub(crate) struct SamplesParquet {
    path: PathBuf,
    writer: BatchedWriter<std::fs::File>,
}

impl SamplesParquet {
    pub(crate) fn create(path: &Path) -> Result<Self, DatasetError> {
        let file = std::fs::File::create(path).map_err(|e| DatasetError::io(path, e))?;
        let schema = samples_frame(&[], path)?.schema().as_ref().clone();
        let writer = ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .with_row_group_size(Some(65_536))
            .batched(&schema)
            .map_err(|e| parquet_error(path, e))?;
        Ok(SamplesParquet {
            path: path.to_path_buf(),
            writer,
        })
    }

    /// Writes `samples` as one row group.
    pub(crate) fn write_group(&mut self, samples: &[Sample]) -> Result<(), DatasetError> {
        let df = samples_frame(samples, &self.path)?;
        self.writer
            .write_batch(&df)
            .map_err(|e| parquet_error(&self.path, e))
    }

    pub(crate) fn finish(self) -> Result<(), DatasetError> {
        self.writer
            .finish()
            .map_err(|e| parquet_error(&self.path, e))?;
        Ok(())
    }
}

fn parquet_error(path: &Path, e: PolarsError) -> DatasetError {
    DatasetError::Parquet {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
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
