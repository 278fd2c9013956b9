//! Databases as HoloBench reads them: named tables of typed columns, each row a list of plain
//! JSON values (`null`, an integer, a decimal, a string; a date is an ISO `YYYY-MM-DD` string,
//! which orders correctly as text in SQL and in SQLite alike).

use serde::Serialize;
use serde_json::Value;

/// The type of a column, which decides how its values are written in a sentence, read back from
/// one, and compared when scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    /// Whole numbers (`i64`).
    Int,
    /// Decimals, held to two places, so that a sentence's digits give the value back exactly.
    Float,
    Text,
    /// A calendar date, held as `YYYY-MM-DD`.
    Date,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub name: String,
    pub kind: ColumnKind,
}

impl Column {
    pub fn new(name: &str, kind: ColumnKind) -> Self {
        Column {
            name: name.to_string(),
            kind,
        }
    }
}

/// One table: columns in order, and rows whose values follow that order. Rows are distinct.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    /// The position of column `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Row `i` as an object keyed by column name, in column order.
    pub fn row_object(&self, i: usize) -> serde_json::Map<String, Value> {
        self.columns
            .iter()
            .zip(&self.rows[i])
            .map(|(c, v)| (c.name.clone(), v.clone()))
            .collect()
    }
}

/// A database: its name (what queries name as `db_id`) and its tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Database {
    pub name: String,
    pub tables: Vec<Table>,
}

impl Database {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// Which way a query's result is judged: as a set of rows, or as a ranked list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QueryKind {
    Filter,
    Count,
    /// Sum or average.
    Aggregate,
    /// Maximum or minimum.
    MaxMin,
    GroupBy,
    /// Order-by with limit: the result's order is part of the answer.
    TopK,
    Join,
}

/// A question about a database and the SQL that answers it, with the original release's tags.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Query {
    /// Stable within its database: part of every sample id made from it.
    pub id: String,
    /// The database it reads (the original's `db_id`).
    pub db: String,
    pub kind: QueryKind,
    /// The question as a person would ask it.
    pub question: String,
    /// What the polars SQL engine executes (and SQLite, in the cross-check test).
    pub sql: String,
    /// The tables the SQL reads: their rows are the relevant ones.
    pub tables: Vec<String>,
    /// The original's hardness label: easy, medium, hard or extra.
    pub difficulty: String,
    /// The original's flags.
    pub flags: QueryFlags,
    /// Rows of the queried tables that narrowly fail the query's condition, as an SQL boolean
    /// expression over one table's columns (`price BETWEEN 40 AND 49.99` beside `price >= 50`),
    /// with the table it applies to; `None` where the query has no condition to miss.
    pub near_miss: Option<NearMiss>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearMiss {
    pub table: String,
    pub condition: String,
}

/// The original release's boolean tags of a query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QueryFlags {
    pub aggregation: bool,
    pub max_min: bool,
    pub join: bool,
    pub comparison: bool,
    pub ranking: bool,
}
