//! HoloBench (Megagon Labs; Maekawa et al., 2025): database tables written out as text, and
//! questions whose truth is the SQL query executed on exactly the rows placed in the context.
//!
//! One task, `queries`. A grid cell is (database, query, length, relevant amount, placement);
//! `--count` samples per cell, each with its own draw of rows. Per sample:
//! 1. Relevant rows are drawn, without repeating one, from the tables the query reads, until
//!    their tokens reach the relevant budget (`--relevant-tokens`, or `--density` times the
//!    length); `--near-miss` of them come from rows that narrowly fail the query's condition.
//!    For a join, each drawn row of the first table brings its partner row of the second, so
//!    the join has rows to join.
//! 2. Distractor rows fill the rest of the length: the database's other tables first, then the
//!    other embedded databases' tables.
//! 3. The rows are arranged by `--placement`, defined by where the relevant rows' token mass
//!    lies: `begin` and `end` put them in one block at that end, `middle` in one block centred
//!    on 50% of the context, `bimodal` in two blocks of half the relevant tokens each centred on
//!    25% and 75%, `uniform` interleaves them at random.
//! 4. Each row is written with one of its table's templates (drawn with the seed), one row per
//!    line; lengths are true token counts.
//! 5. The gold answer is the query executed by polars SQL on the relevant rows placed.
//!
//! Beyond the original: no row is repeated unless `--allow-repeat` asks for it (and then every
//! repetition is recorded and in the truth); densities are exact to the row instead of
//! overshooting; `middle` and `bimodal` put the mass where their names say; lengths are counted
//! with a real tokenizer; and `meta.rows` records every placed row, its values, whether it is
//! relevant or a near miss, and where its sentence sits.

pub mod db;
mod params;
mod placement;
pub mod schemas;
mod sql;
pub mod truth;
pub mod user;
pub mod verbalise;

pub use params::{Params, Placement, Relevant};

use std::collections::{HashMap, HashSet};

use longforge_datasets::{
    char_len, derive_seed, Evidence, Reference, Sample, SeededRng, TokenCounter, TokenLength,
    TokenizerSpec,
};
use serde_json::{json, Map, Value};

use db::{Database, Query};
use placement::Row;
use verbalise::{TemplateSource, Verbaliser};

use crate::{Family, GenerateError, Inputs, ParamInfo, ParamKind, SampleSource, TaskInfo};

pub struct HoloBench;

const FAMILY: &str = "holobench";

const TASKS: &[TaskInfo] = &[TaskInfo {
    name: params::TASK,
    summary: "SQL-style questions over database rows written as sentences",
    grid: "database x query x length x relevant x placement",
    scorer: "rows",
    metrics: &["mean"],
}];

const PARAMS: &[ParamInfo] = &[
    ParamInfo {
        name: "databases",
        kind: ParamKind::Texts,
        default: "wine,flights,college,soccer",
        help: "embedded databases to query",
    },
    ParamInfo {
        name: "relevant_tokens",
        kind: ParamKind::Texts,
        default: "2k",
        help: "tokens of relevant rows per context, a list (exclusive with --density)",
    },
    ParamInfo {
        name: "density",
        kind: ParamKind::Floats,
        default: "(off)",
        help: "relevant share of the context, a list in (0, 1], exact to the row",
    },
    ParamInfo {
        name: "placement",
        kind: ParamKind::Texts,
        default: "uniform,begin,end,middle,bimodal",
        help: "where the relevant rows sit: uniform, begin, end, middle, bimodal",
    },
    ParamInfo {
        name: "near_miss",
        kind: ParamKind::Float,
        default: "0.3",
        help: "share of relevant rows that narrowly fail the query's condition; 0 = the original",
    },
    ParamInfo {
        name: "allow_repeat",
        kind: ParamKind::Bool,
        default: "off",
        help:
            "repeat rows when a table cannot fill its budget (recorded, and counted in the truth)",
    },
    ParamInfo {
        name: "db",
        kind: ParamKind::File,
        default: "(the embedded databases)",
        help: "your database: a folder of CSV or Parquet tables, or the original's per-table files",
    },
    ParamInfo {
        name: "queries",
        kind: ParamKind::File,
        default: "(the default queries)",
        help:
            "your queries, CSV in the original's columns or JSON Lines; they replace the defaults",
    },
    ParamInfo {
        name: "templates",
        kind: ParamKind::File,
        default: "(the embedded templates)",
        help: "a folder of TABLE.txt files, one minijinja sentence template per line",
    },
];

impl Family for HoloBench {
    fn name(&self) -> &'static str {
        FAMILY
    }

    fn version(&self) -> &'static str {
        "0.1.0"
    }

    fn tasks(&self) -> &'static [TaskInfo] {
        TASKS
    }

    /// Questions over tables written out as sentences.
    fn task_categories(&self, _task: &str) -> &'static [&'static str] {
        &["table-question-answering"]
    }

    fn params(&self) -> &'static [ParamInfo] {
        PARAMS
    }

    fn example(&self, _task: &str) -> Value {
        json!({
            "task": params::TASK,
            "lengths": ["1k"],
            "databases": ["wine"],
            "relevant_tokens": ["400"],
            "placement": ["uniform", "bimodal"],
        })
    }

    fn resolve(&self, params: Value, inputs: &Inputs) -> Result<Value, GenerateError> {
        let user = inputs.file("db").map(user::load_database).transpose()?;
        let names: Vec<&str> = match &user {
            Some(u) => vec![u.database.name.as_str()],
            None => schemas::schemas().iter().map(|s| s.name).collect(),
        };
        let mut p = params::with_defaults(params, &names)?;
        let counter = load_tokenizer(&p.tokenizer, inputs)?;
        p.tokenizer = counter.name().to_string();
        if user.is_some() && inputs.file("queries").is_none() {
            return Err(GenerateError::param(
                "queries",
                "a database of your own needs its questions: pass --queries FILE",
            ));
        }
        // Loading checks every input now, before anything is written.
        let databases: Vec<&str> = p.databases.iter().map(String::as_str).collect();
        p.queries_skipped = match inputs.file("queries") {
            Some(path) => Some(user::load_queries(path, &databases)?.1),
            None => None,
        };
        Samples::new(p.clone(), counter, inputs)?;
        Ok(serde_json::to_value(&p).expect("params serialise"))
    }

    fn prepare<'a>(
        &'a self,
        params: &Value,
        inputs: &Inputs,
    ) -> Result<Box<dyn SampleSource + 'a>, GenerateError> {
        let p: Params = serde_json::from_value(params.clone()).map_err(|e| {
            GenerateError::param("(all)", format!("not resolved HoloBench parameters: {e}"))
        })?;
        let counter = load_tokenizer(&p.tokenizer, inputs)?;
        Ok(Box::new(Samples::new(p, counter, inputs)?))
    }
}

fn load_tokenizer(name: &str, inputs: &Inputs) -> Result<TokenCounter, GenerateError> {
    let spec = match &inputs.tokenizer {
        Some(spec) => spec.clone(),
        None => TokenizerSpec::parse(name),
    };
    Ok(TokenCounter::load(&spec)?)
}

/// A grid cell and the sample's index within it.
struct Cell {
    query: usize,
    length: u64,
    relevant: Relevant,
    placement: Placement,
    index: usize,
}

/// What a query needs beyond its text, worked out once per generation.
struct Prepared {
    query: Query,
    /// Rows of the near-miss table that narrowly fail the condition.
    near_miss: HashSet<(usize, usize)>,
    /// The same rows in a fixed order: a draw must not start from a hash set's order.
    near_miss_sorted: Vec<(usize, usize)>,
    /// For a join: the first table, its key column, the second table and its key column.
    join: Option<(usize, usize, usize, usize)>,
    /// For a join: the second table's rows by key value (JSON text), to find a row's partner.
    partners: HashMap<String, Vec<usize>>,
    /// Indices (in `Samples::tables`) of the tables it reads.
    tables: Vec<usize>,
    /// Distractor rows: of the database's other tables, and of the other databases' tables.
    own_distractors: Vec<(usize, usize)>,
    other_distractors: Vec<(usize, usize)>,
}

/// One table of the generation, with the database it belongs to and, for tables in the
/// original release's format, the sentences its rows came with.
struct Source {
    database: usize,
    table: db::Table,
    given: Option<Vec<String>>,
}

struct Samples {
    p: Params,
    counter: TokenCounter,
    /// Every table of every database in play, flattened.
    tables: Vec<Source>,
    verbaliser: Verbaliser,
    queries: Vec<Prepared>,
    cells: Vec<Cell>,
}

impl Samples {
    fn new(p: Params, counter: TokenCounter, inputs: &Inputs) -> Result<Self, GenerateError> {
        let mut tables: Vec<Source> = Vec::new();
        let mut database_names = Vec::new();
        let mut sources = Vec::new();
        let mut defaults = Vec::new();
        match inputs.file("db") {
            Some(dir) => {
                let user = user::load_database(dir)?;
                database_names.push(user.database.name.clone());
                for table in user.database.tables {
                    let given = user.sentences.get(&table.name).cloned();
                    tables.push(Source {
                        database: 0,
                        table,
                        given,
                    });
                }
            }
            None => {
                let (databases, templates) = embedded(p.seed);
                sources = templates;
                for (d, (schema, database)) in schemas::schemas().iter().zip(databases).enumerate()
                {
                    database_names.push(database.name);
                    tables.extend(database.tables.into_iter().map(|table| Source {
                        database: d,
                        table,
                        given: None,
                    }));
                    if p.databases.iter().any(|n| n == schema.name) {
                        defaults.extend((schema.queries)());
                    }
                }
            }
        }
        if let Some(dir) = inputs.file("templates") {
            let theirs = user::load_templates(dir)?;
            // A file named after no table is a typo, not a template to ignore.
            if let Some(stray) = theirs
                .iter()
                .find(|t| !tables.iter().any(|s| s.table.name == t.table))
            {
                let mut names: Vec<&str> = tables.iter().map(|s| s.table.name.as_str()).collect();
                names.sort_unstable();
                return Err(GenerateError::param(
                    "templates",
                    format!(
                        "{}: no table is named `{}`; the tables are {}",
                        stray.origin,
                        stray.table,
                        names.join(", ")
                    ),
                ));
            }
            sources.retain(|s| !theirs.iter().any(|t| t.table == s.table));
            sources.extend(theirs);
        }
        for t in &tables {
            if t.given.is_none() && !sources.iter().any(|s| s.table == t.table.name) {
                sources.push(user::plain_template(&t.table));
            }
        }
        let all: Vec<&db::Table> = tables.iter().map(|t| &t.table).collect();
        let verbaliser = Verbaliser::new(&sources, &all)?;
        let queries: Vec<(Query, Option<String>)> = match inputs.file("queries") {
            Some(path) => {
                let databases: Vec<&str> = p.databases.iter().map(String::as_str).collect();
                user::load_queries(path, &databases)?
                    .0
                    .into_iter()
                    .map(|q| (q.query, Some(q.origin)))
                    .collect()
            }
            None => defaults.into_iter().map(|q| (q, None)).collect(),
        };
        if queries.is_empty() {
            return Err(GenerateError::param(
                "queries",
                format!(
                    "no query reads the databases in use ({})",
                    p.databases.join(", ")
                ),
            ));
        }
        let mut ids = HashSet::new();
        for (q, origin) in &queries {
            if !ids.insert((q.db.clone(), q.id.clone())) {
                return Err(GenerateError::param(
                    "queries",
                    format!(
                        "{}query id `{}` is used twice",
                        origin
                            .as_deref()
                            .map(|o| format!("{o}: "))
                            .unwrap_or_default(),
                        q.id
                    ),
                ));
            }
        }
        let queries = queries
            .into_iter()
            .map(|(q, origin)| prepare_query(q, origin.as_deref(), &tables, &database_names))
            .collect::<Result<Vec<_>, _>>()?;
        let mut cells = Vec::new();
        for (qi, _) in queries.iter().enumerate() {
            for length in &p.lengths {
                for relevant in p.relevant() {
                    for &placement in &p.placement {
                        for index in 0..p.count {
                            cells.push(Cell {
                                query: qi,
                                length: length.tokens().unwrap_or(0),
                                relevant,
                                placement,
                                index,
                            });
                        }
                    }
                }
            }
        }
        Ok(Samples {
            p,
            counter,
            tables,
            verbaliser,
            queries,
            cells,
        })
    }
}

fn embedded_templates(schema: &schemas::Schema) -> Vec<TemplateSource> {
    let mut sources = Vec::new();
    for (table, texts) in schema.templates {
        for (i, text) in texts.iter().enumerate() {
            sources.push(TemplateSource {
                table: table.to_string(),
                origin: format!("embedded {}/{table}#{i}", schema.name),
                text: text.to_string(),
            });
        }
    }
    sources
}

fn table_index(tables: &[Source], names: &[String], database: &str, table: &str) -> Option<usize> {
    tables
        .iter()
        .position(|t| names[t.database] == database && t.table.name == table)
}

fn prepare_query(
    mut query: Query,
    origin: Option<&str>,
    tables: &[Source],
    names: &[String],
) -> Result<Prepared, GenerateError> {
    query.sql = truth::nulls_last(&query.sql);
    let bad = |message: String| {
        GenerateError::param(
            "queries",
            format!(
                "{}query `{}` ({}): {message}",
                origin.map(|o| format!("{o}: ")).unwrap_or_default(),
                query.id,
                query.sql
            ),
        )
    };
    let indices = query
        .tables
        .iter()
        .map(|t| {
            table_index(tables, names, &query.db, t)
                .ok_or_else(|| bad(format!("database `{}` has no table `{t}`", query.db)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut near_miss = HashSet::new();
    if let Some(nm) = &query.near_miss {
        if !query.tables.contains(&nm.table) {
            return Err(bad(format!(
                "its near misses are rows of `{}`, a table the query does not read",
                nm.table
            )));
        }
        let t = table_index(tables, names, &query.db, &nm.table)
            .ok_or_else(|| bad(format!("no near-miss table `{}`", nm.table)))?;
        let rows = truth::matching_rows(&tables[t].table, &nm.condition)
            .map_err(|e| bad(format!("near-miss condition `{}`: {e}", nm.condition)))?;
        near_miss.extend(rows.into_iter().map(|r| (t, r)));
    }
    // The query must run on its tables, so a broken query fails before any sample is made.
    let whole: Vec<(&db::Table, Vec<usize>)> = indices
        .iter()
        .map(|&i| (&tables[i].table, (0..tables[i].table.rows.len()).collect()))
        .collect();
    truth::execute(&query.sql, &whole).map_err(|e| bad(format!("polars cannot run it: {e}")))?;
    let join = join_keys(&query.sql).and_then(|(lt, lc, rt, rc)| {
        let l = table_index(tables, names, &query.db, &lt)?;
        let r = table_index(tables, names, &query.db, &rt)?;
        Some((
            l,
            tables[l].table.column(&lc)?,
            r,
            tables[r].table.column(&rc)?,
        ))
    });
    let mut partners: HashMap<String, Vec<usize>> = HashMap::new();
    if let Some((_, _, r, rc)) = join {
        for (i, row) in tables[r].table.rows.iter().enumerate() {
            partners.entry(row[rc].to_string()).or_default().push(i);
        }
    }
    let db_of = tables[indices[0]].database;
    let (mut own_distractors, mut other_distractors) = (Vec::new(), Vec::new());
    for (t, source) in tables.iter().enumerate() {
        if indices.contains(&t) {
            continue;
        }
        let keys = (0..source.table.rows.len()).map(|r| (t, r));
        if source.database == db_of {
            own_distractors.extend(keys);
        } else {
            other_distractors.extend(keys);
        }
    }
    let mut near_miss_sorted: Vec<(usize, usize)> = near_miss.iter().copied().collect();
    near_miss_sorted.sort_unstable();
    Ok(Prepared {
        query,
        near_miss,
        near_miss_sorted,
        join,
        partners,
        tables: indices,
        own_distractors,
        other_distractors,
    })
}

/// The tables and columns of `FROM a [AS] x JOIN b [AS] y ON x.c = y.d`, resolved to table
/// names and ordered (first table's column, second table's column).
fn join_keys(sql: &str) -> Option<(String, String, String, String)> {
    let re = regex::Regex::new(
        r"(?i)\bFROM\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?\s+(?:INNER\s+)?JOIN\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?\s+ON\s+(\w+)\.(\w+)\s*=\s*(\w+)\.(\w+)",
    )
    .expect("the pattern compiles");
    let c = re.captures(sql)?;
    let get = |i: usize| c.get(i).map(|m| m.as_str().to_string());
    let (first, second) = (get(1)?, get(3)?);
    let first_alias = get(2).unwrap_or_else(|| first.clone());
    let second_alias = get(4).unwrap_or_else(|| second.clone());
    let table_of = |alias: &str| {
        if alias.eq_ignore_ascii_case(&first_alias) || alias.eq_ignore_ascii_case(&first) {
            Some(first.clone())
        } else if alias.eq_ignore_ascii_case(&second_alias) || alias.eq_ignore_ascii_case(&second) {
            Some(second.clone())
        } else {
            None
        }
    };
    let (a, ac, b, bc) = (get(5)?, get(6)?, get(7)?, get(8)?);
    let (ta, tb) = (table_of(&a)?, table_of(&b)?);
    if ta == first && tb == second {
        Some((ta, ac, tb, bc))
    } else if ta == second && tb == first {
        Some((tb, bc, ta, ac))
    } else {
        None
    }
}

impl SampleSource for Samples {
    fn len(&self) -> usize {
        self.cells.len()
    }

    fn sample(&self, index: usize) -> Result<Sample, GenerateError> {
        let cell = self
            .cells
            .get(index)
            .ok_or_else(|| GenerateError::param("(all)", format!("no sample {index}")))?;
        self.make(cell)
    }

    fn seed(&self) -> u64 {
        self.p.seed
    }

    fn tokenizer(&self) -> String {
        self.counter.name().to_string()
    }
}

/// Rows drawn in a random order from a set, started again from a fresh order once used up when
/// repeats are allowed.
struct Draw {
    rows: Vec<(usize, usize)>,
    next: usize,
    /// Times the whole set has been used up.
    rounds: usize,
}

impl Draw {
    fn new(mut rows: Vec<(usize, usize)>, rng: &mut SeededRng) -> Self {
        rng.shuffle(&mut rows);
        Draw {
            rows,
            next: 0,
            rounds: 0,
        }
    }

    fn take(&mut self, repeat: bool, rng: &mut SeededRng) -> Option<(usize, usize)> {
        if self.next == self.rows.len() {
            if !repeat || self.rows.is_empty() {
                return None;
            }
            rng.shuffle(&mut self.rows);
            self.next = 0;
            self.rounds += 1;
        }
        self.next += 1;
        Some(self.rows[self.next - 1])
    }
}

impl Samples {
    fn sentence(&self, key: (usize, usize), rng: &mut SeededRng) -> Result<Row, GenerateError> {
        let source = &self.tables[key.0];
        let (template, text) = match &source.given {
            Some(given) => (None, given[key.1].clone()),
            None => {
                let choice = rng.below(self.verbaliser.templates(&source.table.name));
                (
                    Some(choice),
                    self.verbaliser.render(&source.table, key.1, choice)?,
                )
            }
        };
        let line = format!("{text}\n");
        let tokens = self.counter.count(&line)?;
        Ok(Row {
            key,
            template,
            text,
            tokens,
            relevant: false,
            near_miss: false,
            repeat: 0,
        })
    }

    /// The sample of `cell`. A draw of rows whose answer is empty, or whose ORDER BY ... LIMIT
    /// cut falls between tied rows, is drawn again, up to [`DRAWS`] times, so that "no answer" is right only where the query rarely has one (a
    /// benchmark where a fifth of the answers are empty rewards saying nothing); `meta.draws`
    /// records how many draws it took.
    fn make(&self, cell: &Cell) -> Result<Sample, GenerateError> {
        let mut attempt = 0;
        loop {
            let sample = self.draw(cell, attempt)?;
            let empty = sample.reference.value.as_array().is_some_and(Vec::is_empty);
            let tied = sample.meta["tied_at_cut"] == Value::Bool(true);
            attempt += 1;
            if !(empty || tied) || attempt == DRAWS {
                return Ok(sample);
            }
        }
    }

    fn draw(&self, cell: &Cell, attempt: usize) -> Result<Sample, GenerateError> {
        let prepared = &self.queries[cell.query];
        let q = &prepared.query;
        let id = format!(
            "{FAMILY}/{}/{}/{}/{}/{}/{}/{}",
            params::TASK,
            q.db,
            q.id,
            TokenLength::Tokens(cell.length),
            cell.relevant.label(),
            cell.placement.name(),
            cell.index
        );
        let seed = derive_seed(self.p.seed, &id);
        let mut rng = SeededRng::new(match attempt {
            0 => seed,
            n => derive_seed(seed, &format!("draw/{n}")),
        });
        let repeat = self.p.allow_repeat;
        let budget = cell.relevant.budget(cell.length) as usize;
        let target = cell.length as usize;

        // 1. Relevant rows.
        let mut placed: HashSet<(usize, usize)> = HashSet::new();
        let mut relevant: Vec<Row> = Vec::new();
        let mut used = 0usize;
        let use_near_miss = self.p.near_miss > 0.0 && !prepared.near_miss.is_empty();
        let mut general = Draw::new(
            prepared
                .tables
                .iter()
                .filter(|&&t| prepared.join.is_none_or(|(first, ..)| first == t))
                .flat_map(|&t| (0..self.tables[t].table.rows.len()).map(move |r| (t, r)))
                .filter(|k| !use_near_miss || !prepared.near_miss.contains(k))
                .collect(),
            &mut rng,
        );
        let mut near = Draw::new(prepared.near_miss_sorted.clone(), &mut rng);
        let mut misfits = 0;
        while used < budget && misfits < 8 {
            // The share is kept to the row, not left to chance: a near miss whenever the
            // near misses so far fall short of the share of the rows drawn so far plus this one.
            let near_so_far = relevant.iter().filter(|r| r.near_miss).count();
            let from_near = use_near_miss
                && (near_so_far as f64) < self.p.near_miss * (relevant.len() + 1) as f64 - 0.5;
            let drawn = if from_near {
                near.take(repeat, &mut rng)
                    .or_else(|| general.take(repeat, &mut rng))
            } else {
                general
                    .take(repeat, &mut rng)
                    .or_else(|| near.take(repeat, &mut rng))
            };
            let Some(key) = drawn else { break };
            let mut group = vec![self.sentence(key, &mut rng)?];
            group[0].near_miss = prepared.near_miss.contains(&key) && use_near_miss;
            if let Some((_, lc, r, _)) = prepared.join {
                let fk = self.tables[key.0].table.rows[key.1][lc].to_string();
                if let Some(rows) = prepared.partners.get(&fk) {
                    if let Some(&partner) = rows.iter().find(|&&p| !placed.contains(&(r, p))) {
                        group.push(self.sentence((r, partner), &mut rng)?);
                    }
                }
            }
            let cost: usize = group.iter().map(|r| r.tokens).sum();
            if used + cost > budget {
                misfits += 1;
                continue;
            }
            for mut row in group {
                row.relevant = true;
                row.repeat = usize::from(!placed.insert(row.key));
                used += row.tokens;
                relevant.push(row);
            }
        }
        // Exhausted before the budget: fine within one row (the budget is met to the row),
        // refused beyond.
        let longest = relevant.iter().map(|r| r.tokens).max().unwrap_or(0);
        if misfits < 8 && budget.saturating_sub(used) > longest {
            return Err(self.too_small(q, "relevant", budget, used, cell.length));
        }

        // 2. Distractors: the database's other tables, then the other databases'.
        let mut own = Draw::new(prepared.own_distractors.clone(), &mut rng);
        let mut others = Draw::new(prepared.other_distractors.clone(), &mut rng);
        let mut distractors: Vec<Row> = Vec::new();
        let mut filled = used;
        let mut misfits = 0;
        while filled < target && misfits < 8 {
            let Some(key) = own
                .take(false, &mut rng)
                .or_else(|| others.take(false, &mut rng))
                .or_else(|| own.take(repeat, &mut rng))
                .or_else(|| others.take(repeat, &mut rng))
            else {
                return Err(self.too_small(
                    q,
                    "distractor",
                    target - used,
                    filled - used,
                    cell.length,
                ));
            };
            let mut row = self.sentence(key, &mut rng)?;
            if filled + row.tokens > target {
                misfits += 1;
                continue;
            }
            row.repeat = usize::from(!placed.insert(key));
            filled += row.tokens;
            distractors.push(row);
        }

        // 3. Arrangement, then the text.
        let rows = placement::arrange(relevant, distractors, cell.placement, &mut rng);
        let mut context = String::new();
        let mut chars = 0usize;
        let mut meta_rows = Vec::with_capacity(rows.len());
        let mut evidence = Vec::new();
        let mut offsets = Vec::with_capacity(rows.len());
        let mut token_at = 0usize;
        for row in &rows {
            let len = char_len(&row.text);
            let table = &self.tables[row.key.0].table;
            offsets.push(token_at);
            token_at += row.tokens;
            meta_rows.push(json!({
                "table": table.name,
                "values": Value::Object(table.row_object(row.key.1)),
                "relevant": row.relevant,
                "near_miss": row.near_miss,
                "repeat": row.repeat,
                "template": row.template,
                "text": row.text,
                "char_start": chars,
                "char_end": chars + len,
            }));
            if row.relevant {
                evidence.push(Evidence {
                    text: row.text.clone(),
                    char_start: chars,
                    char_end: chars + len,
                });
            }
            context.push_str(&row.text);
            context.push('\n');
            chars += len + 1;
        }
        let context_tokens = self.counter.count(&context)?;

        // 4. The truth, on the relevant rows placed, in context order.
        let placed_rows = |upto: usize| -> Vec<(&db::Table, Vec<usize>)> {
            prepared
                .tables
                .iter()
                .map(|&t| {
                    let picked = rows[..upto]
                        .iter()
                        .filter(|r| r.relevant && r.key.0 == t)
                        .map(|r| r.key.1)
                        .collect();
                    (&self.tables[t].table, picked)
                })
                .collect()
        };
        let gold = truth::execute(&q.sql, &placed_rows(rows.len())).map_err(|e| {
            GenerateError::param("queries", format!("query `{}` ({}): {e}", q.id, q.sql))
        })?;
        // Rows tied on every sort key across a LIMIT cut leave the answer to the engine's
        // choice: such a draw is drawn again, like an empty one.
        let tied_at_cut = truth::tied_at_cut(&q.sql, &placed_rows(rows.len())).map_err(|e| {
            GenerateError::param("queries", format!("query `{}` ({}): {e}", q.id, q.sql))
        })?;
        // A reader who stops halfway: the query over the relevant rows of the first half.
        let half = offsets.iter().take_while(|&&o| o * 2 < token_at).count();
        let shortcut = truth::execute(&q.sql, &placed_rows(half)).map_err(|e| {
            GenerateError::param("queries", format!("query `{}` ({}): {e}", q.id, q.sql))
        })?;
        // Answers of the right shape that the context does not support: the query over as many
        // rows of each queried table that were not placed, for the random baseline to draw from.
        let decoy_rows: Vec<(&db::Table, Vec<usize>)> = prepared
            .tables
            .iter()
            .map(|&t| {
                let table = &self.tables[t].table;
                let want = rows.iter().filter(|r| r.relevant && r.key.0 == t).count();
                let mut unplaced: Vec<usize> = (0..table.rows.len())
                    .filter(|&r| !placed.contains(&(t, r)))
                    .collect();
                rng.shuffle(&mut unplaced);
                unplaced.truncate(want.max(1));
                unplaced.sort_unstable();
                (table, unplaced)
            })
            .collect();
        let decoy = truth::execute(&q.sql, &decoy_rows).map_err(|e| {
            GenerateError::param("queries", format!("query `{}` ({}): {e}", q.id, q.sql))
        })?;

        let measured = placement::measure(&rows, &offsets, token_at);
        let relevant_tokens: usize = rows.iter().filter(|r| r.relevant).map(|r| r.tokens).sum();
        let prompt = prompt(&context, &q.question, &gold.columns);
        let gold_rows: Vec<Value> = gold.rows.iter().cloned().map(Value::Object).collect();
        let as_text = |r: &Map<String, Value>| serde_json::to_string(r).unwrap_or_default();
        let mut candidates: Vec<String> = gold.rows.iter().map(as_text).collect();
        for r in shortcut.rows.iter().chain(&decoy.rows).map(as_text) {
            if !candidates.contains(&r) {
                candidates.push(r);
            }
        }
        // The empty answer is a candidate too (written as the words, which no row parses as).
        candidates.push(NO_ANSWER.into());
        let mut shortcut_rows: Vec<String> = shortcut.rows.iter().map(as_text).collect();
        if shortcut_rows.is_empty() {
            shortcut_rows.push(NO_ANSWER.into());
        }
        let mut axes = Map::new();
        axes.insert(
            "length".into(),
            json!(TokenLength::Tokens(cell.length).to_string()),
        );
        axes.insert("relevant".into(), json!(cell.relevant.label()));
        axes.insert("placement".into(), json!(cell.placement.name()));
        axes.insert("kind".into(), json!(q.kind));

        let mut meta = Map::new();
        meta.insert("target_tokens".into(), json!(cell.length));
        meta.insert("context_tokens".into(), json!(context_tokens));
        meta.insert("tokenizer".into(), json!(self.counter.name()));
        meta.insert("seed".into(), json!(seed));
        meta.insert("draws".into(), json!(attempt + 1));
        meta.insert("tied_at_cut".into(), json!(tied_at_cut));
        meta.insert("evidence".into(), json!(evidence));
        meta.insert("database".into(), json!(q.db));
        meta.insert("query".into(), json!(q.id));
        meta.insert("query_kind".into(), json!(q.kind));
        meta.insert("difficulty".into(), json!(q.difficulty));
        meta.insert("flags".into(), json!(q.flags));
        meta.insert("sql".into(), json!(q.sql));
        meta.insert("columns".into(), json!(gold.columns));
        meta.insert("ordered".into(), json!(truth::ordered(&q.sql)));
        meta.insert("relevant_tokens".into(), json!(relevant_tokens));
        meta.insert(
            "density".into(),
            json!(round4(
                relevant_tokens as f64 / context_tokens.max(1) as f64
            )),
        );
        meta.insert("placement".into(), measured);
        meta.insert(
            "near_miss_rows".into(),
            json!(rows.iter().filter(|r| r.near_miss).count()),
        );
        meta.insert(
            "repeated_rows".into(),
            json!(rows.iter().filter(|r| r.repeat > 0).count()),
        );
        meta.insert("rows".into(), Value::Array(meta_rows));
        meta.insert("axes".into(), Value::Object(axes));
        meta.insert(
            "baseline".into(),
            json!({"candidates": candidates, "picks": gold.rows.len().max(1), "shortcut": shortcut_rows}),
        );
        Ok(Sample {
            id,
            family: FAMILY.into(),
            task: params::TASK.into(),
            lang: "en".into(),
            context: Some(context),
            context_id: None,
            question: q.question.clone(),
            prompt,
            reference: Reference {
                kind: "rows".into(),
                value: Value::Array(gold_rows),
            },
            meta,
        })
    }

    fn too_small(
        &self,
        q: &Query,
        what: &str,
        asked: usize,
        got: usize,
        length: u64,
    ) -> GenerateError {
        let (flag, source, remedy) = if what == "relevant" {
            (
                if self.p.density.is_some() { "density" } else { "relevant_tokens" },
                format!("the rows of {}", q.tables.join(" and ")),
                "ask for fewer relevant tokens, or pass --allow-repeat (every repetition is recorded and counted in the truth)",
            )
        } else {
            (
                "lengths",
                "the rows of the tables it does not read".to_string(),
                if self.p.allow_repeat {
                    "ask for a shorter length or more relevant tokens, or give the database more tables"
                } else {
                    "ask for a shorter length, or pass --allow-repeat (distractor rows are then repeated)"
                },
            )
        };
        GenerateError::param(
            flag,
            format!(
                "query `{}` of database `{}` at {}: {source} give {got} of the {asked} {what} tokens asked without repeating a row; {remedy}",
                q.id,
                q.db,
                TokenLength::Tokens(length)
            ),
        )
    }
}

/// Draws of rows per sample before an empty answer is kept.
const DRAWS: usize = 8;

/// What a reply says when no row satisfies the question.
const NO_ANSWER: &str = "no answer";

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The prompt: the rows, the question, and the answer format the `rows` scorer reads.
fn prompt(context: &str, question: &str, columns: &[String]) -> String {
    let keys = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "Below are records from a database, one per line, each written as a sentence. Records of several tables are mixed together.\n\n<records>\n{context}</records>\n\nQuestion: {question}\n\nAnswer from the records above only; you may reason first. End your reply with the answer as a JSON array of rows in a ```json block, each row an object with exactly these keys: {keys}. Write numbers as numbers, dates as YYYY-MM-DD, a value the records give as unknown as null, and a single value as a one-row array, for example ```json\n[{{{first}: ...}}]\n```. If no record satisfies the question, end with the words \"no answer\" instead (but a count of no records is 0).",
        first = columns.first().map_or("\"value\"".to_string(), |c| format!("\"{c}\""))
    )
}

/// The embedded databases of dataset seed `seed` and their templates, as a generation builds
/// them: for tests and tools that read placed rows back.
pub fn embedded(seed: u64) -> (Vec<Database>, Vec<TemplateSource>) {
    let mut dbs = Vec::new();
    let mut sources = Vec::new();
    for schema in schemas::schemas() {
        dbs.push((schema.build)(derive_seed(
            seed,
            &format!("database/{}", schema.name),
        )));
        sources.extend(embedded_templates(schema));
    }
    (dbs, sources)
}
