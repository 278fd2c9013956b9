//! Rows written out as sentences, and read back from them.
//!
//! Each table has several templates (minijinja, one sentence each); a row's template is drawn
//! with the sample's seed. A template receives every column by name as its display text (see
//! [`display`]), or `none` for a null, which the template must word itself (`{% if price is none
//! %}no listed price{% else %}${{ price }}{% endif %}`). A template must state every column: a
//! question may touch any of them, and a sentence that drops one would make the gold answer
//! unknowable from the context. Loading refuses a template that does not.
//!
//! Reading back is the proof that nothing was lost: the template is rendered once more with each
//! non-null value replaced by a marker, the markers become capture groups, and each capture is
//! parsed by its column's kind. The tests read every placed row back this way.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::db::{ColumnKind, Table};
use crate::GenerateError;

/// Where a template came from, for error messages: the embedded set, or a user's file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSource {
    pub table: String,
    pub origin: String,
    pub text: String,
}

/// Compiled templates, by table.
pub struct Verbaliser {
    env: minijinja::Environment<'static>,
    /// Template names by table, in the order given.
    by_table: BTreeMap<String, Vec<String>>,
    origins: BTreeMap<String, String>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Private-use characters that cannot occur in a value: they bracket the column's index,
/// padded so that a template cannot slice a value (`{{ name[:3] }}`) and keep its marker whole.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';
const PAD: &str = "\u{E002}\u{E002}\u{E002}\u{E002}\u{E002}\u{E002}\u{E002}\u{E002}";

fn marker(column: usize) -> String {
    format!("{OPEN}{column}{PAD}{CLOSE}")
}

/// How a value is written in a sentence: integers in plain digits, decimals with two places,
/// dates as `5 March 2021`, text as it is. `None` for null.
pub fn display(kind: ColumnKind, value: &Value) -> Option<String> {
    match (kind, value) {
        (_, Value::Null) => None,
        (ColumnKind::Float, Value::Number(n)) => Some(format!("{:.2}", n.as_f64().unwrap_or(0.0))),
        (ColumnKind::Date, Value::String(s)) => Some(long_date(s).unwrap_or_else(|| s.clone())),
        (_, Value::String(s)) => Some(s.clone()),
        (_, other) => Some(other.to_string()),
    }
}

fn long_date(iso: &str) -> Option<String> {
    let mut parts = iso.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let month = MONTHS.get(m.parse::<usize>().ok()?.checked_sub(1)?)?;
    Some(format!("{} {month} {y}", d.parse::<u32>().ok()?))
}

/// The inverse of [`display`]: the value a sentence's text stands for.
pub fn parse_display(kind: ColumnKind, text: &str) -> Option<Value> {
    match kind {
        ColumnKind::Int => text.parse::<i64>().ok().map(Value::from),
        ColumnKind::Float => text.parse::<f64>().ok().map(Value::from),
        ColumnKind::Text => Some(Value::String(text.to_string())),
        ColumnKind::Date => {
            let mut parts = text.split(' ');
            let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
            let month = MONTHS.iter().position(|&x| x == m)? + 1;
            let (d, y) = (d.parse::<u32>().ok()?, y.parse::<u32>().ok()?);
            Some(Value::String(format!("{y:04}-{month:02}-{d:02}")))
        }
    }
}

impl Verbaliser {
    /// Compiles `sources`; every table of `tables` that appears in them is checked: each template
    /// renders a row of it and states every column. Errors name the template's origin.
    pub fn new(sources: &[TemplateSource], tables: &[&Table]) -> Result<Self, GenerateError> {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        // A null printed as it is would read `none` in the sentence: a template must word it.
        env.set_formatter(|out, state, value| {
            if value.is_none() {
                return Err(minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    "it prints a null value; word it with {% if COLUMN is none %}",
                ));
            }
            minijinja::escape_formatter(out, state, value)
        });
        let mut by_table: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut origins = BTreeMap::new();
        for (i, source) in sources.iter().enumerate() {
            let name = format!("{}#{i}", source.table);
            env.add_template_owned(name.clone(), source.text.clone())
                .map_err(|e| bad_template(&source.origin, &source.table, &e.to_string()))?;
            by_table
                .entry(source.table.clone())
                .or_default()
                .push(name.clone());
            origins.insert(name, source.origin.clone());
        }
        let verbaliser = Verbaliser {
            env,
            by_table,
            origins,
        };
        for table in tables {
            verbaliser.check(table)?;
        }
        Ok(verbaliser)
    }

    /// How many templates `table` has (0 when it has none).
    pub fn templates(&self, table: &str) -> usize {
        self.by_table.get(table).map_or(0, Vec::len)
    }

    /// Row `row` of `table` written with its template `choice`.
    pub fn render(
        &self,
        table: &Table,
        row: usize,
        choice: usize,
    ) -> Result<String, GenerateError> {
        let values: Map<String, Value> = table
            .columns
            .iter()
            .zip(&table.rows[row])
            .map(|(c, v)| {
                let shown = display(c.kind, v).map_or(Value::Null, Value::String);
                (c.name.clone(), shown)
            })
            .collect();
        self.render_values(&table.name, choice, &Value::Object(values))
    }

    /// Renders with `values` (an object by column name); the same object is also `_row`, so a
    /// template can name a column that is not an identifier: `{{ _row["unit price"] }}`.
    fn render_values(
        &self,
        table: &str,
        choice: usize,
        values: &Value,
    ) -> Result<String, GenerateError> {
        let mut values = values.clone();
        if let Value::Object(map) = &mut values {
            let row = Value::Object(map.clone());
            map.insert("_row".into(), row);
        }
        let values = &values;
        let name = self
            .by_table
            .get(table)
            .and_then(|names| names.get(choice))
            .ok_or_else(|| {
                GenerateError::param(
                    "templates",
                    format!("table `{table}` has no template {choice}"),
                )
            })?;
        let template = self
            .env
            .get_template(name)
            .map_err(|e| GenerateError::param("templates", e.to_string()))?;
        let text = template.render(values).map_err(|e| {
            GenerateError::param(
                "templates",
                format!("{}: template for table `{table}`: {e}", self.origins[name]),
            )
        })?;
        // One sentence per line: the context is rows joined by newlines.
        Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// The row that `sentence`, written with template `choice` of `table`, states; `nulls` says
    /// which columns were null (a template words a null in its own way, so the shape depends on
    /// it). Errors say what could not be read.
    pub fn read_back(
        &self,
        table: &Table,
        choice: usize,
        nulls: &[bool],
        sentence: &str,
    ) -> Result<Vec<Value>, String> {
        let pattern = self
            .render_values(&table.name, choice, &marked(table, nulls))
            .map_err(|e| e.to_string())?;
        let mut regex = String::from("^");
        let mut order = Vec::new();
        let mut rest = pattern.as_str();
        while let Some(open) = rest.find(OPEN) {
            regex.push_str(&regex::escape(&rest[..open]));
            let after = &rest[open + OPEN.len_utf8()..];
            let close = after.find(CLOSE).ok_or("unclosed marker")?;
            let index = after[..close].trim_end_matches('\u{E002}');
            order.push(index.parse::<usize>().map_err(|e| e.to_string())?);
            regex.push_str("(.+?)");
            rest = &after[close + CLOSE.len_utf8()..];
        }
        regex.push_str(&regex::escape(rest));
        regex.push('$');
        let re = regex::Regex::new(&regex).map_err(|e| e.to_string())?;
        let caps = re
            .captures(sentence)
            .ok_or_else(|| format!("`{sentence}` does not have the template's shape"))?;
        let mut values = vec![Value::Null; table.columns.len()];
        let mut seen = vec![false; table.columns.len()];
        for (k, &col) in order.iter().enumerate() {
            let text = caps.get(k + 1).map_or("", |m| m.as_str());
            let kind = table.columns[col].kind;
            let value = parse_display(kind, text).ok_or_else(|| {
                format!("`{text}` is not a {kind:?} ({})", table.columns[col].name)
            })?;
            if seen[col] && values[col] != value {
                return Err(format!(
                    "column {} read twice, differently",
                    table.columns[col].name
                ));
            }
            values[col] = value;
            seen[col] = true;
        }
        Ok(values)
    }

    /// Every template of `table` renders a row with no nulls and one with every nullable column
    /// null, and states each non-null column.
    fn check(&self, table: &Table) -> Result<(), GenerateError> {
        // Which columns hold nulls somewhere: each template must word them both ways.
        let nullable: Vec<bool> = (0..table.columns.len())
            .map(|c| table.rows.iter().any(|r| r[c].is_null()))
            .collect();
        let names = self.by_table.get(&table.name).cloned().unwrap_or_default();
        for (choice, name) in names.iter().enumerate() {
            for nulls in [&vec![false; table.columns.len()], &nullable] {
                let text = self.render_values(&table.name, choice, &marked(table, nulls))?;
                for (i, column) in table.columns.iter().enumerate() {
                    if !nulls[i] && !text.contains(&marker(i)) {
                        return Err(bad_template(
                            &self.origins[name],
                            &table.name,
                            &format!("it does not state column `{}`", column.name),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// A row of markers: column `i` is [`marker`]`(i)`, or null where `nulls[i]`.
fn marked(table: &Table, nulls: &[bool]) -> Value {
    Value::Object(
        table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let v = if nulls.get(i).copied().unwrap_or(false) {
                    Value::Null
                } else {
                    Value::String(marker(i))
                };
                (c.name.clone(), v)
            })
            .collect(),
    )
}

fn bad_template(origin: &str, table: &str, message: &str) -> GenerateError {
    GenerateError::param(
        "templates",
        format!("{origin}: template for table `{table}`: {message}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::holobench::db::Column;
    use serde_json::json;

    fn table() -> Table {
        Table {
            name: "wines".into(),
            columns: vec![
                Column::new("name", ColumnKind::Text),
                Column::new("year", ColumnKind::Int),
                Column::new("price", ColumnKind::Float),
                Column::new("bottled", ColumnKind::Date),
            ],
            rows: vec![
                vec![
                    json!("Stag's Leap, Reserve"),
                    json!(2019),
                    json!(45.5),
                    json!("2021-03-05"),
                ],
                vec![json!("Opus"), json!(2001), Value::Null, json!("2003-12-31")],
            ],
        }
    }

    fn source(text: &str) -> TemplateSource {
        TemplateSource {
            table: "wines".into(),
            origin: "test".into(),
            text: text.into(),
        }
    }

    #[test]
    fn rows_read_back_from_their_sentences() {
        let t = table();
        let v = Verbaliser::new(
            &[source("{{ name }} ({{ year }}) was bottled on {{ bottled }} and {% if price is none %}has no listed price{% else %}sells for ${{ price }}{% endif %}.")],
            &[&t],
        )
        .unwrap();
        for row in 0..t.rows.len() {
            let s = v.render(&t, row, 0).unwrap();
            let nulls: Vec<bool> = t.rows[row].iter().map(Value::is_null).collect();
            assert_eq!(v.read_back(&t, 0, &nulls, &s).unwrap(), t.rows[row], "{s}");
        }
        assert_eq!(
            v.render(&t, 0, 0).unwrap(),
            "Stag's Leap, Reserve (2019) was bottled on 5 March 2021 and sells for $45.50."
        );
    }

    #[test]
    fn a_template_that_drops_a_column_or_prints_none_is_refused() {
        let t = table();
        let err = Verbaliser::new(
            &[source("{{ name }} from {{ year }} at {{ price }}.")],
            &[&t],
        )
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains("does not state column `bottled`"), "{err}");
        let err = Verbaliser::new(
            &[source(
                "{{ name }} {{ year }} {{ bottled }} costs {{ price }}.",
            )],
            &[&t],
        )
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains("none"), "{err}");
        let err = Verbaliser::new(
            &[source("{{ name[:3] }} {{ year }} {{ bottled }} {% if price is none %}-{% else %}{{ price }}{% endif %}.")],
            &[&t],
        )
        .err()
        .unwrap()
        .to_string();
        assert!(
            err.contains("does not state column `name`"),
            "a sliced value: {err}"
        );
        let err = Verbaliser::new(&[source("{{ name }")], &[&t])
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("test: template for table `wines`"), "{err}");
    }
}
