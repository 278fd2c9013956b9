//! HoloBench samples checked from outside the generator: the truth recomputed by SQLite on the
//! placed rows, every placed row read back from its sentence, lengths, densities and
//! placements as asked, and no row repeated.

use std::collections::{HashMap, HashSet};

use longforge_datasets::{Sample, TokenCounter, TokenizerSpec};
use longforge_generators::holobench::db::{ColumnKind, Table};
use longforge_generators::holobench::verbalise::Verbaliser;
use longforge_generators::holobench::{embedded, HoloBench};
use longforge_generators::{Family, Inputs};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn generate(params: Value) -> Vec<Sample> {
    let family = HoloBench;
    let resolved = family.resolve(params, &Inputs::default()).unwrap();
    family
        .generate(&resolved, &Inputs::default(), &mut |_, _| {})
        .unwrap()
        .samples
}

fn tables(seed: u64) -> HashMap<String, Table> {
    embedded(seed)
        .0
        .into_iter()
        .flat_map(|db| db.tables)
        .map(|t| (t.name.clone(), t))
        .collect()
}

/// The placed relevant rows of `sample`, by table, as SQLite tables; then the sample's SQL.
fn sqlite_answer(sample: &Sample, tables: &HashMap<String, Table>) -> Vec<Map<String, Value>> {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    let rows = sample.meta["rows"].as_array().unwrap();
    let mut created = HashSet::new();
    for row in rows.iter().filter(|r| r["relevant"] == json!(true)) {
        let name = row["table"].as_str().unwrap();
        let table = &tables[name];
        if created.insert(name.to_string()) {
            let columns: Vec<String> = table
                .columns
                .iter()
                .map(|c| {
                    let ty = match c.kind {
                        ColumnKind::Int => "INTEGER",
                        ColumnKind::Float => "REAL",
                        ColumnKind::Text | ColumnKind::Date => "TEXT",
                    };
                    format!("\"{}\" {ty}", c.name)
                })
                .collect();
            conn.execute(&format!("CREATE TABLE {name} ({})", columns.join(", ")), [])
                .unwrap();
        }
        let values = row["values"].as_object().unwrap();
        let cells: Vec<rusqlite::types::Value> = table
            .columns
            .iter()
            .map(|c| match &values[&c.name] {
                Value::Null => rusqlite::types::Value::Null,
                Value::String(s) => rusqlite::types::Value::Text(s.clone()),
                Value::Number(n) if c.kind == ColumnKind::Int => {
                    rusqlite::types::Value::Integer(n.as_i64().unwrap())
                }
                Value::Number(n) => rusqlite::types::Value::Real(n.as_f64().unwrap()),
                other => panic!("unexpected cell {other}"),
            })
            .collect();
        let marks = vec!["?"; cells.len()].join(", ");
        conn.execute(
            &format!("INSERT INTO {name} VALUES ({marks})"),
            rusqlite::params_from_iter(cells),
        )
        .unwrap();
    }
    // A queried table with no placed row still exists, empty.
    for name in sample.meta["sql"]
        .as_str()
        .unwrap()
        .split(|c: char| !c.is_alphanumeric() && c != '_')
    {
        if let Some(table) = tables.get(name) {
            if created.insert(name.to_string()) {
                let columns: Vec<String> = table
                    .columns
                    .iter()
                    .map(|c| format!("\"{}\"", c.name))
                    .collect();
                conn.execute(&format!("CREATE TABLE {name} ({})", columns.join(", ")), [])
                    .unwrap();
            }
        }
    }
    let sql = sample.meta["sql"].as_str().unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let mut out = Vec::new();
    let mut rows = stmt.query([]).unwrap();
    while let Some(row) = rows.next().unwrap() {
        let mut obj = Map::new();
        for (i, name) in names.iter().enumerate() {
            let v = match row.get_ref(i).unwrap() {
                rusqlite::types::ValueRef::Null => Value::Null,
                rusqlite::types::ValueRef::Integer(n) => json!(n),
                rusqlite::types::ValueRef::Real(x) => json!(x),
                rusqlite::types::ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
                rusqlite::types::ValueRef::Blob(_) => panic!("blob"),
            };
            obj.insert(name.clone(), v);
        }
        out.push(obj);
    }
    out
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
        _ => a == b,
    }
}

fn same_rows(gold: &[Value], sqlite: &[Map<String, Value>], ordered: bool) -> bool {
    if gold.len() != sqlite.len() {
        return false;
    }
    let key = |r: &Map<String, Value>| {
        r.values()
            .map(|v| match v.as_f64() {
                Some(x) => format!("{x:.6}"),
                None => v.to_string(),
            })
            .collect::<Vec<_>>()
            .join("|")
    };
    let mut g: Vec<&Map<String, Value>> = gold.iter().map(|r| r.as_object().unwrap()).collect();
    let mut s: Vec<&Map<String, Value>> = sqlite.iter().collect();
    if !ordered {
        g.sort_by_key(|r| key(r));
        s.sort_by_key(|r| key(r));
    }
    g.iter().zip(&s).all(|(a, b)| {
        a.keys().eq(b.keys()) && a.values().zip(b.values()).all(|(x, y)| same_value(x, y))
    })
}

fn check_sample(sample: &Sample, tables: &HashMap<String, Table>, verbaliser: &Verbaliser) {
    let meta = &sample.meta;
    // The truth, independently.
    let gold = sample.reference.value.as_array().unwrap();
    let sqlite = sqlite_answer(sample, tables);
    let ordered = meta["ordered"] == json!(true);
    assert!(
        same_rows(gold, &sqlite, ordered),
        "{}: polars gave {}, SQLite {}",
        sample.id,
        Value::from(gold.clone()),
        serde_json::to_string(&sqlite).unwrap()
    );
    // Every placed row is in the context where meta says, reads back, and appears once.
    let context: Vec<char> = sample.context.as_deref().unwrap().chars().collect();
    let mut seen = HashSet::new();
    let mut relevant_rows = 0u64;
    for row in meta["rows"].as_array().unwrap() {
        let (start, end) = (
            row["char_start"].as_u64().unwrap() as usize,
            row["char_end"].as_u64().unwrap() as usize,
        );
        let text: String = context[start..end].iter().collect();
        assert_eq!(text, row["text"].as_str().unwrap());
        let table = &tables[row["table"].as_str().unwrap()];
        let values = row["values"].as_object().unwrap();
        let expected: Vec<Value> = table
            .columns
            .iter()
            .map(|c| values[&c.name].clone())
            .collect();
        let nulls: Vec<bool> = expected.iter().map(Value::is_null).collect();
        let template = row["template"].as_u64().unwrap() as usize;
        assert_eq!(
            verbaliser
                .read_back(table, template, &nulls, &text)
                .unwrap(),
            expected,
            "{text}"
        );
        assert!(
            seen.insert((table.name.clone(), serde_json::to_string(values).unwrap())),
            "{}: row placed twice: {text}",
            sample.id
        );
        assert_eq!(row["repeat"], json!(0));
        if row["relevant"] == json!(true) {
            relevant_rows += 1;
        }
    }
    assert!(relevant_rows > 0, "{}: no relevant row", sample.id);
    // Length: at most the target, within a few rows of it.
    let target = meta["target_tokens"].as_u64().unwrap();
    let got = meta["context_tokens"].as_u64().unwrap();
    assert!(
        got <= target && got + 150 >= target,
        "{}: {got} of {target}",
        sample.id
    );
}

fn checker(seed: u64) -> (HashMap<String, Table>, Verbaliser) {
    let (dbs, sources) = embedded(seed);
    let all: Vec<&Table> = dbs.iter().flat_map(|d| &d.tables).collect();
    let verbaliser = Verbaliser::new(&sources, &all).unwrap();
    (tables(seed), verbaliser)
}

#[test]
fn every_default_query_agrees_with_sqlite_on_every_placement() {
    let samples = generate(json!({"lengths": ["4k"], "seed": 11}));
    let (tables, verbaliser) = checker(11);
    let counter = TokenCounter::load(&TokenizerSpec::parse("cl100k_base")).unwrap();
    let mut non_empty = 0;
    for s in &samples {
        check_sample(s, &tables, &verbaliser);
        non_empty += usize::from(!s.reference.value.as_array().unwrap().is_empty());
        // Near misses at the asked share (0.3), to the row, where the query is on one table.
        if s.meta["query_kind"] != "join" && s.meta["near_miss_rows"].as_u64().unwrap() > 0 {
            let relevant = s.meta["rows"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["relevant"] == json!(true))
                .count() as f64;
            let near = s.meta["near_miss_rows"].as_f64().unwrap();
            assert!(
                (near / relevant - 0.3).abs() <= 1.0 / relevant,
                "{}: {near} near misses of {relevant}",
                s.id
            );
        }
        // The recorded count is the tokenizer's, of the whole context.
        assert_eq!(
            counter.count(s.context.as_deref().unwrap()).unwrap() as u64,
            s.meta["context_tokens"].as_u64().unwrap()
        );
    }
    // An empty answer is drawn again: "no answer" is rarely right.
    assert!(
        non_empty * 100 >= samples.len() * 97,
        "questions have an answer: {non_empty} of {}",
        samples.len()
    );
    assert!(samples
        .iter()
        .any(|s| s.meta["draws"].as_u64().unwrap() > 1));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]
    #[test]
    fn density_and_placement_are_as_asked(seed in 0u64..1_000_000, d in 0.2f64..0.8) {
        let d = (d * 100.0).round() / 100.0;
        let samples = generate(json!({
            "lengths": ["8k"], "density": [d], "databases": ["soccer"],
            "placement": ["middle", "bimodal", "begin", "end"], "seed": seed,
        }));
        let (tables, verbaliser) = checker(seed);
        for s in &samples {
            check_sample(s, &tables, &verbaliser);
            let got = s.meta["density"].as_f64().unwrap();
            prop_assert!((got - d).abs() <= 0.02, "{}: density {got} vs {d}", s.id);
            let p = &s.meta["placement"];
            let centre = p["centre"].as_f64().unwrap();
            match s.meta["axes"]["placement"].as_str().unwrap() {
                "middle" => prop_assert!((centre - 50.0).abs() < 3.0, "{}: {p}", s.id),
                "bimodal" => {
                    let c = p["block_centres"].as_array().unwrap();
                    prop_assert!((c[0].as_f64().unwrap() - 25.0).abs() < 3.0, "{}: {p}", s.id);
                    prop_assert!((c[1].as_f64().unwrap() - 75.0).abs() < 3.0, "{}: {p}", s.id);
                }
                "begin" => prop_assert_eq!(p["first"].as_f64().unwrap(), 0.0),
                "end" => prop_assert_eq!(p["last"].as_f64().unwrap(), 100.0),
                _ => {}
            }
        }
    }
}

#[test]
fn a_query_that_cannot_fill_its_budget_is_refused_unless_repeats_are_allowed() {
    let family = HoloBench;
    let params = json!({"lengths": ["300k"], "density": [1.0], "databases": ["wine"]});
    let resolved = family.resolve(params, &Inputs::default()).unwrap();
    let source = family.prepare(&resolved, &Inputs::default()).unwrap();
    let err = (0..source.len())
        .find_map(|i| source.sample(i).err())
        .expect("some table holds fewer than 64k tokens");
    let err = err.to_string();
    assert!(err.contains("--allow-repeat"), "{err}");
}
