//! `flights`: airports around the world, the airlines that fly between them, and a year of
//! flights (after Spider's `flight_4`, with invented towns, airlines and codes).
//!
//! - `airports` (1,700): code, name, city, country, elevation (feet), runways, opened (some
//!   null). `code` is the key, three capital letters.
//! - `airlines` (320): name, code (two capital letters), country, founded (some null), fleet,
//!   alliance.
//! - `flights` (2,600): flight_no, airline, origin, destination, departure (a day of 2024),
//!   distance (miles), seats, price (some null). `airline` names a row of `airlines`, `origin`
//!   and `destination` are airport codes.
//!
//! Elevations follow each country's terrain (Andean and East African airports sit high);
//! distances depend on whether a flight is domestic and on the country's size; fares grow with
//! distance; summer and December are the busiest months; a few hubs see many flights.

use std::collections::HashSet;

use longforge_datasets::{derive_seed, SeededRng};

use super::words::{
    cents, days, int, iso, log_normal, or_null, place, skewed_index, text, unique, weighted, whole,
    SURNAMES,
};
use super::{Schema, Spec};
use crate::holobench::db::{Column, ColumnKind, Database, Query, QueryKind, Table};

pub const SCHEMA: Schema = Schema {
    name: "flights",
    build,
    templates: TEMPLATES,
    queries,
};

/// A country: weight among airports and airlines, share of its airports in the highlands,
/// the highlands' median elevation (feet), and whether it is large (longer domestic flights).
struct Country {
    name: &'static str,
    weight: u32,
    highland: f64,
    high_median: f64,
    large: bool,
}

const fn country(
    name: &'static str,
    weight: u32,
    highland: f64,
    high_median: f64,
    large: bool,
) -> Country {
    Country {
        name,
        weight,
        highland,
        high_median,
        large,
    }
}

const COUNTRIES: &[Country] = &[
    country("United States", 20, 0.08, 5_500.0, true),
    country("Canada", 6, 0.05, 3_500.0, true),
    country("Mexico", 5, 0.3, 6_500.0, false),
    country("Brazil", 5, 0.1, 2_800.0, true),
    country("Peru", 4, 0.45, 9_500.0, false),
    country("Bolivia", 2, 0.6, 11_000.0, false),
    country("Colombia", 6, 0.35, 7_500.0, false),
    country("Argentina", 3, 0.1, 3_000.0, true),
    country("Chile", 3, 0.1, 3_000.0, false),
    country("United Kingdom", 5, 0.0, 0.0, false),
    country("France", 5, 0.03, 3_000.0, false),
    country("Germany", 5, 0.0, 0.0, false),
    country("Spain", 4, 0.05, 2_200.0, false),
    country("Italy", 4, 0.03, 2_500.0, false),
    country("Norway", 3, 0.0, 0.0, false),
    country("Switzerland", 2, 0.5, 1_800.0, false),
    country("Japan", 4, 0.02, 2_000.0, false),
    country("South Korea", 3, 0.0, 0.0, false),
    country("China", 6, 0.1, 6_500.0, true),
    country("India", 5, 0.05, 5_000.0, true),
    country("Nepal", 2, 0.5, 7_000.0, false),
    country("Australia", 4, 0.0, 0.0, true),
    country("Kenya", 2, 0.5, 5_500.0, false),
    country("South Africa", 3, 0.3, 5_200.0, false),
    country("Ethiopia", 2, 0.7, 7_600.0, false),
];

const AIRLINE_ADJECTIVES: &[&str] = &[
    "Blue", "Golden", "Silver", "Red", "Royal", "Pacific", "Atlantic", "Northern", "Southern",
    "Eastern", "Western", "Coastal", "Sky", "Sun",
];
const AIRLINE_BIRDS: &[&str] = &[
    "Heron",
    "Falcon",
    "Eagle",
    "Swift",
    "Crane",
    "Kestrel",
    "Albatross",
    "Condor",
    "Osprey",
    "Pelican",
    "Gull",
    "Tern",
];

/// Flights per month of 2024, relative: summer and December are busiest.
const MONTH_WEIGHTS: &[(i64, u32)] = &[
    (1, 7),
    (2, 6),
    (3, 8),
    (4, 8),
    (5, 8),
    (6, 9),
    (7, 11),
    (8, 11),
    (9, 8),
    (10, 8),
    (11, 7),
    (12, 10),
];
const MONTH_DAYS: [i64; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

pub fn build(seed: u64) -> Database {
    let airports = build_airports(seed);
    let airlines = build_airlines(seed);
    let flights = build_flights(seed, &airports, &airlines);
    Database {
        name: "flights".into(),
        tables: vec![flights, airports, airlines],
    }
}

fn country_weights() -> Vec<(usize, u32)> {
    COUNTRIES
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.weight))
        .collect()
}

fn letters(rng: &mut SeededRng, n: usize) -> String {
    (0..n)
        .map(|_| (b'A' + rng.below(26) as u8) as char)
        .collect()
}

const AIRPORTS: usize = 1_700;

fn build_airports(seed: u64) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "flights/airports"));
    let weights = country_weights();
    let mut names = HashSet::new();
    let mut codes = HashSet::new();
    let mut rows = Vec::with_capacity(AIRPORTS);
    while rows.len() < AIRPORTS {
        let city = place(&mut rng);
        let name = match rng.below(20) {
            0..=5 => format!("{city} International Airport"),
            6..=10 => format!("{city} Regional Airport"),
            11..=12 => format!("{city} Municipal Airport"),
            13..=14 => format!("{} Field", rng.draw(SURNAMES)),
            15..=16 => format!("{} Memorial Airport", rng.draw(SURNAMES)),
            _ => format!("{city} Airfield"),
        };
        if !names.insert(name.clone()) {
            continue;
        }
        // Codes echo the city where they can (`Ashford`: ASH, then AHD, ...), as real ones do.
        let upper = city.to_ascii_uppercase();
        let b = upper.as_bytes();
        let mut code = upper[..3].to_string();
        let mut tries = 0;
        while !codes.insert(code.clone()) {
            tries += 1;
            code = if tries < 6 {
                let i = 1 + rng.below(b.len() - 2);
                let j = i + 1 + rng.below(b.len() - i - 1);
                [b[0], b[i], b[j]].iter().map(|&c| c as char).collect()
            } else {
                letters(&mut rng, 3)
            };
        }
        let c = &COUNTRIES[weighted(&mut rng, &weights)];
        let elevation = if rng.chance(c.highland) {
            whole(log_normal(&mut rng, c.high_median, 0.3), 500, 14_500)
        } else {
            whole(log_normal(&mut rng, 250.0, 1.1), 0, 4_500)
        };
        let runways = weighted(
            &mut rng,
            &[(1, 50), (2, 30), (3, 12), (4, 6), (5, 1), (6, 1)],
        );
        let opened = match rng.below(10) {
            0..=1 => rng.range(1919, 1945),
            2..=6 => rng.range(1946, 1980),
            _ => rng.range(1981, 2015),
        };
        let opened = or_null(&mut rng, 0.06, int(opened as i64));
        rows.push(vec![
            text(&code),
            text(&name),
            text(&city),
            text(c.name),
            int(elevation),
            int(runways),
            opened,
        ]);
    }
    Table {
        name: "airports".into(),
        columns: vec![
            Column::new("code", ColumnKind::Text),
            Column::new("name", ColumnKind::Text),
            Column::new("city", ColumnKind::Text),
            Column::new("country", ColumnKind::Text),
            Column::new("elevation", ColumnKind::Int),
            Column::new("runways", ColumnKind::Int),
            Column::new("opened", ColumnKind::Int),
        ],
        rows,
    }
}

const AIRLINES: usize = 320;

fn build_airlines(seed: u64) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "flights/airlines"));
    let weights = country_weights();
    let names = unique(&mut rng, AIRLINES, |rng| match rng.below(12) {
        0..=2 => format!("{} Air", place(rng)),
        3..=4 => format!("{} Airways", place(rng)),
        5..=6 => format!("Air {}", place(rng)),
        7..=8 => format!("{} Airlines", place(rng)),
        9..=10 => format!(
            "{} {} Airlines",
            rng.draw(AIRLINE_ADJECTIVES),
            rng.draw(AIRLINE_BIRDS)
        ),
        _ => format!(
            "{} {} Air",
            rng.draw(AIRLINE_ADJECTIVES),
            rng.draw(AIRLINE_BIRDS)
        ),
    });
    let mut codes = HashSet::new();
    let rows = names
        .iter()
        .map(|name| {
            let first = name.as_bytes()[0] as char;
            let mut code = format!("{first}{}", letters(&mut rng, 1));
            while !codes.insert(code.clone()) {
                code = letters(&mut rng, 2);
            }
            let c = &COUNTRIES[weighted(&mut rng, &weights)];
            let founded = match rng.below(10) {
                0..=1 => rng.range(1919, 1959),
                2..=4 => rng.range(1960, 1995),
                _ => rng.range(1996, 2022),
            };
            let founded = or_null(&mut rng, 0.04, int(founded as i64));
            let fleet = whole(log_normal(&mut rng, 25.0, 1.2), 1, 950);
            let alliance = weighted(
                &mut rng,
                &[
                    ("Star Alliance", 12),
                    ("SkyTeam", 10),
                    ("Oneworld", 8),
                    ("independent", 70),
                ],
            );
            vec![
                text(name),
                text(&code),
                text(c.name),
                founded,
                int(fleet),
                text(alliance),
            ]
        })
        .collect();
    Table {
        name: "airlines".into(),
        columns: vec![
            Column::new("name", ColumnKind::Text),
            Column::new("code", ColumnKind::Text),
            Column::new("country", ColumnKind::Text),
            Column::new("founded", ColumnKind::Int),
            Column::new("fleet", ColumnKind::Int),
            Column::new("alliance", ColumnKind::Text),
        ],
        rows,
    }
}

const FLIGHTS: usize = 2_600;

fn build_flights(seed: u64, airports: &Table, airlines: &Table) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "flights/flights"));
    let country_of: Vec<usize> = airports
        .rows
        .iter()
        .map(|r| {
            COUNTRIES
                .iter()
                .position(|c| r[3] == c.name)
                .expect("an airport's country is listed")
        })
        .collect();
    let mut by_country = vec![Vec::new(); COUNTRIES.len()];
    for (a, &c) in country_of.iter().enumerate() {
        by_country[c].push(a);
    }
    let mut numbers = HashSet::new();
    let mut rows = Vec::with_capacity(FLIGHTS);
    while rows.len() < FLIGHTS {
        let airline = &airlines.rows[skewed_index(&mut rng, airlines.rows.len())];
        let code = airline[1].as_str().unwrap_or_default();
        let flight_no = format!(
            "{code}{}",
            whole(log_normal(&mut rng, 300.0, 1.2), 1, 9_999)
        );
        if !numbers.insert(flight_no.clone()) {
            continue;
        }
        let origin = skewed_index(&mut rng, airports.rows.len());
        let home = country_of[origin];
        let is_domestic = by_country[home].len() > 1 && rng.chance(0.55);
        let destination = loop {
            let d = if is_domestic {
                by_country[home][rng.below(by_country[home].len())]
            } else {
                skewed_index(&mut rng, airports.rows.len())
            };
            if d != origin && (country_of[d] == home) == is_domestic {
                break d;
            }
        };
        let distance = match (is_domestic, COUNTRIES[home].large) {
            (true, true) => whole(log_normal(&mut rng, 850.0, 0.6), 80, 4_500),
            (true, false) => whole(log_normal(&mut rng, 400.0, 0.55), 60, 2_000),
            (false, _) => whole(log_normal(&mut rng, 2_600.0, 0.65), 250, 9_900),
        };
        let month = weighted(&mut rng, MONTH_WEIGHTS);
        let day = 1 + rng.below(MONTH_DAYS[month as usize - 1] as usize) as i64;
        let departure = iso(days(2024, month, day));
        let seats = match distance {
            0..=499 => rng.draw(&[50, 76, 90, 120, 150]),
            500..=2_999 => rng.draw(&[150, 160, 180, 186, 200]),
            _ => rng.draw(&[220, 250, 290, 350, 400]),
        };
        let fare = ((45.0 + 0.11 * distance as f64) * log_normal(&mut rng, 1.0, 0.35)).round();
        let fare = if rng.chance(0.5) { fare - 0.01 } else { fare };
        let price = or_null(&mut rng, 0.04, cents(fare));
        rows.push(vec![
            text(&flight_no),
            airline[0].clone(),
            airports.rows[origin][0].clone(),
            airports.rows[destination][0].clone(),
            text(&departure),
            int(distance),
            int(seats),
            price,
        ]);
    }
    Table {
        name: "flights".into(),
        columns: vec![
            Column::new("flight_no", ColumnKind::Text),
            Column::new("airline", ColumnKind::Text),
            Column::new("origin", ColumnKind::Text),
            Column::new("destination", ColumnKind::Text),
            Column::new("departure", ColumnKind::Date),
            Column::new("distance", ColumnKind::Int),
            Column::new("seats", ColumnKind::Int),
            Column::new("price", ColumnKind::Float),
        ],
        rows,
    }
}

const TEMPLATES: &[(&str, &[&str])] = &[
    (
        "flights",
        &[
            "Flight {{ flight_no }} of {{ airline }} departs {{ origin }} for {{ destination }} on {{ departure }}, covering {{ distance }} miles with {{ seats }} seats{% if price is none %} and no published fare{% else %} at a fare of ${{ price }}{% endif %}.",
            "{{ airline }} flies {{ flight_no }} from {{ origin }} to {{ destination }} on {{ departure }}: {{ distance }} miles, {{ seats }} seats, {% if price is none %}fare not published{% else %}fare ${{ price }}{% endif %}.",
            "On {{ departure }}, {{ flight_no }} ({{ airline }}) leaves {{ origin }} bound for {{ destination }}, a {{ distance }}-mile trip offering {{ seats }} seats{% if price is none %} with no fare listed{% else %} from ${{ price }}{% endif %}.",
        ],
    ),
    (
        "airports",
        &[
            "{{ code }} is the code of {{ name }} in {{ city }}, {{ country }}, which sits at {{ elevation }} feet, has a runway count of {{ runways }} and {% if opened is none %}has no recorded opening year{% else %}opened in {{ opened }}{% endif %}.",
            "Located in {{ city }}, {{ country }}, {{ name }} (code {{ code }}) lies {{ elevation }} feet above sea level with a runway count of {{ runways }}; {% if opened is none %}its opening year is unknown{% else %}it opened in {{ opened }}{% endif %}.",
            "{{ name }}, coded {{ code }}, serves {{ city }} in {{ country }} from an elevation of {{ elevation }} feet; it has a runway count of {{ runways }} and {% if opened is none %}an unrecorded opening year{% else %}was opened in {{ opened }}{% endif %}.",
        ],
    ),
    (
        "airlines",
        &[
            "{{ name }} (airline code {{ code }}) is based in {{ country }}, {% if founded is none %}has an unknown founding year{% else %}was founded in {{ founded }}{% endif %}, flies a fleet of {{ fleet }} aircraft and has the alliance status {{ alliance }}.",
            "Based in {{ country }}, the airline {{ name }} uses the code {{ code }}, operates {{ fleet }} aircraft, has the alliance status {{ alliance }} and {% if founded is none %}has no recorded founding year{% else %}dates from {{ founded }}{% endif %}.",
            "With {{ fleet }} aircraft and the alliance status {{ alliance }}, {{ name }} of {{ country }} flies under the code {{ code }}{% if founded is none %}; its founding year is not known{% else %}; it was founded in {{ founded }}{% endif %}.",
        ],
    ),
];

fn queries() -> Vec<Query> {
    super::queries_of("flights", QUERIES)
}

const QUERIES: &[Spec] = &[
    Spec {
        id: "flights-long-haul",
        kind: QueryKind::Filter,
        question: "List the flight number (flight_no), origin, destination and distance of every flight of 7,000 miles or more.",
        sql: "SELECT flight_no, origin, destination, distance FROM flights WHERE distance >= 7000",
        tables: &["flights"],
        difficulty: "easy",
        flags: "comparison",
        near_miss: Some(("flights", "distance >= 5000 AND distance < 7000")),
    },
    Spec {
        id: "flights-count-december",
        kind: QueryKind::Count,
        question: "How many flights depart in December 2024? Give the number as flight_count.",
        sql: "SELECT COUNT(*) AS flight_count FROM flights WHERE departure >= '2024-12-01' AND departure <= '2024-12-31'",
        tables: &["flights"],
        difficulty: "easy",
        flags: "aggregation comparison",
        near_miss: Some(("flights", "departure >= '2024-11-01' AND departure <= '2024-11-30'")),
    },
    Spec {
        id: "flights-short-hops",
        kind: QueryKind::Aggregate,
        question: "For the flights shorter than 300 miles, what are the total number of seats (total_seats) and the average fare of those with a published fare (avg_price)?",
        sql: "SELECT SUM(seats) AS total_seats, AVG(price) AS avg_price FROM flights WHERE distance < 300",
        tables: &["flights"],
        difficulty: "medium",
        flags: "aggregation comparison",
        near_miss: Some(("flights", "distance >= 300 AND distance < 400")),
    },
    Spec {
        id: "airports-elevation-range-peru",
        kind: QueryKind::MaxMin,
        question: "What are the highest (highest_elevation) and the lowest (lowest_elevation) elevation, in feet, of the airports in Peru?",
        sql: "SELECT MAX(elevation) AS highest_elevation, MIN(elevation) AS lowest_elevation FROM airports WHERE country = 'Peru'",
        tables: &["airports"],
        difficulty: "medium",
        flags: "max_min",
        near_miss: Some(("airports", "country = 'Colombia'")),
    },
    Spec {
        id: "airports-by-country",
        kind: QueryKind::GroupBy,
        question: "For each country, give the country, the number of airports (airport_count) and their total number of runways (total_runways), ordered by country.",
        sql: "SELECT country, COUNT(*) AS airport_count, SUM(runways) AS total_runways FROM airports GROUP BY country ORDER BY country",
        tables: &["airports"],
        difficulty: "medium",
        flags: "aggregation",
        near_miss: None,
    },
    Spec {
        id: "flights-longest-july",
        kind: QueryKind::TopK,
        question: "List the flight number (flight_no), airline and distance of the five longest flights departing in July 2024, longest first, breaking ties by flight number in alphabetical order.",
        sql: "SELECT flight_no, airline, distance FROM flights WHERE departure >= '2024-07-01' AND departure <= '2024-07-31' ORDER BY distance DESC, flight_no ASC LIMIT 5",
        tables: &["flights"],
        difficulty: "medium",
        flags: "comparison ranking",
        near_miss: Some(("flights", "departure >= '2024-06-01' AND departure <= '2024-06-30'")),
    },
    Spec {
        id: "flights-late-december-cities",
        kind: QueryKind::Join,
        question: "For every flight departing between 22 and 31 December 2024, give its flight number (flight_no), its departure date and the city of its destination airport (destination_city).",
        sql: "SELECT f.flight_no, f.departure, a.city AS destination_city FROM flights AS f JOIN airports AS a ON f.destination = a.code WHERE f.departure >= '2024-12-22' AND f.departure <= '2024-12-31'",
        tables: &["flights", "airports"],
        difficulty: "hard",
        flags: "join comparison",
        near_miss: Some(("flights", "departure >= '2024-12-08' AND departure <= '2024-12-21'")),
    },
    Spec {
        id: "airports-high",
        kind: QueryKind::Filter,
        question: "List the code, name and elevation of every airport at 9,000 feet or higher.",
        sql: "SELECT code, name, elevation FROM airports WHERE elevation >= 9000",
        tables: &["airports"],
        difficulty: "easy",
        flags: "comparison",
        near_miss: Some(("airports", "elevation >= 6000 AND elevation < 9000")),
    },
];
