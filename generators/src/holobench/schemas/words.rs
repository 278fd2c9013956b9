//! Word lists and small helpers shared by the embedded databases.
//!
//! Names are built combinatorially (a first name and a surname, a place head and a place tail)
//! so each table can hold thousands of distinct keys without a list that long. The words carry
//! no commas, parentheses or lowercase joining words (`of`, `in`, `and`), so a name can never
//! contain the fixed words a template puts after it, which keeps sentences readable back.
//!
//! The numeric helpers use only `+`, `*`, `/` and `round`, which IEEE 754 defines exactly, and
//! no library `exp` or `ln`, whose last bits may differ between platforms: the same seed must
//! give the same rows everywhere.

use std::collections::HashSet;

use longforge_datasets::SeededRng;
use serde_json::Value;

const MALE_FIRST_NAMES: &[&str] = &[
    "James", "Oliver", "Henry", "Samuel", "Arthur", "Felix", "Hugo", "Miles", "Jasper", "Owen",
    "Tobias", "Elliot", "Rowan", "Declan", "Julian", "Magnus", "Daniel", "Lucas", "Mateo", "Leon",
    "Marco", "Pablo", "Diego", "Andre", "Victor", "Rafael", "Kenji", "Hiro", "Ravi", "Arjun",
    "Omar", "Tariq", "Yusuf", "Kwame", "Emeka", "Sipho", "Lars", "Nils", "Erik", "Jonas", "Pieter",
    "Luca", "Matteo", "Thomas", "Michael", "David", "Robert", "William", "Joseph", "Charles",
    "George", "Edward", "Patrick", "Sean", "Connor", "Ian", "Adam", "Noah", "Ethan",
];

const FEMALE_FIRST_NAMES: &[&str] = &[
    "Alice",
    "Clara",
    "Eleanor",
    "Fiona",
    "Harriet",
    "Imogen",
    "Lydia",
    "Nora",
    "Sylvia",
    "Vivian",
    "Hazel",
    "Sofia",
    "Lucia",
    "Elena",
    "Marta",
    "Ines",
    "Camila",
    "Valentina",
    "Isabel",
    "Yuki",
    "Aiko",
    "Priya",
    "Anika",
    "Leila",
    "Amira",
    "Zara",
    "Ama",
    "Nia",
    "Ingrid",
    "Astrid",
    "Freya",
    "Sanne",
    "Giulia",
    "Chiara",
    "Anna",
    "Maria",
    "Sarah",
    "Emily",
    "Grace",
    "Rachel",
    "Laura",
    "Helen",
    "Julia",
    "Rosa",
    "Claire",
    "Naomi",
    "Ruth",
    "Esther",
    "Mei",
    "Lin",
    "Sana",
    "Mariam",
    "Olga",
    "Katya",
    "Irene",
    "Paula",
];

pub const SURNAMES: &[&str] = &[
    "Ashdown",
    "Blackwood",
    "Carrow",
    "Dunmore",
    "Ellery",
    "Fairbanks",
    "Hartwell",
    "Ingleby",
    "Jessop",
    "Kingsley",
    "Lockhart",
    "Northcott",
    "Pembroke",
    "Ravenscroft",
    "Stanhope",
    "Thornbury",
    "Whitlock",
    "Yardley",
    "Aldridge",
    "Bramwell",
    "Cavendish",
    "Darrow",
    "Fenwick",
    "Greaves",
    "Holloway",
    "Kendrick",
    "Langley",
    "Marlowe",
    "Prescott",
    "Radcliffe",
    "Sutcliffe",
    "Tennant",
    "Westbrook",
    "Garcia",
    "Martinez",
    "Lopez",
    "Fernandez",
    "Moreno",
    "Navarro",
    "Romero",
    "Alvarez",
    "Ortega",
    "Castillo",
    "Rossi",
    "Bianchi",
    "Ferrari",
    "Esposito",
    "Ricci",
    "Marino",
    "Greco",
    "Conti",
    "Muller",
    "Schmidt",
    "Fischer",
    "Weber",
    "Becker",
    "Hoffmann",
    "Wagner",
    "Richter",
    "Dubois",
    "Laurent",
    "Moreau",
    "Girard",
    "Fontaine",
    "Lefevre",
    "Mercier",
    "Jansen",
    "Visser",
    "Bakker",
    "Dekker",
    "Smit",
    "Silva",
    "Santos",
    "Oliveira",
    "Pereira",
    "Costa",
    "Almeida",
    "Tanaka",
    "Sato",
    "Suzuki",
    "Watanabe",
    "Nakamura",
    "Kim",
    "Park",
    "Choi",
    "Chen",
    "Wang",
    "Zhang",
    "Liu",
    "Huang",
    "Patel",
    "Sharma",
    "Gupta",
    "Reddy",
    "Nair",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Mwangi",
    "Haddad",
    "Nasser",
    "Karimi",
    "Novak",
    "Kowalski",
    "Horvat",
    "Lindqvist",
    "Andersen",
    "Nilsen",
    "Berg",
    "Olsen",
    "Murphy",
    "Kelly",
    "Byrne",
    "Walsh",
    "Campbell",
    "Stewart",
    "Reid",
    "Morrison",
    "Hughes",
    "Evans",
    "Price",
    "Turner",
    "Parker",
    "Collins",
    "Bennett",
    "Foster",
    "Hayes",
    "Brooks",
    "Porter",
    "Warren",
    "Fletcher",
];

/// The first half of an invented town name: `Ash` + `ford`.
const PLACE_HEADS: &[&str] = &[
    "Ash", "Bel", "Bram", "Brook", "Cald", "Carr", "Clay", "Cold", "Cran", "Dal", "Dun", "East",
    "Elm", "Fair", "Fern", "Glen", "Green", "Hart", "Haw", "Heath", "High", "Holl", "Kings",
    "Lang", "Lark", "Lin", "Marl", "Mill", "Moor", "Nor", "Oak", "Pen", "Red", "Ridge", "Rock",
    "Rose", "Salt", "Sand", "Shel", "Stan", "Stone", "Thorn", "Wal", "West", "Whit", "Wil", "Win",
    "Wood", "Alder", "Birch",
];
const PLACE_TAILS: &[&str] = &[
    "ford", "ton", "bury", "field", "wick", "ley", "worth", "dale", "stead", "mouth", "brook",
    "by", "ham", "well", "more", "port", "combe", "hurst", "gate", "haven",
];

/// A person's full name, `First Surname`, a woman's or a man's.
pub fn person(rng: &mut SeededRng) -> String {
    let first = if rng.chance(0.5) {
        MALE_FIRST_NAMES
    } else {
        FEMALE_FIRST_NAMES
    };
    format!("{} {}", rng.draw(first), rng.draw(SURNAMES))
}

/// A man's full name: the football clubs' players are a men's league.
pub fn man(rng: &mut SeededRng) -> String {
    format!("{} {}", rng.draw(MALE_FIRST_NAMES), rng.draw(SURNAMES))
}

/// An invented town name such as `Ashford` or `Whitbury` (1,000 of them).
pub fn place(rng: &mut SeededRng) -> String {
    format!("{}{}", rng.draw(PLACE_HEADS), rng.draw(PLACE_TAILS))
}

/// `count` distinct strings from `make`. The set only answers membership, so its hash order
/// never reaches the output; the order is that of the draws.
pub fn unique(
    rng: &mut SeededRng,
    count: usize,
    mut make: impl FnMut(&mut SeededRng) -> String,
) -> Vec<String> {
    let mut seen = HashSet::with_capacity(count);
    let mut out = Vec::with_capacity(count);
    let mut attempts = 0usize;
    while out.len() < count {
        attempts += 1;
        assert!(
            attempts < 100 * count + 1000,
            "the word lists cannot give {count} distinct names"
        );
        let s = make(rng);
        if seen.insert(s.clone()) {
            out.push(s);
        }
    }
    out
}

/// Uniform in `[0, 1)` with 53 random bits.
pub fn unit(rng: &mut SeededRng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Approximately standard normal (Irwin-Hall: twelve uniforms, minus six): no `ln` or `cos`
/// needed, and bounded within ±6, so no draw is absurd.
pub fn normal(rng: &mut SeededRng) -> f64 {
    (0..12).map(|_| unit(rng)).sum::<f64>() - 6.0
}

/// `e^x` from arithmetic alone (halving, a Taylor series, then squaring back), so that it is
/// the same on every platform; within 1e-12 of the library's for |x| <= 10.
pub fn exp(x: f64) -> f64 {
    let mut halvings = 0;
    let mut r = x;
    while r.abs() > 0.125 {
        r /= 2.0;
        halvings += 1;
    }
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..=14 {
        term = term * r / f64::from(k);
        sum += term;
    }
    for _ in 0..halvings {
        sum *= sum;
    }
    sum
}

/// Log-normal: `median * e^(sigma * z)`, for prices, sizes and counts with a long right tail.
pub fn log_normal(rng: &mut SeededRng, median: f64, sigma: f64) -> f64 {
    median * exp(sigma * normal(rng))
}

/// An item drawn with integer weights, for skewed categories.
pub fn weighted<T: Copy>(rng: &mut SeededRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|&(_, w)| w).sum();
    let mut x = rng.below(total as usize) as u32;
    for &(item, w) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    unreachable!("x < total")
}

/// An index in `0..n` favouring the low end (half the draws uniform, half squared), so a few
/// wineries, airports or teams get many rows and most get a few, as in real data.
pub fn skewed_index(rng: &mut SeededRng, n: usize) -> usize {
    if rng.chance(0.5) {
        rng.below(n)
    } else {
        let u = unit(rng);
        ((u * u * n as f64) as usize).min(n - 1)
    }
}

/// A Poisson draw by inversion, for goals.
pub fn poisson(rng: &mut SeededRng, mean: f64) -> i64 {
    let limit = exp(-mean);
    let mut k = 0;
    let mut p = unit(rng);
    while p > limit && k < 20 {
        p *= unit(rng);
        k += 1;
    }
    k
}

/// `x` rounded to a whole number and clamped, so a long tail stays within what is plausible
/// (no 40-foot player, no airport a mile below sea level).
pub fn whole(x: f64, lo: i64, hi: i64) -> i64 {
    (x.round() as i64).clamp(lo, hi)
}

pub fn int(v: i64) -> Value {
    Value::from(v)
}

pub fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

/// A decimal held to two places, as the verbaliser writes it: `k / 100` for a whole `k` is the
/// `f64` nearest to those digits, so a sentence parses back to exactly the stored value.
pub fn cents(x: f64) -> Value {
    Value::from((x * 100.0).round() / 100.0)
}

/// `value`, or null with probability `p`.
pub fn or_null(rng: &mut SeededRng, p: f64, value: Value) -> Value {
    if rng.chance(p) {
        Value::Null
    } else {
        value
    }
}

/// Days since 1970-01-01 of a civil date (Hinnant's algorithm): dates are drawn as day counts,
/// which makes ranges and weekdays plain arithmetic.
pub fn days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `YYYY-MM-DD` of a day count since 1970-01-01.
pub fn iso(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A uniform day in `from..=to`, as day counts: whole days, so every date is a real one.
pub fn day_between(rng: &mut SeededRng, from: i64, to: i64) -> i64 {
    from + rng.below((to - from + 1) as usize) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_day_counts() {
        assert_eq!(days(1970, 1, 1), 0);
        assert_eq!(iso(0), "1970-01-01");
        assert_eq!(iso(days(2024, 2, 29)), "2024-02-29");
        assert_eq!(days(2024, 3, 1) - days(2024, 2, 28), 2);
        assert_eq!(days(2023, 3, 1) - days(2023, 2, 28), 1);
        for d in (-40_000..40_000).step_by(37) {
            let s = iso(d);
            let (y, m, dd) = (&s[..4], &s[5..7], &s[8..]);
            assert_eq!(
                days(y.parse().unwrap(), m.parse().unwrap(), dd.parse().unwrap()),
                d
            );
        }
    }

    #[test]
    fn exp_matches_the_library_closely() {
        for i in -80..=80 {
            let x = f64::from(i) / 8.0;
            let rel = (exp(x) - x.exp()).abs() / x.exp();
            assert!(rel < 1e-12, "exp({x}): {} vs {}", exp(x), x.exp());
        }
    }

    #[test]
    fn cents_parse_back_from_their_two_place_display() {
        let mut rng = SeededRng::new(3);
        for _ in 0..10_000 {
            let v = cents(log_normal(&mut rng, 40.0, 1.0));
            let x = v.as_f64().unwrap();
            assert_eq!(format!("{x:.2}").parse::<f64>().unwrap(), x);
        }
    }

    #[test]
    fn words_cannot_swallow_a_template_joint() {
        let first = [MALE_FIRST_NAMES, FEMALE_FIRST_NAMES].concat();
        for w in first
            .iter()
            .chain(SURNAMES)
            .chain(PLACE_HEADS)
            .chain(PLACE_TAILS)
        {
            assert!(w.chars().all(|c| c.is_ascii_alphabetic()), "{w}");
        }
        let firsts: HashSet<_> = first.iter().collect();
        let lasts: HashSet<_> = SURNAMES.iter().collect();
        assert_eq!(firsts.len(), first.len(), "repeated first name");
        assert_eq!(lasts.len(), SURNAMES.len(), "repeated surname");
    }
}
