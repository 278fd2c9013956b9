//! `wine`: American wines, the wineries that make them, the appellations they come from, and
//! the grapes (after Spider's `wine_1`, with invented producers and places).
//!
//! - `wines` (2,600): name, winery, grape, appellation, vintage, price (some null), score,
//!   cases (some null). `winery` names a row of `wineries`, `appellation` one of
//!   `appellations` in the winery's state, `grape` one of `grapes`.
//! - `wineries` (1,700): name, state, county, founded, acres, owner (some null).
//! - `appellations` (about 120): name, county, state, acres, approved (null when the area is
//!   not a recognised AVA).
//! - `grapes` (16): name, color, origin, planted_acres; too small to query alone, it is there
//!   as distractor rows that mention the same grape names.
//!
//! Prices are log-normal around $30, rising with score and grape; vintages lean recent; a few
//! big wineries make many wines.

use longforge_datasets::{derive_seed, SeededRng};
use serde_json::Value;

use super::words::{
    cents, exp, int, log_normal, normal, or_null, person, place, skewed_index, text, unique,
    weighted, whole,
};
use super::{Schema, Spec};
use crate::holobench::db::{Column, ColumnKind, Database, Query, QueryKind, Table};

pub const SCHEMA: Schema = Schema {
    name: "wine",
    build,
    templates: TEMPLATES,
    queries,
};

/// States, their weight among wineries, and how many counties each has.
const STATES: &[(&str, u32, usize)] = &[
    ("California", 58, 12),
    ("Washington", 13, 5),
    ("Oregon", 12, 5),
    ("New York", 8, 4),
    ("Virginia", 4, 3),
    ("Texas", 3, 2),
    ("Michigan", 2, 2),
];

/// Name, color, origin, share of wines (percent), price factor.
const GRAPES: &[(&str, &str, &str, u32, f64)] = &[
    ("Cabernet Sauvignon", "red", "France", 14, 1.5),
    ("Chardonnay", "white", "France", 13, 0.95),
    ("Pinot Noir", "red", "France", 12, 1.35),
    ("Merlot", "red", "France", 8, 0.9),
    ("Zinfandel", "red", "Croatia", 8, 0.85),
    ("Syrah", "red", "France", 7, 1.0),
    ("Sauvignon Blanc", "white", "France", 7, 0.65),
    ("Riesling", "white", "Germany", 5, 0.6),
    ("Petite Sirah", "red", "France", 5, 0.9),
    ("Cabernet Franc", "red", "France", 4, 1.1),
    ("Grenache", "red", "Spain", 4, 0.9),
    ("Viognier", "white", "France", 3, 0.8),
    ("Malbec", "red", "France", 3, 0.9),
    ("Sangiovese", "red", "Italy", 3, 0.85),
    ("Tempranillo", "red", "Spain", 2, 0.85),
    ("Pinot Gris", "white", "France", 2, 0.6),
];

const AREA_KINDS: &[&str] = &[
    "Valley",
    "Hills",
    "Highlands",
    "Coast",
    "Bench",
    "Mountain",
    "Ridge",
    "Foothills",
    "Mesa",
    "Slopes",
    "Lakes",
    "Heights",
];

const WINERY_KINDS: &[&str] = &[
    "Cellars",
    "Vineyards",
    "Estate",
    "Winery",
    "Family Wines",
    "Wine Company",
    "Vintners",
    "Wine Cellars",
];

const WINERY_ADJECTIVES: &[&str] = &[
    "Silver", "Black", "Red", "Golden", "Twin", "Three", "Lone", "Old", "Hidden", "Wild", "Blue",
    "White", "Iron", "Copper", "Quiet", "Tall",
];
const WINERY_NOUNS: &[&str] = &[
    "Oak", "Creek", "Hawk", "Ridge", "Stone", "Fox", "Rock", "Pine", "Sparrow", "Willow", "Raven",
    "Bear", "Elk", "Heron", "Spring", "Mill",
];

const WINE_FIRST: &[&str] = &[
    "Silver",
    "Crimson",
    "Golden",
    "Hidden",
    "Quiet",
    "Wild",
    "Lone",
    "Twin",
    "Morning",
    "Evening",
    "Northern",
    "Southern",
    "High",
    "Upper",
    "Lower",
    "Old",
    "Little",
    "Grand",
    "Sunlit",
    "Misty",
    "Stony",
    "Windy",
    "Copper",
    "Iron",
    "Velvet",
    "Amber",
    "Scarlet",
    "Ivory",
    "Black",
    "Blue",
    "Rolling",
    "Sleeping",
    "Dancing",
    "Whispering",
    "Falling",
    "Rising",
    "Sacred",
    "Secret",
    "Ancient",
    "Lucky",
    "Royal",
    "Broken",
    "Painted",
    "Wandering",
    "Starry",
    "Foggy",
    "Dusty",
    "Hollow",
    "Distant",
    "Gentle",
];
const WINE_SECOND: &[&str] = &[
    "Ridge", "Creek", "Bench", "Terrace", "Meadow", "Slope", "Canyon", "Summit", "Grove", "Vale",
    "Field", "Knoll", "Bluff", "Crest", "Harbor", "Mesa", "Orchard", "Garden", "Trail", "Gate",
    "Barn", "Fence", "Rows", "Legacy", "Promise", "Horizon", "Moon", "Sun", "Star", "Fox", "Hawk",
    "Owl", "Heron", "Raven", "Sparrow", "Oak", "Willow", "Cedar", "Pine", "Stone", "Rock", "River",
    "Lake", "Hill", "Road", "Bridge", "Well", "Spring", "Tower", "Chapel",
];
const WINE_THIRD: &[&str] = &[
    "Reserve",
    "Cuvee",
    "Estate",
    "Select",
    "Vineyard",
    "Block",
    "Lot",
    "Proprietary",
];

/// Builds the four tables; each has its own seed stream, so changing one table's generator
/// leaves the others' rows as they were.
pub fn build(seed: u64) -> Database {
    let mut rng = SeededRng::new(derive_seed(seed, "wine/places"));
    // Counties: distinct names across the database, grouped by state.
    let county_names = unique(&mut rng, STATES.iter().map(|s| s.2).sum(), place);
    let mut counties: Vec<(&str, String)> = Vec::new();
    let mut k = 0;
    for &(state, _, n) in STATES {
        for _ in 0..n {
            counties.push((state, county_names[k].clone()));
            k += 1;
        }
    }

    let appellations = build_appellations(seed, &counties);
    let grapes = build_grapes(seed);
    let wineries = build_wineries(seed, &counties);
    let wines = build_wines(seed, &wineries, &appellations);
    Database {
        name: "wine".into(),
        tables: vec![wines, wineries, appellations, grapes],
    }
}

fn build_appellations(seed: u64, counties: &[(&str, String)]) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "wine/appellations"));
    let mut taken = std::collections::HashSet::new();
    let mut rows = Vec::new();
    for (state, county) in counties {
        let n = rng.range(2, 5);
        let mut made = 0;
        while made < n {
            let head = if made == 0 && rng.chance(0.6) {
                county.clone()
            } else {
                place(&mut rng)
            };
            let name = format!("{head} {}", rng.draw(AREA_KINDS));
            if !taken.insert(name.clone()) {
                continue;
            }
            made += 1;
            let acres = whole(log_normal(&mut rng, 18_000.0, 1.0), 400, 2_000_000);
            let acres = if acres > 10_000 {
                acres / 100 * 100
            } else {
                acres
            };
            let approved = int(rng.range(1981, 2023) as i64);
            let approved = or_null(&mut rng, 0.08, approved);
            rows.push(vec![
                text(&name),
                text(county),
                text(state),
                int(acres),
                approved,
            ]);
        }
    }
    Table {
        name: "appellations".into(),
        columns: vec![
            Column::new("name", ColumnKind::Text),
            Column::new("county", ColumnKind::Text),
            Column::new("state", ColumnKind::Text),
            Column::new("acres", ColumnKind::Int),
            Column::new("approved", ColumnKind::Int),
        ],
        rows,
    }
}

fn build_grapes(seed: u64) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "wine/grapes"));
    let rows = GRAPES
        .iter()
        .map(|&(name, color, origin, share, _)| {
            let planted = whole(
                f64::from(share) * 6_000.0 * log_normal(&mut rng, 1.0, 0.2),
                100,
                10_000_000,
            );
            vec![
                text(name),
                text(color),
                text(origin),
                int(planted / 10 * 10),
            ]
        })
        .collect();
    Table {
        name: "grapes".into(),
        columns: vec![
            Column::new("name", ColumnKind::Text),
            Column::new("color", ColumnKind::Text),
            Column::new("origin", ColumnKind::Text),
            Column::new("planted_acres", ColumnKind::Int),
        ],
        rows,
    }
}

const WINERIES: usize = 1_700;

fn build_wineries(seed: u64, counties: &[(&str, String)]) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "wine/wineries"));
    let names = unique(&mut rng, WINERIES, |rng| {
        let kind = rng.draw(WINERY_KINDS);
        match rng.below(20) {
            0..=8 => format!("{} {kind}", rng.draw(super::words::SURNAMES)),
            9..=15 => format!("{} {kind}", place(rng)),
            _ => format!(
                "{} {} {kind}",
                rng.draw(WINERY_ADJECTIVES),
                rng.draw(WINERY_NOUNS)
            ),
        }
    });
    let state_weights: Vec<(&str, u32)> = STATES.iter().map(|&(s, w, _)| (s, w)).collect();
    let rows = names
        .iter()
        .map(|name| {
            let state = weighted(&mut rng, &state_weights);
            let in_state: Vec<&String> = counties
                .iter()
                .filter(|(s, _)| *s == state)
                .map(|(_, c)| c)
                .collect();
            let county = in_state[skewed_index(&mut rng, in_state.len())];
            let founded = match rng.below(100) {
                0..=3 => rng.range(1850, 1899),
                4..=11 => rng.range(1900, 1969),
                _ => whole(2000.0 + 9.0 * normal(&mut rng), 1970, 2021) as usize,
            };
            let acres = whole(log_normal(&mut rng, 40.0, 1.1), 2, 3_000);
            let owner = text(&person(&mut rng));
            let owner = or_null(&mut rng, 0.06, owner);
            vec![
                text(name),
                text(state),
                text(county),
                int(founded as i64),
                int(acres),
                owner,
            ]
        })
        .collect();
    Table {
        name: "wineries".into(),
        columns: vec![
            Column::new("name", ColumnKind::Text),
            Column::new("state", ColumnKind::Text),
            Column::new("county", ColumnKind::Text),
            Column::new("founded", ColumnKind::Int),
            Column::new("acres", ColumnKind::Int),
            Column::new("owner", ColumnKind::Text),
        ],
        rows,
    }
}

const WINES: usize = 2_600;

fn build_wines(seed: u64, wineries: &Table, appellations: &Table) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "wine/wines"));
    let names = unique(&mut rng, WINES, |rng| {
        let base = format!("{} {}", rng.draw(WINE_FIRST), rng.draw(WINE_SECOND));
        if rng.chance(0.5) {
            format!("{base} {}", rng.draw(WINE_THIRD))
        } else {
            base
        }
    });
    let grape_weights: Vec<(usize, u32)> =
        GRAPES.iter().enumerate().map(|(i, g)| (i, g.3)).collect();
    let rows = names
        .iter()
        .map(|name| {
            let winery = &wineries.rows[skewed_index(&mut rng, wineries.rows.len())];
            let (state, county) = (&winery[1], &winery[2]);
            let local: Vec<&Value> = appellations
                .rows
                .iter()
                .filter(|a| &a[1] == county)
                .map(|a| &a[0])
                .collect();
            let statewide: Vec<&Value> = appellations
                .rows
                .iter()
                .filter(|a| &a[2] == state)
                .map(|a| &a[0])
                .collect();
            let appellation = if !local.is_empty() && rng.chance(0.7) {
                local[rng.below(local.len())]
            } else {
                statewide[rng.below(statewide.len())]
            };
            let g = weighted(&mut rng, &grape_weights);
            let age = whole(log_normal(&mut rng, 4.5, 0.75), 1, 30);
            let score = whole(88.5 + 3.0 * normal(&mut rng), 80, 100);
            let median =
                30.0 * GRAPES[g].4 * exp(0.11 * (score - 88) as f64) * (1.0 + 0.03 * age as f64);
            let raw = log_normal(&mut rng, median, 0.5).max(8.0).round();
            let price = match rng.below(10) {
                0..=5 => raw - 0.01,
                6..=8 => raw,
                _ => raw - 0.5,
            };
            let cases = whole(log_normal(&mut rng, 1_200.0, 1.1), 50, 200_000);
            let cases = if cases > 100 { cases / 10 * 10 } else { cases };
            let price = or_null(&mut rng, 0.05, cents(price));
            let cases = or_null(&mut rng, 0.07, int(cases));
            vec![
                text(name),
                winery[0].clone(),
                text(GRAPES[g].0),
                appellation.clone(),
                int(2023 - age),
                price,
                int(score),
                cases,
            ]
        })
        .collect();
    Table {
        name: "wines".into(),
        columns: vec![
            Column::new("name", ColumnKind::Text),
            Column::new("winery", ColumnKind::Text),
            Column::new("grape", ColumnKind::Text),
            Column::new("appellation", ColumnKind::Text),
            Column::new("vintage", ColumnKind::Int),
            Column::new("price", ColumnKind::Float),
            Column::new("score", ColumnKind::Int),
            Column::new("cases", ColumnKind::Int),
        ],
        rows,
    }
}

const TEMPLATES: &[(&str, &[&str])] = &[
    (
        "wines",
        &[
            "{{ name }} is a {{ grape }} of the {{ vintage }} vintage made by {{ winery }} in the {{ appellation }} appellation; it {% if price is none %}has no listed price{% else %}sells for ${{ price }}{% endif %}, scored {{ score }} points, and {% if cases is none %}its production was not reported{% else %}ran to {{ cases }} cases{% endif %}.",
            "From the {{ appellation }} appellation, {{ winery }} made {{ name }}, a {{ vintage }} vintage {{ grape }} that scored {{ score }} points; {% if cases is none %}no case count was reported{% else %}{{ cases }} cases were produced{% endif %} and {% if price is none %}no price was listed{% else %}it is priced at ${{ price }}{% endif %}.",
            "{{ winery }} lists {{ name }} ({{ grape }}, {{ appellation }}, vintage {{ vintage }}) {% if price is none %}without a price{% else %}at ${{ price }}{% endif %}; critics gave it {{ score }} points and {% if cases is none %}the case count is unknown{% else %}{{ cases }} cases were bottled{% endif %}.",
        ],
    ),
    (
        "wineries",
        &[
            "{{ name }} is a winery in {{ county }} County, {{ state }}, founded in {{ founded }} with {{ acres }} acres of vines; {% if owner is none %}its owner is not listed{% else %}it is owned by {{ owner }}{% endif %}.",
            "Founded in {{ founded }}, {{ name }} farms {{ acres }} acres in {{ county }} County, {{ state }}{% if owner is none %}, and its ownership is unrecorded{% else %}, under the ownership of {{ owner }}{% endif %}.",
            "{{ state }} winery {{ name }}, in {{ county }} County, dates from {{ founded }}, has {{ acres }} acres of vineyards and {% if owner is none %}has no named owner{% else %}belongs to {{ owner }}{% endif %}.",
        ],
    ),
    (
        "appellations",
        &[
            "The {{ name }} appellation lies in {{ county }} County, {{ state }}, and covers {{ acres }} acres; {% if approved is none %}it has not been recognised as an AVA{% else %}it was recognised as an AVA in {{ approved }}{% endif %}.",
            "{{ name }} covers {{ acres }} acres of {{ county }} County in {{ state }}{% if approved is none %} and is not a recognised AVA{% else %} and became an AVA in {{ approved }}{% endif %}.",
            "In {{ state }}, {{ county }} County is home to the {{ name }} appellation of {{ acres }} acres, {% if approved is none %}which has no AVA status{% else %}an AVA since {{ approved }}{% endif %}.",
        ],
    ),
    (
        "grapes",
        &[
            "{{ name }} is a {{ color }} grape that originated in {{ origin }}, with {{ planted_acres }} acres planted.",
            "Originally from {{ origin }}, the {{ color }} grape {{ name }} covers {{ planted_acres }} acres of vineyards.",
            "{{ name }}, a {{ color }} variety native to {{ origin }}, is planted on {{ planted_acres }} acres.",
        ],
    ),
];

fn queries() -> Vec<Query> {
    super::queries_of("wine", QUERIES)
}

const QUERIES: &[Spec] = &[
    Spec {
        id: "wine-expensive",
        kind: QueryKind::Filter,
        question: "List the name, winery and price of every wine that sells for $140 or more.",
        sql: "SELECT name, winery, price FROM wines WHERE price >= 140",
        tables: &["wines"],
        difficulty: "easy",
        flags: "comparison",
        near_miss: Some(("wines", "price >= 100 AND price < 140")),
    },
    Spec {
        id: "wine-count-old-vintages",
        kind: QueryKind::Count,
        question: "How many wines are of the 2008 vintage or earlier? Give the number as wine_count.",
        sql: "SELECT COUNT(*) AS wine_count FROM wines WHERE vintage <= 2008",
        tables: &["wines"],
        difficulty: "easy",
        flags: "aggregation comparison",
        near_miss: Some(("wines", "vintage >= 2009 AND vintage <= 2011")),
    },
    Spec {
        id: "wine-avg-price-pinot",
        kind: QueryKind::Aggregate,
        question: "What is the average price (avg_price) of the Pinot Noir wines that have a listed price?",
        sql: "SELECT AVG(price) AS avg_price FROM wines WHERE grape = 'Pinot Noir'",
        tables: &["wines"],
        difficulty: "easy",
        flags: "aggregation",
        near_miss: Some(("wines", "grape = 'Syrah'")),
    },
    Spec {
        id: "wine-score-range-zinfandel",
        kind: QueryKind::MaxMin,
        question: "What are the highest score (highest_score) and the lowest score (lowest_score) of any Zinfandel?",
        sql: "SELECT MAX(score) AS highest_score, MIN(score) AS lowest_score FROM wines WHERE grape = 'Zinfandel'",
        tables: &["wines"],
        difficulty: "medium",
        flags: "max_min",
        near_miss: Some(("wines", "grape = 'Petite Sirah'")),
    },
    Spec {
        id: "wine-grapes-high-scores",
        kind: QueryKind::GroupBy,
        question: "Among the wines that scored 93 points or more, give for each grape the grape, the number of such wines (wine_count) and their average price (avg_price), ordered by grape.",
        sql: "SELECT grape, COUNT(*) AS wine_count, AVG(price) AS avg_price FROM wines WHERE score >= 93 GROUP BY grape ORDER BY grape",
        tables: &["wines"],
        difficulty: "medium",
        flags: "aggregation comparison",
        near_miss: Some(("wines", "score >= 91 AND score < 93")),
    },
    Spec {
        id: "wine-top-syrah",
        kind: QueryKind::TopK,
        question: "List the name, winery and score of the five best-scored Syrah wines, highest score first, breaking ties by name in alphabetical order.",
        sql: "SELECT name, winery, score FROM wines WHERE grape = 'Syrah' ORDER BY score DESC, name ASC LIMIT 5",
        tables: &["wines"],
        difficulty: "medium",
        flags: "ranking",
        near_miss: Some(("wines", "grape = 'Grenache'")),
    },
    Spec {
        id: "wine-expensive-with-state",
        kind: QueryKind::Join,
        question: "For every wine that sells for $120 or more, give its name, its price and the state of the winery that makes it (winery_state).",
        sql: "SELECT w.name, w.price, y.state AS winery_state FROM wines AS w JOIN wineries AS y ON w.winery = y.name WHERE w.price >= 120",
        tables: &["wines", "wineries"],
        difficulty: "hard",
        flags: "join comparison",
        near_miss: Some(("wines", "price >= 90 AND price < 120")),
    },
    Spec {
        id: "wine-wineries-by-state",
        kind: QueryKind::GroupBy,
        question: "For each state, give the state, the number of wineries (winery_count) and their average vineyard acreage (avg_acres), ordered by state.",
        sql: "SELECT state, COUNT(*) AS winery_count, AVG(acres) AS avg_acres FROM wineries GROUP BY state ORDER BY state",
        tables: &["wineries"],
        difficulty: "medium",
        flags: "aggregation",
        near_miss: None,
    },
];
