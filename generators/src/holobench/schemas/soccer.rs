//! `soccer`: football clubs of fourteen countries, their players, and a season of matches (after
//! Spider's `soccer_1`, with invented clubs, towns and people).
//!
//! - `teams` (1,600): name, city, country, division (1 is the top flight), founded, stadium,
//!   capacity (some null).
//! - `players` (2,400): name, team, position, birth_country, birth_date, height_cm, weight_kg
//!   (some null), goals, appearances (league career totals). `team` names a row of `teams`.
//! - `matches` (2,000): played_on (a day of the 2023-24 season), home, away, home_goals,
//!   away_goals, attendance (some null), referee. `home` and `away` name teams of the same
//!   country, mostly of the same division; no team plays twice on a day.
//!
//! Club names follow each country's customs (`Real`, `FC`, `United`); England's clubs are the
//! oldest; goals are Poisson with a home advantage; crowds fill most of a stadium; forwards
//! score most of the goals and goalkeepers are the tallest players.

use std::collections::HashSet;

use longforge_datasets::{derive_seed, SeededRng};
use serde_json::Value;

use super::words::{
    day_between, days, int, iso, log_normal, man, normal, or_null, person, place, poisson,
    skewed_index, text, unique, unit, weighted, whole, SURNAMES,
};
use super::{Schema, Spec};
use crate::holobench::db::{Column, ColumnKind, Database, Query, QueryKind, Table};

pub const SCHEMA: Schema = Schema {
    name: "soccer",
    build,
    templates: TEMPLATES,
    queries,
};

const ENGLISH: &[&str] = &[
    "{} United",
    "{} Town",
    "{} City",
    "{} Rovers",
    "{} Athletic",
    "{} Wanderers",
    "{} Albion",
    "{} County",
];
const SPANISH: &[&str] = &[
    "Real {}",
    "{} CF",
    "Atletico {}",
    "Deportivo {}",
    "Racing {}",
    "CD {}",
];
const ITALIAN: &[&str] = &["{} Calcio", "AC {}", "US {}", "Virtus {}", "SS {}"];
const GERMAN: &[&str] = &[
    "FC {}",
    "{} SV",
    "SpVgg {}",
    "VfB {}",
    "TSV {}",
    "Borussia {}",
];
const FRENCH: &[&str] = &["{} FC", "Olympique {}", "Stade {}", "AS {}", "RC {}"];
const DUTCH: &[&str] = &["FC {}", "SC {}", "VV {}", "SV {}", "{} Boys"];
const PORTUGUESE: &[&str] = &["Sporting {}", "{} FC", "Uniao {}", "Academica {}", "CD {}"];
const BRAZILIAN: &[&str] = &["{} EC", "Atletico {}", "Gremio {}", "{} FC", "America {}"];
const ARGENTINE: &[&str] = &[
    "Club {}",
    "Racing {}",
    "Atletico {}",
    "Independiente {}",
    "Estudiantes {}",
];
const AMERICAN: &[&str] = &["{} FC", "{} SC", "{} United"];

/// Countries with clubs: name, weight, club-name patterns, and how old its clubs run (the
/// share founded before 1890, in percent).
const COUNTRIES: &[(&str, u32, &[&str], u32)] = &[
    ("England", 15, ENGLISH, 22),
    ("Scotland", 4, ENGLISH, 20),
    ("Spain", 10, SPANISH, 4),
    ("Italy", 10, ITALIAN, 4),
    ("Germany", 10, GERMAN, 6),
    ("France", 9, FRENCH, 4),
    ("Netherlands", 5, DUTCH, 6),
    ("Portugal", 5, PORTUGUESE, 3),
    ("Belgium", 4, FRENCH, 5),
    ("Brazil", 8, BRAZILIAN, 2),
    ("Argentina", 7, ARGENTINE, 3),
    ("Mexico", 5, SPANISH, 1),
    ("United States", 4, AMERICAN, 0),
    ("Japan", 4, AMERICAN, 0),
];

/// Birth countries of players who were not born where their club plays.
const ELSEWHERE: &[&str] = &[
    "Croatia",
    "Nigeria",
    "Ghana",
    "Senegal",
    "Uruguay",
    "Colombia",
    "Denmark",
    "Serbia",
    "Morocco",
    "South Korea",
];

/// Position, share (percent), height mean and spread (cm), goals per appearance.
const POSITIONS: &[(&str, u32, f64, f64, f64)] = &[
    ("Goalkeeper", 10, 190.0, 4.5, 0.001),
    ("Defender", 33, 184.0, 5.5, 0.035),
    ("Midfielder", 35, 178.0, 5.5, 0.11),
    ("Forward", 22, 181.0, 6.5, 0.3),
];

const STADIUMS: &[&str] = &[
    "{s} Park",
    "{c} Stadium",
    "{s} Arena",
    "{c} Road",
    "{s} Stadium",
    "{c} Park",
];

pub fn build(seed: u64) -> Database {
    let teams = build_teams(seed);
    let players = build_players(seed, &teams);
    let matches = build_matches(seed, &teams);
    Database {
        name: "soccer".into(),
        tables: vec![players, matches, teams],
    }
}

const TEAMS: usize = 1_600;

fn build_teams(seed: u64) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "soccer/teams"));
    let weights: Vec<(usize, u32)> = COUNTRIES
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.1))
        .collect();
    let mut names = HashSet::new();
    let mut rows = Vec::with_capacity(TEAMS);
    while rows.len() < TEAMS {
        let (country, _, patterns, old) = COUNTRIES[weighted(&mut rng, &weights)];
        let city = place(&mut rng);
        let name = rng.draw(patterns).replace("{}", &city);
        if !names.insert(name.clone()) {
            continue;
        }
        let division = weighted(&mut rng, &[(1, 12), (2, 22), (3, 28), (4, 38)]);
        let founded = if rng.below(100) < old as usize {
            rng.range(1863, 1889)
        } else {
            match rng.below(10) {
                0..=3 => rng.range(1890, 1929),
                4..=6 => rng.range(1930, 1969),
                _ => rng.range(1970, 2015),
            }
        };
        let stadium = rng
            .draw(STADIUMS)
            .replace("{s}", rng.draw(SURNAMES))
            .replace("{c}", &city);
        let median = [28_000.0, 14_000.0, 7_000.0, 3_500.0][division as usize - 1];
        let capacity = whole(log_normal(&mut rng, median, 0.5), 500, 99_000) / 10 * 10;
        let capacity = or_null(&mut rng, 0.05, int(capacity));
        rows.push(vec![
            text(&name),
            text(&city),
            text(country),
            int(division),
            int(founded as i64),
            text(&stadium),
            capacity,
        ]);
    }
    Table {
        name: "teams".into(),
        columns: vec![
            Column::new("name", ColumnKind::Text),
            Column::new("city", ColumnKind::Text),
            Column::new("country", ColumnKind::Text),
            Column::new("division", ColumnKind::Int),
            Column::new("founded", ColumnKind::Int),
            Column::new("stadium", ColumnKind::Text),
            Column::new("capacity", ColumnKind::Int),
        ],
        rows,
    }
}

const PLAYERS: usize = 2_400;

fn build_players(seed: u64, teams: &Table) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "soccer/players"));
    let names = unique(&mut rng, PLAYERS, man);
    let weights: Vec<(usize, u32)> = POSITIONS
        .iter()
        .enumerate()
        .map(|(i, p)| (i, p.1))
        .collect();
    let season_end = days(2024, 6, 30);
    let rows = names
        .iter()
        .map(|name| {
            let team = &teams.rows[rng.below(teams.rows.len())];
            let (position, _, height, spread, rate) = POSITIONS[weighted(&mut rng, &weights)];
            let birth_country = if rng.chance(0.7) {
                team[2].clone()
            } else if rng.chance(0.5) {
                text(rng.draw(ELSEWHERE))
            } else {
                text(rng.draw(COUNTRIES).0)
            };
            let born = whole(
                days(1997, 1, 1) as f64 + 365.25 * 4.5 * normal(&mut rng),
                days(1985, 1, 1),
                days(2006, 6, 30),
            );
            let height = whole(height + spread * normal(&mut rng), 160, 205);
            let weight = whole(height as f64 - 105.0 + 5.0 * normal(&mut rng), 55, 105);
            let weight = or_null(&mut rng, 0.06, int(weight));
            let years = ((season_end - born) as f64 / 365.25 - 18.5).max(0.0);
            let appearances = whole(years * 24.0 * log_normal(&mut rng, 1.0, 0.35), 0, 700);
            let goals = whole(
                appearances as f64 * rate * log_normal(&mut rng, 1.0, 0.5),
                0,
                500,
            );
            vec![
                text(name),
                team[0].clone(),
                text(position),
                birth_country,
                text(&iso(born)),
                int(height),
                weight,
                int(goals),
                int(appearances),
            ]
        })
        .collect();
    Table {
        name: "players".into(),
        columns: vec![
            Column::new("name", ColumnKind::Text),
            Column::new("team", ColumnKind::Text),
            Column::new("position", ColumnKind::Text),
            Column::new("birth_country", ColumnKind::Text),
            Column::new("birth_date", ColumnKind::Date),
            Column::new("height_cm", ColumnKind::Int),
            Column::new("weight_kg", ColumnKind::Int),
            Column::new("goals", ColumnKind::Int),
            Column::new("appearances", ColumnKind::Int),
        ],
        rows,
    }
}

const MATCHES: usize = 2_000;

fn build_matches(seed: u64, teams: &Table) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "soccer/matches"));
    let referees = unique(&mut rng, 180, person);
    // Teams grouped by (country, division), in table order.
    let mut keys: Vec<(&Value, &Value)> = Vec::new();
    let mut leagues: Vec<Vec<usize>> = Vec::new();
    let mut league_of = Vec::with_capacity(teams.rows.len());
    for (i, row) in teams.rows.iter().enumerate() {
        let k = (&row[2], &row[3]);
        let l = keys.iter().position(|x| *x == k).unwrap_or_else(|| {
            keys.push(k);
            leagues.push(Vec::new());
            keys.len() - 1
        });
        leagues[l].push(i);
        league_of.push(l);
    }
    let (start, end) = (days(2023, 8, 5), days(2024, 5, 26));
    let mut busy = HashSet::new();
    let mut rows = Vec::with_capacity(MATCHES);
    while rows.len() < MATCHES {
        let home = skewed_index(&mut rng, teams.rows.len());
        let league = &leagues[league_of[home]];
        let away = if league.len() > 1 && rng.chance(0.9) {
            league[rng.below(league.len())]
        } else {
            // Now and then a cup tie against a club of another division.
            let country = &teams.rows[home][2];
            let others: Vec<usize> = (0..teams.rows.len())
                .filter(|&t| teams.rows[t][2] == *country)
                .collect();
            others[rng.below(others.len())]
        };
        if away == home {
            continue;
        }
        // Mostly weekends: a weekday draw moves to the next Saturday 85% of the time.
        let mut day = day_between(&mut rng, start, end);
        let weekday = (day + 4).rem_euclid(7); // 0 is Sunday
        if weekday != 0 && weekday != 6 && rng.chance(0.85) {
            day = (day + 6 - weekday).min(end);
        }
        if busy.contains(&(day, home)) || busy.contains(&(day, away)) {
            continue;
        }
        busy.insert((day, home));
        busy.insert((day, away));
        let home_goals = poisson(&mut rng, 1.55);
        let away_goals = poisson(&mut rng, 1.2);
        let division = teams.rows[home][3].as_i64().unwrap_or(4);
        let crowd = match teams.rows[home][6].as_i64() {
            Some(capacity) => capacity as f64 * (0.45 + 0.53 * unit(&mut rng)),
            None => log_normal(
                &mut rng,
                [20_000.0, 9_000.0, 4_000.0, 1_800.0][division as usize - 1],
                0.4,
            ),
        };
        let attendance = or_null(&mut rng, 0.05, int(whole(crowd, 150, 99_000)));
        rows.push(vec![
            text(&iso(day)),
            teams.rows[home][0].clone(),
            teams.rows[away][0].clone(),
            int(home_goals),
            int(away_goals),
            attendance,
            text(&referees[skewed_index(&mut rng, referees.len())]),
        ]);
    }
    Table {
        name: "matches".into(),
        columns: vec![
            Column::new("played_on", ColumnKind::Date),
            Column::new("home", ColumnKind::Text),
            Column::new("away", ColumnKind::Text),
            Column::new("home_goals", ColumnKind::Int),
            Column::new("away_goals", ColumnKind::Int),
            Column::new("attendance", ColumnKind::Int),
            Column::new("referee", ColumnKind::Text),
        ],
        rows,
    }
}

const TEMPLATES: &[(&str, &[&str])] = &[
    (
        "players",
        &[
            "{{ name }} plays as a {{ position }} for {{ team }}; born in {{ birth_country }} on {{ birth_date }}, {{ height_cm }} cm tall and {% if weight_kg is none %}of unrecorded weight{% else %}weighing {{ weight_kg }} kg{% endif %}, {{ name }} has scored {{ goals }} goals in {{ appearances }} appearances.",
            "Born on {{ birth_date }} in {{ birth_country }}, {{ name }} is a {{ position }} at {{ team }} who stands {{ height_cm }} cm, {% if weight_kg is none %}has no recorded weight{% else %}weighs {{ weight_kg }} kg{% endif %} and has {{ goals }} goals from {{ appearances }} appearances.",
            "{{ team }} lists {{ name }} ({{ position }}, from {{ birth_country }}, born {{ birth_date }}) at {{ height_cm }} cm and {% if weight_kg is none %}an unknown weight{% else %}{{ weight_kg }} kg{% endif %}, with {{ goals }} goals in {{ appearances }} games.",
        ],
    ),
    (
        "matches",
        &[
            "On {{ played_on }}, {{ home }} hosted {{ away }} and the match ended {{ home_goals }} to {{ away_goals }} before {% if attendance is none %}an unreported crowd{% else %}{{ attendance }} spectators{% endif %}, refereed by {{ referee }}.",
            "{{ referee }} refereed {{ home }} against {{ away }} on {{ played_on }}: the home side scored {{ home_goals }} and the visitors {{ away_goals }}, {% if attendance is none %}with attendance not recorded{% else %}in front of {{ attendance }} fans{% endif %}.",
            "{{ home }} scored {{ home_goals }} at home to {{ away }}, who scored {{ away_goals }}, on {{ played_on }} with {{ referee }} in charge; {% if attendance is none %}the attendance is unknown{% else %}{{ attendance }} attended{% endif %}.",
        ],
    ),
    (
        "teams",
        &[
            "{{ name }} of {{ city }}, {{ country }}, founded in {{ founded }}, plays in division {{ division }} at {{ stadium }}{% if capacity is none %}, whose capacity is unknown{% else %}, which holds {{ capacity }} spectators{% endif %}.",
            "Founded in {{ founded }}, {{ name }} is a division {{ division }} club from {{ city }} in {{ country }} playing at {{ stadium }}{% if capacity is none %} (capacity not recorded){% else %} ({{ capacity }} seats){% endif %}.",
            "{{ stadium }} is home to {{ name }}, a club from {{ city }}, {{ country }}, founded in {{ founded }} and playing in division {{ division }}; {% if capacity is none %}its capacity is unrecorded{% else %}it seats {{ capacity }}{% endif %}.",
        ],
    ),
];

fn queries() -> Vec<Query> {
    super::queries_of("soccer", QUERIES)
}

const QUERIES: &[Spec] = &[
    Spec {
        id: "players-prolific",
        kind: QueryKind::Filter,
        question: "List the name, team and goals of every player with 140 or more goals.",
        sql: "SELECT name, team, goals FROM players WHERE goals >= 140",
        tables: &["players"],
        difficulty: "easy",
        flags: "comparison",
        near_miss: Some(("players", "goals >= 90 AND goals < 140")),
    },
    Spec {
        id: "matches-count-high-scoring",
        kind: QueryKind::Count,
        question: "How many matches had six or more goals in total? Give the number as match_count.",
        sql: "SELECT COUNT(*) AS match_count FROM matches WHERE home_goals + away_goals >= 6",
        tables: &["matches"],
        difficulty: "medium",
        flags: "aggregation comparison",
        near_miss: Some(("matches", "home_goals + away_goals = 5")),
    },
    Spec {
        id: "players-goalkeeper-build",
        kind: QueryKind::Aggregate,
        question: "What are the average height in cm (avg_height) and the average weight in kg of those with a recorded weight (avg_weight) of the goalkeepers?",
        sql: "SELECT AVG(height_cm) AS avg_height, AVG(weight_kg) AS avg_weight FROM players WHERE position = 'Goalkeeper'",
        tables: &["players"],
        difficulty: "easy",
        flags: "aggregation",
        near_miss: Some(("players", "position = 'Defender'")),
    },
    Spec {
        id: "matches-crowds-december",
        kind: QueryKind::MaxMin,
        question: "What are the largest (largest_crowd) and the smallest (smallest_crowd) recorded attendance of the matches played in December 2023?",
        sql: "SELECT MAX(attendance) AS largest_crowd, MIN(attendance) AS smallest_crowd FROM matches WHERE played_on >= '2023-12-01' AND played_on <= '2023-12-31'",
        tables: &["matches"],
        difficulty: "medium",
        flags: "max_min comparison",
        near_miss: Some(("matches", "played_on >= '2023-11-01' AND played_on <= '2023-11-30'")),
    },
    Spec {
        id: "teams-top-flight-by-country",
        kind: QueryKind::GroupBy,
        question: "For each country, give the country, the number of its first-division teams (team_count) and their average founding year (avg_founded), ordered by country.",
        sql: "SELECT country, COUNT(*) AS team_count, AVG(founded) AS avg_founded FROM teams WHERE division = 1 GROUP BY country ORDER BY country",
        tables: &["teams"],
        difficulty: "medium",
        flags: "aggregation",
        near_miss: Some(("teams", "division = 2")),
    },
    Spec {
        id: "players-youngest-brazilians",
        kind: QueryKind::TopK,
        question: "List the name, team and birth date (birth_date) of the five youngest players born in Brazil, youngest first, breaking ties by name in alphabetical order.",
        sql: "SELECT name, team, birth_date FROM players WHERE birth_country = 'Brazil' ORDER BY birth_date DESC, name ASC LIMIT 5",
        tables: &["players"],
        difficulty: "medium",
        flags: "ranking",
        near_miss: Some(("players", "birth_country = 'Argentina'")),
    },
    Spec {
        id: "players-belgian-clubs",
        kind: QueryKind::Join,
        question: "For every player born in Belgium, give the name, the team and the country of that team (team_country).",
        sql: "SELECT p.name, p.team, t.country AS team_country FROM players AS p JOIN teams AS t ON p.team = t.name WHERE p.birth_country = 'Belgium'",
        tables: &["players", "teams"],
        difficulty: "hard",
        flags: "join",
        near_miss: Some(("players", "birth_country = 'Netherlands'")),
    },
    Spec {
        id: "matches-away-shutouts",
        kind: QueryKind::Filter,
        question: "List the date (played_on), home team, away team, home goals and away goals of every match in which the home team scored no goal and the away team scored three or more.",
        sql: "SELECT played_on, home, away, home_goals, away_goals FROM matches WHERE home_goals = 0 AND away_goals >= 3",
        tables: &["matches"],
        difficulty: "medium",
        flags: "comparison",
        near_miss: Some(("matches", "home_goals = 0 AND away_goals = 2")),
    },
];
