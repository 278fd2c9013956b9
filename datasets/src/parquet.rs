//! `samples.parquet`, the columnar twin of `samples.jsonl`.
//!
//! Flat string columns only: `reference` and `meta` hold the same JSON text as the JSON Lines
//! file. Nested Parquet types differ in how polars, pyarrow and Hugging Face `datasets` map them,
//! and a flat schema reads the same everywhere.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::{Context, DatasetError, Sample};

pub const SAMPLES_PARQUET: &str = "samples.parquet";
pub const CONTEXTS_PARQUET: &str = "contexts.parquet";

/// Records with a Parquet twin: their columns as one DataFrame (one chunk, so one row group
/// when written). The rows are consumed: each text is moved out of its row into the column being
/// built, one column at a time, so a group of megabyte contexts is never held three times (rows,
/// a copy, the column) while its frame is made.
pub(crate) trait Rows: Sized {
    fn frame(rows: Vec<Self>, path: &Path) -> Result<DataFrame, DatasetError>;
}

/// A column of texts moved out of `rows` by `take`.
fn moved<R, T>(rows: &mut [R], name: &str, take: impl Fn(&mut R) -> T) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    Column::new(name.into(), rows.iter_mut().map(take).collect::<Vec<T>>())
}

impl Rows for Sample {
    fn frame(mut samples: Vec<Sample>, path: &Path) -> Result<DataFrame, DatasetError> {
        let rows = &mut samples[..];
        let take = std::mem::take::<String>;
        let columns = vec![
            moved(rows, "id", |s| take(&mut s.id)),
            moved(rows, "family", |s| take(&mut s.family)),
            moved(rows, "task", |s| take(&mut s.task)),
            moved(rows, "lang", |s| take(&mut s.lang)),
            moved(rows, "context", |s| s.context.take()),
            moved(rows, "context_id", |s| s.context_id.take()),
            moved(rows, "question", |s| take(&mut s.question)),
            moved(rows, "prompt", |s| take(&mut s.prompt)),
            moved(rows, "reference", |s| to_json(&s.reference)),
            moved(rows, "meta", |s| to_json(&std::mem::take(&mut s.meta))),
        ];
        DataFrame::new(samples.len(), columns).map_err(|e| parquet_error(path, e))
    }
}

impl Rows for Context {
    fn frame(mut contexts: Vec<Context>, path: &Path) -> Result<DataFrame, DatasetError> {
        let rows = &mut contexts[..];
        let columns = vec![
            moved(rows, "id", |c| std::mem::take(&mut c.id)),
            moved(rows, "text", |c| std::mem::take(&mut c.text)),
            moved(rows, "tokens", |c| c.tokens),
        ];
        DataFrame::new(contexts.len(), columns).map_err(|e| parquet_error(path, e))
    }
}

/// A Parquet twin written a row group at a time: fixed compression, no timestamps, so the same
/// row groups give the same bytes.
pub(crate) struct ParquetTwin<R: Rows> {
    path: PathBuf,
    writer: polars::io::parquet::write::BatchedWriter<std::fs::File>,
    rows: std::marker::PhantomData<R>,
}

impl<R: Rows> ParquetTwin<R> {
    /// `min_max`: whether text columns carry min and max statistics (manifest versions 1 and 2).
    /// The encoder copies a whole value before cutting it to 64 bytes, three copies of every
    /// megabyte context at once, for a bound no reader of a text column uses.
    pub(crate) fn create(path: &Path, min_max: bool) -> Result<Self, DatasetError> {
        let file = std::fs::File::create(path).map_err(|e| DatasetError::io(path, e))?;
        let schema = R::frame(Vec::new(), path)?.schema().as_ref().clone();
        let statistics = StatisticsOptions {
            min_value: min_max,
            max_value: min_max,
            ..StatisticsOptions::default()
        };
        let writer = ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(statistics)
            .with_row_group_size(Some(65_536))
            .batched(&schema)
            .map_err(|e| parquet_error(path, e))?;
        Ok(ParquetTwin {
            path: path.to_path_buf(),
            writer,
            rows: std::marker::PhantomData,
        })
    }

    /// Writes `rows` as one row group; they are consumed as their columns are built (see
    /// [`Rows::frame`]).
    pub(crate) fn write_group(&mut self, rows: Vec<R>) -> Result<(), DatasetError> {
        let df = R::frame(rows, &self.path)?;
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

/// A column of a Parquet file as its footer records it: the name, and the type as Hugging Face
/// `datasets` names its value types (`string`, `int64`, `uint64`, `float64`, `bool`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParquetColumn {
    pub name: String,
    pub dtype: String,
}

/// The columns of a Parquet file, in file order, read from its footer alone (no rows are read),
/// so a card describes the types the writer actually wrote.
pub fn parquet_columns(path: &Path) -> Result<Vec<ParquetColumn>, DatasetError> {
    let err = |e: PolarsError| DatasetError::Parquet {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(|e| DatasetError::io(path, e))?;
    let schema = ParquetReader::new(file).schema().map_err(err)?;
    Ok(schema
        .iter_values()
        .map(|field| ParquetColumn {
            name: field.name.to_string(),
            dtype: hugging_face_dtype(&field.dtype),
        })
        .collect())
}

/// Arrow's type as a Hugging Face `Value` dtype: text of any width is `string`.
fn hugging_face_dtype(dtype: &ArrowDataType) -> String {
    match dtype {
        ArrowDataType::Utf8 | ArrowDataType::LargeUtf8 | ArrowDataType::Utf8View => "string".into(),
        ArrowDataType::Boolean => "bool".into(),
        ArrowDataType::Int8 => "int8".into(),
        ArrowDataType::Int16 => "int16".into(),
        ArrowDataType::Int32 => "int32".into(),
        ArrowDataType::Int64 => "int64".into(),
        ArrowDataType::UInt8 => "uint8".into(),
        ArrowDataType::UInt16 => "uint16".into(),
        ArrowDataType::UInt32 => "uint32".into(),
        ArrowDataType::UInt64 => "uint64".into(),
        ArrowDataType::Float32 => "float32".into(),
        ArrowDataType::Float64 => "float64".into(),
        ArrowDataType::Binary | ArrowDataType::LargeBinary | ArrowDataType::BinaryView => {
            "binary".into()
        }
        other => format!("{other:?}").to_lowercase(),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("contract types serialise")
}
