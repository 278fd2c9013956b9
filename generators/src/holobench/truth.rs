//! The gold answer: a query executed by polars SQL on exactly the rows placed in the context.
//!
//! Only placed rows are registered, never the whole table, so the truth is what the context
//! supports. Results come back as rows of plain JSON keyed by the SELECT list's names in order.
//! Without an ORDER BY, SQL leaves row order open (and polars' group-by order varies between
//! runs), so such results are sorted, which keeps outputs byte-identical.

use std::sync::LazyLock;

use polars::prelude::*;
use polars::sql::SQLContext;
use serde_json::{Map, Value};

use super::db::{ColumnKind, Table};

/// A result: its columns (the SELECT list's names, in order) and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub columns: Vec<String>,
    pub rows: Vec<Map<String, Value>>,
}

/// `table`'s rows `picked` (indices, in context order; a repeated index is a repeated row) as
/// a polars frame with one typed column per table column.
pub fn frame(table: &Table, picked: &[usize]) -> PolarsResult<DataFrame> {
    let columns = table
        .columns
        .iter()
        .enumerate()
        .map(|(c, column)| {
            let name: PlSmallStr = column.name.as_str().into();
            let cells = picked.iter().map(|&r| &table.rows[r][c]);
            let series = match column.kind {
                ColumnKind::Int => {
                    Series::new(name, cells.map(Value::as_i64).collect::<Vec<Option<i64>>>())
                }
                ColumnKind::Float => {
                    Series::new(name, cells.map(Value::as_f64).collect::<Vec<Option<f64>>>())
                }
                ColumnKind::Text | ColumnKind::Date => Series::new(
                    name,
                    cells
                        .map(|v| v.as_str().map(str::to_string))
                        .collect::<Vec<Option<String>>>(),
                ),
            };
            series.into_column()
        })
        .collect();
    DataFrame::new(picked.len(), columns)
}

/// Executes `sql` over `tables` (each with the rows placed of it). The error is polars'
/// message, for the caller to put beside the query's text.
pub fn execute(sql: &str, tables: &[(&Table, Vec<usize>)]) -> Result<Answer, String> {
    let mut ctx = SQLContext::new();
    for (table, picked) in tables {
        let df = frame(table, picked).map_err(|e| e.to_string())?;
        ctx.register(&table.name, df.lazy());
    }
    let df = ctx
        .execute(sql)
        .and_then(LazyFrame::collect)
        .map_err(|e| e.to_string())?;
    let columns: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let mut rows = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let mut row = Map::new();
        for (name, column) in columns.iter().zip(df.columns()) {
            let cell = column.get(i).map_err(|e| e.to_string())?;
            row.insert(name.clone(), plain(&cell)?);
        }
        rows.push(row);
    }
    if !ordered(sql) {
        rows.sort_by_cached_key(|r| serde_json::to_string(r).unwrap_or_default());
    }
    // An aggregate over no rows is one row of nulls in SQL: no row satisfies the question, and
    // the prompt's "no answer" is the right reply to it.
    if rows.len() == 1 && rows[0].values().all(Value::is_null) {
        rows.clear();
    }
    Ok(Answer { columns, rows })
}

/// `sql` with `NULLS LAST` after each ORDER BY item that does not say where nulls go. Engines
/// disagree (SQLite puts nulls first in ascending order, PostgreSQL and polars first in
/// descending order; DuckDB, which the original HoloBench executed with, last), so the SQL a
/// sample records says it, and any engine gives the same answer from it.
pub fn nulls_last(sql: &str) -> String {
    let upper = sql.to_ascii_uppercase();
    let Some(at) = upper.find("ORDER BY") else {
        return sql.to_string();
    };
    let start = at + "ORDER BY".len();
    let (spans, end) = super::sql::clause_items(sql, start, &["LIMIT", "OFFSET"]);
    let items: Vec<&str> = spans.iter().map(|&(a, b)| &sql[a..b]).collect();
    let clause: Vec<String> = items
        .iter()
        .map(|item| {
            let trimmed = item.trim();
            if trimmed.to_ascii_uppercase().contains("NULLS") {
                trimmed.to_string()
            } else {
                format!("{trimmed} NULLS LAST")
            }
        })
        .collect();
    let tail = &sql[end..];
    let gap = if tail.is_empty() || tail.starts_with([')', ';']) {
        ""
    } else {
        " "
    };
    format!(
        "{} {}{gap}{tail}",
        sql[..start].trim_end(),
        clause.join(", ")
    )
}

/// The rows of `table` for which the SQL boolean expression `condition` holds, by index.
pub fn matching_rows(table: &Table, condition: &str) -> Result<Vec<usize>, String> {
    const ROW: &str = "__longforge_row";
    let all: Vec<usize> = (0..table.rows.len()).collect();
    let mut df = frame(table, &all).map_err(|e| e.to_string())?;
    let index: Vec<u64> = (0..table.rows.len() as u64).collect();
    df.with_column(Series::new(ROW.into(), index).into_column())
        .map_err(|e| e.to_string())?;
    let mut ctx = SQLContext::new();
    ctx.register(&table.name, df.lazy());
    let out = ctx
        .execute(&format!(
            "SELECT {ROW} FROM {} WHERE {condition}",
            table.name
        ))
        .and_then(LazyFrame::collect)
        .map_err(|e| e.to_string())?;
    let column = out.columns()[0].u64().map_err(|e| e.to_string())?;
    let mut rows: Vec<usize> = (0..column.len())
        .filter_map(|i| column.get(i))
        .map(|r| r as usize)
        .collect();
    rows.sort_unstable();
    Ok(rows)
}

/// Whether the rows just inside and just outside an `ORDER BY ... LIMIT k` cut tie on every
/// sort key, which makes the truth depend on the engine's choice among equals. Runs the query
/// with `LIMIT k + 1`; a sort key that is not a column of the result (an expression not
/// selected) cannot be compared, and then no tie is claimed.
pub fn tied_at_cut(sql: &str, tables: &[(&Table, Vec<usize>)]) -> Result<bool, String> {
    static LIMIT: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)\bLIMIT\s+(\d+)\s*;?\s*$").expect("the pattern compiles")
    });
    static DIRECTION: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)\s+(ASC|DESC)?\s*(NULLS\s+(FIRST|LAST))?\s*$")
            .expect("the pattern compiles")
    });
    let Some(caps) = LIMIT.captures(sql) else {
        return Ok(false);
    };
    let (Some(whole), Some(k)) = (caps.get(0), caps.get(1)) else {
        return Ok(false);
    };
    let k: usize = k.as_str().parse().map_err(|e| format!("LIMIT: {e}"))?;
    let upper = sql.to_ascii_uppercase();
    let Some(at) = upper.find("ORDER BY") else {
        return Ok(false);
    };
    let (spans, _) = super::sql::clause_items(sql, at + "ORDER BY".len(), &["LIMIT", "OFFSET"]);
    let keys: Vec<String> = spans
        .iter()
        .map(|&(a, b)| {
            let item = DIRECTION.replace(sql[a..b].trim(), "").to_string();
            // `t.price` is the result's `price`; a quoted name is its text.
            let name = item.rsplit('.').next().unwrap_or(&item);
            name.trim_matches(|c| c == '"' || c == '`').to_string()
        })
        .collect();
    let wider = format!("{}LIMIT {}", &sql[..whole.start()], k + 1);
    let answer = execute(&wider, tables)?;
    if answer.rows.len() <= k || k == 0 {
        return Ok(false);
    }
    let (inside, outside) = (&answer.rows[k - 1], &answer.rows[k]);
    for key in &keys {
        match (inside.get(key), outside.get(key)) {
            (Some(a), Some(b)) if a == b => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

/// Whether the result's order is part of the answer: the query sorts.
pub fn ordered(sql: &str) -> bool {
    sql.to_ascii_uppercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .any(|w| w == ["ORDER", "BY"])
}

fn plain(cell: &AnyValue) -> Result<Value, String> {
    Ok(match cell {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(b) => Value::Bool(*b),
        AnyValue::String(s) => Value::String(s.to_string()),
        AnyValue::StringOwned(s) => Value::String(s.to_string()),
        AnyValue::UInt8(n) => Value::from(*n),
        AnyValue::UInt16(n) => Value::from(*n),
        AnyValue::UInt32(n) => Value::from(*n),
        AnyValue::UInt64(n) => Value::from(*n),
        AnyValue::Int8(n) => Value::from(*n),
        AnyValue::Int16(n) => Value::from(*n),
        AnyValue::Int32(n) => Value::from(*n),
        AnyValue::Int64(n) => Value::from(*n),
        AnyValue::Float32(x) => float(f64::from(*x)),
        AnyValue::Float64(x) => float(*x),
        other => {
            return Err(format!(
                "a result value of type {} is not supported",
                other.dtype()
            ))
        }
    })
}

/// A decimal result; NaN and infinities (which JSON cannot hold) become null.
fn float(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::holobench::db::Column;
    use serde_json::json;

    fn wines() -> Table {
        Table {
            name: "wines".into(),
            columns: vec![
                Column::new("name", ColumnKind::Text),
                Column::new("grape", ColumnKind::Text),
                Column::new("price", ColumnKind::Float),
                Column::new("score", ColumnKind::Int),
            ],
            rows: vec![
                vec![json!("A"), json!("Merlot"), json!(10.5), json!(90)],
                vec![json!("B"), json!("Merlot"), Value::Null, json!(85)],
                vec![json!("C"), json!("Syrah"), json!(30.0), json!(92)],
                vec![json!("D"), json!("Syrah"), json!(20.25), json!(88)],
            ],
        }
    }

    #[test]
    fn only_placed_rows_count_and_columns_keep_the_select_order() {
        let t = wines();
        let a = execute(
            "SELECT grape, COUNT(*) AS n, AVG(price) AS avg_price FROM wines GROUP BY grape",
            &[(&t, vec![0, 1, 2])],
        )
        .unwrap();
        assert_eq!(a.columns, ["grape", "n", "avg_price"]);
        assert_eq!(
            Value::from(
                a.rows
                    .iter()
                    .cloned()
                    .map(Value::Object)
                    .collect::<Vec<_>>()
            ),
            json!([
                {"grape": "Merlot", "n": 2, "avg_price": 10.5},
                {"grape": "Syrah", "n": 1, "avg_price": 30.0}
            ])
        );
        let top = execute(
            "SELECT name FROM wines ORDER BY score DESC LIMIT 2",
            &[(&t, vec![3, 1, 0])],
        )
        .unwrap();
        assert_eq!(top.rows.len(), 2);
        assert_eq!(top.rows[0]["name"], json!("A"));
        assert_eq!(top.rows[1]["name"], json!("D"));
        let none = execute(
            "SELECT name FROM wines WHERE price > 100",
            &[(&t, vec![0, 1, 2, 3])],
        )
        .unwrap();
        assert!(none.rows.is_empty());
        assert_eq!(none.columns, ["name"]);
    }

    #[test]
    fn nulls_go_last_whatever_the_direction_and_an_aggregate_over_nothing_is_empty() {
        assert_eq!(
            nulls_last("SELECT name FROM wines ORDER BY price DESC, name LIMIT 2"),
            "SELECT name FROM wines ORDER BY price DESC NULLS LAST, name NULLS LAST LIMIT 2"
        );
        assert_eq!(
            nulls_last("SELECT a FROM t ORDER BY COALESCE(a, b) NULLS FIRST"),
            "SELECT a FROM t ORDER BY COALESCE(a, b) NULLS FIRST"
        );
        assert_eq!(nulls_last("SELECT a FROM t"), "SELECT a FROM t");
        // A quoted name is one item, whatever words it holds.
        assert_eq!(
            nulls_last("SELECT \"full name\" FROM t ORDER BY \"credit limit\" DESC, 'a, b' LIMIT 3"),
            "SELECT \"full name\" FROM t ORDER BY \"credit limit\" DESC NULLS LAST, 'a, b' NULLS LAST LIMIT 3"
        );
        let t = wines();
        for sql in [
            "SELECT name FROM wines ORDER BY price DESC LIMIT 2",
            "SELECT name FROM wines ORDER BY price ASC LIMIT 3",
        ] {
            let a = execute(&nulls_last(sql), &[(&t, vec![0, 1, 2, 3])]).unwrap();
            let last = a.rows.last().unwrap()["name"].clone();
            if sql.contains("DESC") {
                assert_eq!(a.rows[0]["name"], json!("C"), "{sql}");
            } else {
                assert_eq!(
                    last,
                    json!("C"),
                    "{sql}: B (null) is not among the three cheapest"
                );
            }
        }
        let none = execute(
            "SELECT AVG(price) AS avg_price FROM wines WHERE score > 100",
            &[(&t, vec![0, 1, 2, 3])],
        )
        .unwrap();
        assert!(none.rows.is_empty(), "{:?}", none.rows);
        let zero = execute(
            "SELECT COUNT(*) AS n FROM wines WHERE score > 100",
            &[(&t, vec![0, 1, 2, 3])],
        )
        .unwrap();
        assert_eq!(zero.rows.len(), 1, "a count of nothing is 0, an answer");
    }

    #[test]
    fn a_tie_at_the_limit_is_found_and_a_tie_break_removes_it() {
        let mut t = wines();
        t.rows[3][3] = json!(90); // D ties A on score
        let rows = vec![0, 1, 2, 3];
        let tied = "SELECT name, score FROM wines ORDER BY score DESC LIMIT 2";
        assert!(tied_at_cut(&nulls_last(tied), &[(&t, rows.clone())]).unwrap());
        let broken = "SELECT name, score FROM wines ORDER BY score DESC, name ASC LIMIT 2";
        assert!(!tied_at_cut(&nulls_last(broken), &[(&t, rows.clone())]).unwrap());
        let clear = "SELECT name, score FROM wines ORDER BY score DESC LIMIT 1";
        assert!(!tied_at_cut(&nulls_last(clear), &[(&t, rows)]).unwrap());
    }

    #[test]
    fn a_query_polars_cannot_run_is_an_error() {
        let t = wines();
        let err = execute("SELECT colour FROM wines", &[(&t, vec![0])]).unwrap_err();
        assert!(err.contains("colour"), "{err}");
    }
}
