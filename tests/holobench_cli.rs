//! HoloBench from the command line with a user's own inputs: a database folder, the original's
//! query columns, templates, and the original release's per-table files; bad inputs refused
//! with file, line and field, and nothing written.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::cli::{fails, ok, read_lines, s, score};
use support::scripted_server;

/// A small shop database: `items` (queried) and `orders` (distractors).
fn shop(root: &Path) -> PathBuf {
    let db = root.join("shop");
    std::fs::create_dir_all(&db).unwrap();
    let mut items = String::from("name,price,stock,added\n");
    for i in 0..400 {
        let price = if i % 3 == 0 {
            String::new()
        } else {
            format!("{}.{:02}", 1 + i % 90, i % 100)
        };
        items.push_str(&format!(
            "Item {i},{price},{},2024-{:02}-{:02}\n",
            i % 17,
            1 + i % 12,
            1 + i % 28
        ));
    }
    std::fs::write(db.join("items.csv"), items).unwrap();
    let mut orders = String::from("order_no,customer,total\n");
    for i in 0..400 {
        orders.push_str(&format!("{},Customer {},{}\n", 1000 + i, i % 50, i * 3));
    }
    std::fs::write(db.join("orders.csv"), orders).unwrap();
    db
}

fn queries(root: &Path, rows: &[&str]) -> PathBuf {
    let path = root.join("queries.csv");
    let mut text = String::from(
        "question,query,db_id,difficulty,query_type,Aggregation,Max/Min,Join,Comparison,Ranking\n",
    );
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    path
}

const COUNT_CHEAP: &str = "\"How many items have fewer than 5 in stock?\",SELECT COUNT(*) AS n FROM items WHERE stock < 5,shop,easy,\"['Aggregation', 'Comparison']\",True,False,False,True,False";
const TOP_PRICE: &str = "\"Which three items cost the most?\",\"SELECT name, price FROM items WHERE price IS NOT NULL ORDER BY price DESC, name ASC LIMIT 3\",shop,medium,\"['Ranking']\",False,False,False,False,True";
const TOP_PRICE_NULLS: &str = "\"Which three items cost the most?\",\"SELECT name, price FROM items ORDER BY price DESC, name ASC LIMIT 3\",shop,medium,\"['Ranking']\",False,False,False,False,True";
const OTHER_DB: &str =
    "\"How many wines?\",SELECT COUNT(*) AS n FROM wines,wine_1,easy,[],True,False,False,False,False";

#[test]
fn a_users_database_queries_and_templates_run_through_generate_verify_and_score() {
    let tmp = tempfile::tempdir().unwrap();
    let db = shop(tmp.path());
    let q = queries(
        tmp.path(),
        &[COUNT_CHEAP, TOP_PRICE, OTHER_DB, TOP_PRICE_NULLS],
    );
    let templates = tmp.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("items.txt"),
        "# one template per line\nThe shop lists {{ name }}, added on {{ added }}, with {{ stock }} in stock and {% if price is none %}no price yet{% else %}a price of ${{ price }}{% endif %}.\n",
    )
    .unwrap();
    let dir = tmp.path().join("d");
    let args = [
        "generate",
        "holobench",
        "--db",
        s(&db),
        "--queries",
        s(&q),
        "--templates",
        s(&templates),
        "--lengths",
        "2k",
        "--relevant-tokens",
        "600",
        "--out",
        s(&dir),
    ];
    ok(&args);
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let params = &manifest["params"];
    assert_eq!(params["db"]["file"], "shop");
    assert_eq!(params["queries_skipped"], 1, "the wine_1 query is counted");
    assert_eq!(params["databases"], serde_json::json!(["shop"]));
    let samples = read_lines(&dir.join("samples.jsonl"));
    assert_eq!(samples.len(), 3 * 5, "three queries x five placements");
    for sample in samples.iter().filter(|s| s["meta"]["query"] == "q5") {
        // Items without a price sort last (as DuckDB, the original's engine, puts them), not
        // first (as polars and PostgreSQL would in descending order); the SQL says so.
        assert!(sample["meta"]["sql"]
            .as_str()
            .unwrap()
            .contains("DESC NULLS LAST"));
        let gold = sample["reference"]["value"].as_array().unwrap();
        assert_eq!(gold.len(), 3);
        assert!(gold.iter().all(|r| r["price"].is_number()), "{gold:?}");
    }
    for sample in &samples {
        let context = sample["context"].as_str().unwrap();
        // Items are written with the user's template; orders, which have none, with the plain one.
        assert!(context.contains("The shop lists Item "), "{context}");
        assert!(
            context.contains("In table orders: order_no is "),
            "{context}"
        );
        assert!(context.contains("no price yet") || sample["meta"]["query"] == "q3");
        let rows = sample["meta"]["rows"].as_array().unwrap();
        let relevant: Vec<&Value> = rows.iter().filter(|r| r["relevant"] == true).collect();
        if sample["meta"]["query"] == "q2" {
            // The count is over exactly the placed items.
            let cheap = relevant
                .iter()
                .filter(|r| r["values"]["stock"].as_i64().unwrap() < 5)
                .count();
            assert_eq!(sample["reference"]["value"][0]["n"], cheap as u64);
        }
    }
    // Regeneration needs the same inputs, and passes with them.
    let err = fails(&["verify", s(&dir)]);
    assert!(err.contains("--db"), "{err}");
    ok(&[
        "verify",
        s(&dir),
        "--db",
        s(&db),
        "--queries",
        s(&q),
        "--templates",
        s(&templates),
    ]);
    let mut files = Vec::new();
    for b in ["oracle", "random"] {
        let f = tmp.path().join(format!("{b}.jsonl"));
        ok(&["run", "--dataset", s(&dir), "--baseline", b, "--out", s(&f)]);
        files.push(f);
    }
    let scores = tmp.path().join("scores.jsonl");
    score(&dir, &scores, &[], &files);
    let scores = read_lines(&scores);
    let oracle_f1: Vec<&Value> = scores
        .iter()
        .filter(|s| s["model"] == "oracle" && s["metric"] == "f1")
        .collect();
    assert_eq!(oracle_f1.len(), 15);
    assert!(oracle_f1.iter().all(|s| s["value"] == 1.0));
    let ordered = scores
        .iter()
        .filter(|s| s["model"] == "oracle" && s["metric"] == "order_score")
        .count();
    assert_eq!(ordered, 10, "only the ORDER BY queries get an order score");
}

#[test]
fn the_original_releases_table_files_keep_their_sentences() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("wine_1");
    std::fs::create_dir(&db).unwrap();
    let mut wine = String::from("verbalized_text,table_row\n");
    for i in 0..300 {
        let row = format!(
            "{{\"\"Name\"\": \"\"Wine {i}\"\", \"\"Price\"\": {}, \"\"Year\"\": {}}}",
            10 + i % 40,
            2000 + i % 20
        );
        wine.push_str(&format!(
            "\"The wine Wine {i}, from {}, costs {} dollars.\",\"{row}\"\n",
            2000 + i % 20,
            10 + i % 40
        ));
    }
    std::fs::write(db.join("wine.csv"), wine).unwrap();
    let mut grapes = String::from("verbalized_text,table_row\n");
    for i in 0..300 {
        grapes.push_str(&format!(
            "\"Grape {i} is a red variety.\",\"{{\"\"Grape\"\": \"\"Grape {i}\"\", \"\"Color\"\": \"\"Red\"\"}}\"\n"
        ));
    }
    std::fs::write(db.join("grapes.csv"), grapes).unwrap();
    let q = queries(
        tmp.path(),
        &["\"What is the highest price of a wine from 2010?\",SELECT MAX(Price) AS top FROM wine WHERE Year = 2010,wine_1,easy,\"['Max/Min']\",False,True,False,True,False"],
    );
    let dir = tmp.path().join("d");
    ok(&[
        "generate",
        "holobench",
        "--db",
        s(&db),
        "--queries",
        s(&q),
        "--lengths",
        "1k",
        "--relevant-tokens",
        "500",
        "--placement",
        "begin",
        "--out",
        s(&dir),
    ]);
    let samples = read_lines(&dir.join("samples.jsonl"));
    assert_eq!(samples.len(), 1);
    let sample = &samples[0];
    let context = sample["context"].as_str().unwrap();
    assert!(context.starts_with("The wine Wine "), "{context}");
    assert!(context.contains(" is a red variety."), "{context}");
    let top = sample["meta"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["relevant"] == true && r["values"]["Year"] == 2010)
        .map(|r| r["values"]["Price"].as_i64().unwrap())
        .max();
    let gold = &sample["reference"]["value"];
    match top {
        Some(t) => assert_eq!(gold[0]["top"], t),
        None => assert_eq!(gold[0]["top"], Value::Null),
    }
}

#[test]
fn bad_inputs_name_file_line_and_field_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let db = shop(tmp.path());
    let dir = tmp.path().join("d");
    let generate = |db: &Path, q: &Path| -> String {
        let err = fails(&[
            "generate",
            "holobench",
            "--db",
            s(db),
            "--queries",
            s(q),
            "--lengths",
            "2k",
            "--out",
            s(&dir),
        ]);
        assert!(!dir.exists(), "nothing is written: {err}");
        err
    };
    // Queries that cannot be asked, each with what its error must say.
    for (row, says) in [
        // A column the table lacks.
        (
            "\"Colours?\",SELECT colour FROM items",
            ["queries.csv:2", "colour"],
        ),
        ("\"Drop?\",DELETE FROM items", ["line 2", "not a SELECT"]),
        ("\"One?\",SELECT 1 AS x", ["line 2", "reads no table"]),
        (
            "\"How many?\",\"SELECT stock, COUNT(*) FROM items GROUP BY stock\"",
            ["line 2", "with AS"],
        ),
    ] {
        let q = queries(
            tmp.path(),
            &[&format!("{row},shop,easy,[],False,False,False,False,False")],
        );
        let err = generate(&db, &q);
        assert!(says.iter().all(|w| err.contains(w)), "{row}: {err}");
    }
    // Near misses from a table the query does not read.
    let stray_near = tmp.path().join("near.jsonl");
    std::fs::write(
        &stray_near,
        "{\"question\": \"How many?\", \"query\": \"SELECT COUNT(*) AS n FROM items WHERE stock < 5\", \"db_id\": \"shop\", \"near_miss\": {\"table\": \"orders\", \"condition\": \"total < 10\"}}\n",
    )
    .unwrap();
    let err = generate(&db, &stray_near);
    assert!(
        err.contains("near.jsonl:1") && err.contains("does not read"),
        "{err}"
    );
    // A template file named after no table (with good queries: each case above rewrote them).
    let good = queries(tmp.path(), &[COUNT_CHEAP]);
    let stray = tmp.path().join("stray");
    std::fs::create_dir(&stray).unwrap();
    std::fs::write(stray.join("item.txt"), "{{ name }} costs {{ price }}.\n").unwrap();
    let err = fails(&[
        "generate",
        "holobench",
        "--db",
        s(&db),
        "--queries",
        s(&good),
        "--templates",
        s(&stray),
        "--lengths",
        "2k",
        "--out",
        s(&dir),
    ]);
    assert!(
        err.contains("item.txt:1") && err.contains("no table is named `item`"),
        "{err}"
    );
    assert!(!dir.exists());
    // A queries file without its `query` column.
    let headless = tmp.path().join("headless.csv");
    std::fs::write(&headless, "question,db_id\nHow many?,shop\n").unwrap();
    let err = generate(&db, &headless);
    assert!(
        err.contains("headless.csv") && err.contains("`query`"),
        "{err}"
    );
    // A ragged table row.
    let ragged = tmp.path().join("ragged").join("shop");
    std::fs::create_dir_all(&ragged).unwrap();
    std::fs::write(ragged.join("items.csv"), "name,price\nPen,1\nInk,2,3\n").unwrap();
    let err = generate(&ragged, &good);
    assert!(err.contains("items.csv") && err.contains("line 3"), "{err}");
    // An empty table.
    std::fs::write(ragged.join("items.csv"), "name,price\n").unwrap();
    let err = generate(&ragged, &good);
    assert!(
        err.contains("items.csv") && err.contains("no rows"),
        "{err}"
    );
    // A database without queries.
    let err = fails(&["generate", "holobench", "--db", s(&db), "--out", s(&dir)]);
    assert!(err.contains("--queries"), "{err}");
    assert!(!dir.exists());
}

/// A judge that labels every gold row `exact`: as many labels as the prompt numbers rows.
fn all_exact(request: &Value) -> Value {
    let prompt = request["messages"][0]["content"]
        .as_str()
        .unwrap_or_default();
    let n: usize = prompt
        .split("The correct result has ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let labels = vec!["exact"; n];
    serde_json::json!({
        "choices": [{"message": {"role": "assistant", "content": serde_json::json!({"labels": labels}).to_string()}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1},
    })
}

#[test]
fn the_row_judge_scores_beside_the_rules_and_reports_their_agreement() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    ok(&[
        "generate",
        "holobench",
        "--lengths",
        "1k",
        "--relevant-tokens",
        "400",
        "--databases",
        "wine",
        "--placement",
        "begin,end",
        "--out",
        s(&dir),
    ]);
    let samples = read_lines(&dir.join("samples.jsonl"));
    let with_rows = samples
        .iter()
        .filter(|s| !s["reference"]["value"].as_array().unwrap().is_empty())
        .count();
    let mut files = Vec::new();
    for b in ["oracle", "random"] {
        let f = tmp.path().join(format!("{b}.jsonl"));
        ok(&["run", "--dataset", s(&dir), "--baseline", b, "--out", s(&f)]);
        files.push(f);
    }
    let (url, seen) = scripted_server(all_exact);
    let store = tmp.path().join("store");
    let scores = tmp.path().join("scores.jsonl");
    let judge = format!("grader={url}");
    score(
        &dir,
        &scores,
        &[
            "--scorer",
            "row_judge",
            "--judge",
            &judge,
            "--store",
            s(&store),
        ],
        &files,
    );
    // Empty results are scored by rule, never sent; two models' identical answers are one
    // request (the store answers the second).
    assert!(
        (with_rows..=2 * with_rows).contains(&seen.chats()),
        "{} requests for {with_rows} samples with rows",
        seen.chats()
    );
    let rows = read_lines(&scores);
    let value = |model: &str, metric: &str| -> Vec<f64> {
        rows.iter()
            .filter(|r| r["model"] == model && r["metric"] == metric)
            .map(|r| r["value"].as_f64().unwrap())
            .collect()
    };
    assert_eq!(value("oracle", "judged").len(), samples.len());
    assert_eq!(value("random", "judged").len(), samples.len());
    assert!(value("oracle", "judge_score").iter().all(|&v| v == 1.0));
    assert!(value("oracle", "agreement").iter().all(|&v| v == 1.0));
    // The judge calls every random answer perfect; where the rules found a gold row missing,
    // they disagree, and the agreement says so.
    let random_f1 = value("random", "f1");
    let random_agreement = value("random", "agreement");
    assert_eq!(random_f1.len(), samples.len());
    assert!(random_f1.iter().any(|&f| f < 1.0), "{random_f1:?}");
    assert!(
        random_agreement.iter().any(|&a| a < 1.0),
        "{random_agreement:?}"
    );
    // A scorer that cannot read the references is refused before anything is asked.
    let err = fails(&[
        "score",
        "--dataset",
        s(&dir),
        "--predictions",
        s(&files[0]),
        "--scorer",
        "needles",
        "--out",
        s(&tmp.path().join("x.jsonl")),
    ]);
    assert!(
        err.contains("--scorer needles") && err.contains("`rows`"),
        "{err}"
    );
}

#[test]
fn repeats_are_refused_unless_allowed_and_then_recorded_and_counted_in_the_truth() {
    let tmp = tempfile::tempdir().unwrap();
    let db = shop(tmp.path());
    let q = queries(tmp.path(), &[COUNT_CHEAP]);
    let dir = tmp.path().join("d");
    let mut args = vec![
        "generate",
        "holobench",
        "--db",
        s(&db),
        "--queries",
        s(&q),
        "--lengths",
        "24k",
        "--density",
        "1",
        "--placement",
        "uniform",
        "--out",
        s(&dir),
    ];
    let err = fails(&args);
    assert!(
        err.contains("--density") && err.contains("--allow-repeat"),
        "{err}"
    );
    assert!(!dir.exists());
    args.push("--allow-repeat");
    ok(&args);
    let samples = read_lines(&dir.join("samples.jsonl"));
    let sample = &samples[0];
    let rows = sample["meta"]["rows"].as_array().unwrap();
    let repeats = rows.iter().filter(|r| r["repeat"] == 1).count();
    // 400 items fill 24k tokens only by placing each once and then some again.
    assert!(repeats > 0);
    assert_eq!(
        rows.len() - repeats,
        400,
        "every item placed once before any repeats"
    );
    assert_eq!(sample["meta"]["repeated_rows"], repeats);
    // The count runs over every placed row, repetitions included, as the context shows them.
    let cheap = rows
        .iter()
        .filter(|r| r["relevant"] == true && r["values"]["stock"].as_i64().unwrap() < 5)
        .count();
    assert_eq!(sample["reference"]["value"][0]["n"], cheap as u64);
}

#[test]
fn a_limit_that_cuts_between_tied_rows_is_drawn_again_and_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let db = shop(tmp.path());
    // Stock takes 17 values over 400 items: the third-highest is almost always shared.
    let q = queries(
        tmp.path(),
        &[
            "\"Which three items have the most stock?\",\"SELECT name, stock FROM items ORDER BY stock DESC LIMIT 3\",shop,easy,[],False,False,False,False,True",
            "\"Which three items have the most stock?\",\"SELECT name, stock FROM items ORDER BY stock DESC, name ASC LIMIT 3\",shop,easy,[],False,False,False,False,True",
        ],
    );
    let dir = tmp.path().join("d");
    ok(&[
        "generate",
        "holobench",
        "--db",
        s(&db),
        "--queries",
        s(&q),
        "--lengths",
        "2k",
        "--relevant-tokens",
        "1k",
        "--placement",
        "uniform",
        "--count",
        "3",
        "--out",
        s(&dir),
    ]);
    let mut redrawn = 0;
    for sample in read_lines(&dir.join("samples.jsonl")) {
        let meta = &sample["meta"];
        if meta["query"] == "q2" {
            // Without a tie-break: redrawn until the cut is clear, or the tie recorded.
            let draws = meta["draws"].as_u64().unwrap();
            redrawn += usize::from(draws > 1);
            assert!(meta["tied_at_cut"] == false || draws == 8, "{meta}");
        } else {
            assert_eq!(meta["tied_at_cut"], false, "the name breaks every tie");
            assert_eq!(meta["draws"], 1);
        }
    }
    assert!(
        redrawn > 0,
        "a tie at the cut is all but certain in some draw"
    );
}
