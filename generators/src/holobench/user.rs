//! A user's own inputs: a database as a folder of tables (`--db DIR`), sentence templates
//! (`--templates DIR`) and queries (`--queries FILE`), in the original release's formats where
//! it has one.
//!
//! - A table is a CSV (with a header) or Parquet file; its name is the file's stem, the
//!   database's name the folder's. Column types come from polars: integers, decimals, text; a
//!   text column whose every value is `YYYY-MM-DD` is a date. A file holding the original
//!   release's columns `verbalized_text` and `table_row` (the row as JSON text) gives its rows
//!   from `table_row` and its sentences as written.
//! - A template file is `TABLE.txt` (or `.j2`), one minijinja template per line; blank lines and
//!   lines starting with `#` are skipped. A table with neither templates nor given sentences
//!   gets a plain generated one ("In table T: a is 1; b is x.").
//! - A queries file is a CSV in the original's columns (`question`, `query`, `db_id`,
//!   `difficulty`, `query_type` as a Python list literal such as `['Aggregation', 'Join']`, and
//!   the flags `Aggregation`, `Max/Min`, `Join`, `Comparison`, `Ranking`; only `question` and
//!   `query` are required), or JSON Lines with the same fields (and, beyond the original, an
//!   optional `id` and `near_miss: {"table", "condition"}`).

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;
use serde_json::Value;

use super::db::{Column, ColumnKind, Database, NearMiss, Query, QueryFlags, QueryKind, Table};
use super::verbalise::TemplateSource;
use crate::GenerateError;

fn input(path: &Path, message: impl Into<String>) -> GenerateError {
    GenerateError::Input {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// A user's database, and the sentences its original-format tables came with (by table, one
/// per row).
#[derive(Debug, Clone)]
pub struct UserDatabase {
    pub database: Database,
    pub sentences: BTreeMap<String, Vec<String>>,
}

/// Reads every `.csv` and `.parquet` file of `dir`, in name order.
pub fn load_database(dir: &Path) -> Result<UserDatabase, GenerateError> {
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .ok_or_else(|| {
            input(
                dir,
                "a database is a folder, named as queries' db_id name it",
            )
        })?;
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| input(dir, format!("cannot read the folder ({e})")))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("csv" | "parquet")
            )
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(input(dir, "holds no .csv or .parquet table"));
    }
    let mut tables = Vec::new();
    let mut sentences = BTreeMap::new();
    for path in &files {
        let table_name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let df = read_frame(path)?;
        if df.height() == 0 {
            return Err(input(path, format!("table `{table_name}` has no rows")));
        }
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        let table = if names.iter().any(|n| n == "verbalized_text")
            && names.iter().any(|n| n == "table_row")
        {
            let (table, given) = original_table(path, &table_name, &df)?;
            sentences.insert(table_name.clone(), given);
            table
        } else {
            typed_table(path, &table_name, &df)?
        };
        tables.push(table);
    }
    Ok(UserDatabase {
        database: Database { name, tables },
        sentences,
    })
}

/// A file's extension in lower case: `Items.CSV` is a CSV table.
fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

fn read_frame(path: &Path) -> Result<DataFrame, GenerateError> {
    let parquet = extension(path).as_deref() == Some("parquet");
    let result = if parquet {
        std::fs::File::open(path)
            .map_err(|e| input(path, format!("cannot read it ({e})")))
            .and_then(|f| {
                ParquetReader::new(f)
                    .finish()
                    .map_err(|e| input(path, format!("not a Parquet table: {e}")))
            })
    } else {
        CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(10_000))
            .try_into_reader_with_file_path(Some(path.to_path_buf()))
            .and_then(|r| r.finish())
            .map_err(|e| input(path, format!("not a readable CSV table: {e}")))
    };
    // polars reads a row with too many fields as an error, but one with too few as nulls:
    // ragged rows are found here, by line.
    if !parquet {
        check_ragged(path)?;
    }
    result
}

/// Refuses a CSV row whose field count differs from the header's, naming its line.
fn check_ragged(path: &Path) -> Result<(), GenerateError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| input(path, format!("cannot read it ({e})")))?;
    let mut expected = None;
    let mut fields = 1usize;
    let mut quoted = false;
    let mut line = 1usize;
    let mut start_line = 1usize;
    let mut empty = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields += 1,
            '\n' => {
                line += 1;
                if quoted {
                    continue;
                }
                if !empty {
                    let want = *expected.get_or_insert(fields);
                    if fields != want {
                        return Err(input(
                            path,
                            format!(
                                "line {start_line}: {fields} fields where the header has {want}"
                            ),
                        ));
                    }
                }
                fields = 1;
                empty = true;
                start_line = line;
                continue;
            }
            '\r' => continue,
            _ => {}
        }
        empty = false;
    }
    if !empty {
        let want = expected.unwrap_or(fields);
        if fields != want {
            return Err(input(
                path,
                format!("line {start_line}: {fields} fields where the header has {want}"),
            ));
        }
    }
    Ok(())
}

fn typed_table(path: &Path, name: &str, df: &DataFrame) -> Result<Table, GenerateError> {
    let mut columns = Vec::new();
    let mut cells: Vec<Vec<Value>> = Vec::new();
    for column in df.columns() {
        let cname = column.name().to_string();
        let kind = match column.dtype() {
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32 => ColumnKind::Int,
            DataType::Float32 | DataType::Float64 => ColumnKind::Float,
            DataType::String | DataType::Boolean | DataType::Null => ColumnKind::Text,
            other => {
                return Err(input(
                    path,
                    format!("column `{cname}` has type {other}; HoloBench reads integers, decimals and text"),
                ))
            }
        };
        let mut values = Vec::with_capacity(df.height());
        for i in 0..df.height() {
            let v = column
                .get(i)
                .map_err(|e| input(path, format!("column `{cname}`, row {}: {e}", i + 1)))?;
            values.push(match v {
                AnyValue::Null => Value::Null,
                AnyValue::Boolean(b) => Value::String(b.to_string()),
                AnyValue::String(s) => Value::String(s.to_string()),
                AnyValue::StringOwned(s) => Value::String(s.to_string()),
                AnyValue::Float32(x) => float(f64::from(x)),
                AnyValue::Float64(x) => float(x),
                other => other.extract::<i64>().map(Value::from).ok_or_else(|| {
                    input(
                        path,
                        format!("column `{cname}`, row {}: {other} is not an integer", i + 1),
                    )
                })?,
            });
        }
        let kind = if kind == ColumnKind::Text && is_date_column(&values) {
            ColumnKind::Date
        } else {
            kind
        };
        columns.push(Column::new(&cname, kind));
        cells.push(values);
    }
    let rows = (0..df.height())
        .map(|i| cells.iter().map(|c| c[i].clone()).collect())
        .collect();
    Ok(Table {
        name: name.to_string(),
        columns,
        rows,
    })
}

fn float(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}

fn is_date_column(values: &[Value]) -> bool {
    let mut any = false;
    for v in values {
        match v {
            Value::Null => {}
            Value::String(s) if is_iso_date(s) => any = true,
            _ => return false,
        }
    }
    any
}

/// A table in the original release's shape: each row's values from `table_row` (JSON text),
/// its sentence from `verbalized_text`.
fn original_table(
    path: &Path,
    name: &str,
    df: &DataFrame,
) -> Result<(Table, Vec<String>), GenerateError> {
    let text_of = |column: &str, i: usize| -> Result<String, GenerateError> {
        let c = df
            .column(column)
            .map_err(|e| input(path, format!("column `{column}`: {e}")))?;
        match c.get(i) {
            Ok(AnyValue::String(s)) => Ok(s.to_string()),
            Ok(AnyValue::StringOwned(s)) => Ok(s.to_string()),
            _ => Err(input(
                path,
                format!("row {}, field `{column}`: not text", i + 1),
            )),
        }
    };
    let mut columns: Vec<String> = Vec::new();
    let mut objects = Vec::with_capacity(df.height());
    let mut sentences = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let raw = text_of("table_row", i)?;
        let Ok(Value::Object(object)) = serde_json::from_str::<Value>(&raw) else {
            return Err(input(
                path,
                format!("row {}, field `table_row`: not a JSON object: {raw}", i + 1),
            ));
        };
        if columns.is_empty() {
            columns = object.keys().cloned().collect();
        }
        objects.push(object);
        let sentence = text_of("verbalized_text", i)?;
        sentences.push(sentence.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    let mut table_columns = Vec::new();
    let mut cells: Vec<Vec<Value>> = vec![Vec::with_capacity(objects.len()); columns.len()];
    for (c, cname) in columns.iter().enumerate() {
        let values: Vec<Value> = objects
            .iter()
            .map(|o| o.get(cname).cloned().unwrap_or(Value::Null))
            .collect();
        let kind = if values
            .iter()
            .all(|v| v.is_null() || v.is_i64() || v.is_u64())
        {
            ColumnKind::Int
        } else if values.iter().all(|v| v.is_null() || v.is_number()) {
            ColumnKind::Float
        } else if is_date_column(&values) {
            ColumnKind::Date
        } else {
            ColumnKind::Text
        };
        cells[c] = values
            .into_iter()
            .map(|v| match (&v, kind) {
                (Value::Null | Value::String(_), _) => v,
                (_, ColumnKind::Text) => Value::String(v.to_string()),
                _ => v,
            })
            .collect();
        table_columns.push(Column::new(cname, kind));
    }
    let rows = (0..objects.len())
        .map(|i| cells.iter().map(|c| c[i].clone()).collect())
        .collect();
    Ok((
        Table {
            name: name.to_string(),
            columns: table_columns,
            rows,
        },
        sentences,
    ))
}

/// Templates from `dir`: `TABLE.txt` or `TABLE.j2`, one per line.
pub fn load_templates(dir: &Path) -> Result<Vec<TemplateSource>, GenerateError> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| input(dir, format!("cannot read the folder ({e})")))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "j2")))
        .collect();
    files.sort();
    let mut sources = Vec::new();
    for path in files {
        let table = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| input(&path, format!("cannot read it ({e})")))?;
        let before = sources.len();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            sources.push(TemplateSource {
                table: table.clone(),
                origin: format!("{}:{}", path.display(), i + 1),
                text: line.to_string(),
            });
        }
        if sources.len() == before {
            return Err(input(&path, "holds no template (one per line)"));
        }
    }
    if sources.is_empty() {
        return Err(input(
            dir,
            "holds no template (TABLE.txt, one template per line)",
        ));
    }
    Ok(sources)
}

/// The plain template of a table that has no other: every column named, nulls as unknown.
pub fn plain_template(table: &Table) -> TemplateSource {
    let parts: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            let value = format!("_row[{}]", serde_json::to_string(&c.name).unwrap_or_default());
            format!(
                "{{% if {value} is none %}}{name} is unknown{{% else %}}{name} is {{{{ {value} }}}}{{% endif %}}",
                name = c.name
            )
        })
        .collect();
    TemplateSource {
        table: table.name.clone(),
        origin: format!("plain template of {}", table.name),
        text: format!("In table {}: {}.", table.name, parts.join("; ")),
    }
}

/// A query as read from a file, with where it came from.
#[derive(Debug, Clone)]
pub struct QueryFromFile {
    pub query: Query,
    /// `FILE:LINE`, for errors.
    pub origin: String,
}

/// The queries of `path` (CSV or JSON Lines) for database `db`; those naming another database
/// are skipped and counted.
pub fn load_queries(
    path: &Path,
    db: &[&str],
) -> Result<(Vec<QueryFromFile>, usize), GenerateError> {
    let jsonl = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl" | "json")
    );
    let records: Vec<(usize, BTreeMap<String, Value>)> = if jsonl {
        let text = std::fs::read_to_string(path)
            .map_err(|e| input(path, format!("cannot read it ({e})")))?;
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let Ok(Value::Object(o)) = serde_json::from_str::<Value>(line) else {
                return Err(input(path, format!("line {}: not a JSON object", i + 1)));
            };
            out.push((i + 1, o.into_iter().collect()));
        }
        out
    } else {
        check_ragged(path)?;
        let df = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .try_into_reader_with_file_path(Some(path.to_path_buf()))
            .and_then(|r| r.finish())
            .map_err(|e| input(path, format!("not a readable CSV file: {e}")))?;
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        let mut out = Vec::new();
        for i in 0..df.height() {
            let mut record = BTreeMap::new();
            for (name, column) in names.iter().zip(df.columns()) {
                let v = match column.get(i) {
                    Ok(AnyValue::String(s)) => Value::String(s.to_string()),
                    Ok(AnyValue::StringOwned(s)) => Value::String(s.to_string()),
                    _ => Value::Null,
                };
                record.insert(name.clone(), v);
            }
            // Line numbers count the header; a quoted field over several lines is not counted.
            out.push((i + 2, record));
        }
        for required in ["question", "query"] {
            if !names.iter().any(|n| n == required) {
                return Err(input(
                    path,
                    format!(
                        "line 1: no `{required}` column (the header has {})",
                        names.join(", ")
                    ),
                ));
            }
        }
        out
    };
    let mut queries = Vec::new();
    let mut skipped = 0;
    for (line, record) in records {
        let origin = format!("{}:{line}", path.display());
        let text = |field: &str| -> Option<String> {
            match record.get(field) {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
                _ => None,
            }
        };
        let field_error = |field: &str, message: &str| {
            input(path, format!("line {line}, field `{field}`: {message}"))
        };
        let question = text("question").ok_or_else(|| field_error("question", "missing"))?;
        let sql = text("query").ok_or_else(|| field_error("query", "missing"))?;
        let database = match text("db_id") {
            Some(d) => d,
            None if db.len() == 1 => db[0].to_string(),
            None => {
                return Err(field_error(
                    "db_id",
                    "missing, and several databases are in use",
                ))
            }
        };
        if !db.contains(&database.as_str()) {
            skipped += 1;
            continue;
        }
        let upper = sql.to_ascii_uppercase();
        if !upper.starts_with("SELECT") {
            return Err(field_error("query", &format!("not a SELECT: {sql}")));
        }
        let tables = polars::sql::extract_table_identifiers(&sql, false, true)
            .map_err(|e| field_error("query", &format!("cannot parse it: {e}")))?;
        if tables.is_empty() {
            return Err(field_error("query", &format!("reads no table: {sql}")));
        }
        // The result's column names are the keys a model must write: an unnamed aggregate
        // would get the engine's name for it (`len` for COUNT(*)).
        if let Some(item) = unnamed_aggregate(&sql) {
            return Err(field_error(
                "query",
                &format!("name `{item}` with AS (e.g. `COUNT(*) AS n`): its name is the key answers are written under"),
            ));
        }
        let flag = |names: &[&str], derived: bool| -> bool {
            names
                .iter()
                .find_map(|n| match record.get(*n) {
                    Some(Value::Bool(b)) => Some(*b),
                    Some(Value::String(s)) => Some(matches!(s.trim(), "True" | "true" | "1")),
                    _ => None,
                })
                .unwrap_or(derived)
        };
        let has = |word: &str| upper.contains(word);
        let flags = QueryFlags {
            aggregation: flag(
                &["Aggregation", "aggregation"],
                has("COUNT(") || has("SUM(") || has("AVG("),
            ),
            max_min: flag(&["Max/Min", "max_min"], has("MAX(") || has("MIN(")),
            join: flag(&["Join", "join"], has(" JOIN ")),
            comparison: flag(&["Comparison", "comparison"], has(">") || has("<")),
            ranking: flag(&["Ranking", "ranking"], has("ORDER BY")),
        };
        let kind = if flags.join || tables.len() > 1 {
            QueryKind::Join
        } else if has("ORDER BY") && has("LIMIT") {
            QueryKind::TopK
        } else if has("GROUP BY") {
            QueryKind::GroupBy
        } else if flags.max_min {
            QueryKind::MaxMin
        } else if has("SUM(") || has("AVG(") {
            QueryKind::Aggregate
        } else if has("COUNT(") {
            QueryKind::Count
        } else {
            QueryKind::Filter
        };
        let near_miss = match record.get("near_miss") {
            Some(Value::Object(o)) => match (o.get("table"), o.get("condition")) {
                (Some(Value::String(t)), Some(Value::String(c))) => Some(NearMiss {
                    table: t.clone(),
                    condition: c.clone(),
                }),
                _ => return Err(field_error("near_miss", "give {\"table\", \"condition\"}")),
            },
            None | Some(Value::Null) => None,
            Some(_) => return Err(field_error("near_miss", "give {\"table\", \"condition\"}")),
        };
        queries.push(QueryFromFile {
            query: Query {
                id: text("id").unwrap_or_else(|| format!("q{line}")),
                db: database,
                kind,
                question,
                sql,
                tables,
                difficulty: text("difficulty").unwrap_or_else(|| "unknown".into()),
                flags,
                near_miss,
            },
            origin,
        });
    }
    Ok((queries, skipped))
}

/// The first item of the SELECT list that computes a value (holds a parenthesis) without an
/// `AS` name.
fn unnamed_aggregate(sql: &str) -> Option<String> {
    let upper = sql.to_ascii_uppercase();
    let start = upper.find("SELECT")? + "SELECT".len();
    let (spans, _) = super::sql::clause_items(sql, start, &["FROM"]);
    let items: Vec<&str> = spans.iter().map(|&(a, b)| &sql[a..b]).collect();
    items
        .into_iter()
        .map(str::trim)
        .find(|item| {
            let u = item.to_ascii_uppercase();
            item.contains('(') && !u.contains(" AS ")
        })
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn a_folder_of_csv_tables_reads_with_types_and_dates() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("shop");
        std::fs::create_dir(&db).unwrap();
        write(
            &db,
            "items.csv",
            "name,price,stock,added\nPen,1.5,10,2024-01-02\nInk,,3,2023-12-31\n",
        );
        let u = load_database(&db).unwrap();
        assert_eq!(u.database.name, "shop");
        let t = &u.database.tables[0];
        assert_eq!(t.name, "items");
        let kinds: Vec<ColumnKind> = t.columns.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                ColumnKind::Text,
                ColumnKind::Float,
                ColumnKind::Int,
                ColumnKind::Date
            ]
        );
        assert_eq!(t.rows[1][1], Value::Null);
        assert_eq!(t.rows[0][3], Value::String("2024-01-02".into()));
    }

    #[test]
    fn a_parquet_table_reads_like_a_csv_one() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("shop");
        std::fs::create_dir(&db).unwrap();
        let mut df = DataFrame::new(
            2,
            vec![
                Series::new("name".into(), ["Pen", "Ink"]).into_column(),
                Series::new("price".into(), [Some(1.5), None]).into_column(),
                Series::new("stock".into(), [10i64, 3]).into_column(),
            ],
        )
        .unwrap();
        let file = std::fs::File::create(db.join("items.parquet")).unwrap();
        ParquetWriter::new(file).finish(&mut df).unwrap();
        let u = load_database(&db).unwrap();
        let t = &u.database.tables[0];
        assert_eq!(t.name, "items");
        let kinds: Vec<ColumnKind> = t.columns.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [ColumnKind::Text, ColumnKind::Float, ColumnKind::Int]
        );
        assert_eq!(
            t.rows[0],
            vec![Value::from("Pen"), Value::from(1.5), Value::from(10)]
        );
        assert_eq!(t.rows[1][1], Value::Null);
    }

    #[test]
    fn bad_tables_and_queries_name_file_line_and_field() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("shop");
        std::fs::create_dir(&db).unwrap();
        write(&db, "items.csv", "name,price\nPen,1.5\nInk,2,extra\n");
        let err = load_database(&db).unwrap_err().to_string();
        assert!(err.contains("items.csv") && err.contains("line 3"), "{err}");
        write(&db, "items.csv", "name,price\n");
        let err = load_database(&db).unwrap_err().to_string();
        assert!(err.contains("no rows"), "{err}");
        let q = write(tmp.path(), "q.csv", "question,db_id\nHow many?,shop\n");
        let err = load_queries(&q, &["shop"]).unwrap_err().to_string();
        assert!(err.contains("q.csv") && err.contains("`query`"), "{err}");
        let q = write(
            tmp.path(),
            "q.csv",
            "question,query,db_id\nHow many?,DELETE FROM items,shop\n",
        );
        let err = load_queries(&q, &["shop"]).unwrap_err().to_string();
        assert!(
            err.contains("line 2") && err.contains("not a SELECT"),
            "{err}"
        );
        let q = write(
            tmp.path(),
            "q.csv",
            "question,query,db_id\nHow many?,\"SELECT city, COUNT(*) FROM items GROUP BY city\",shop\n",
        );
        let err = load_queries(&q, &["shop"]).unwrap_err().to_string();
        assert!(err.contains("name `COUNT(*)` with AS"), "{err}");
        let q = write(
            tmp.path(),
            "q.csv",
            "question,query,db_id\nHow many?,\"SELECT city, COUNT(*) AS n FROM items GROUP BY city\",shop\n",
        );
        assert!(load_queries(&q, &["shop"]).is_ok());
    }

    #[test]
    fn original_query_columns_and_other_databases_are_counted() {
        let tmp = tempfile::tempdir().unwrap();
        let q = write(
            tmp.path(),
            "queries.csv",
            "question,query,db_id,difficulty,query_type,Aggregation,Max/Min,Join,Comparison,Ranking\n\
             \"How many items cost over 1?\",SELECT COUNT(*) AS n FROM items WHERE price > 1,shop,easy,\"['Aggregation']\",True,False,False,True,False\n\
             Which?,SELECT a FROM b,other,easy,[],False,False,False,False,False\n",
        );
        let (queries, skipped) = load_queries(&q, &["shop"]).unwrap();
        assert_eq!(skipped, 1);
        assert_eq!(queries.len(), 1);
        let q = &queries[0].query;
        assert_eq!(q.kind, QueryKind::Count);
        assert_eq!(q.tables, ["items"]);
        assert!(q.flags.aggregation && q.flags.comparison && !q.flags.join);
        assert_eq!(q.difficulty, "easy");
    }
}
