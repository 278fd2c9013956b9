//! Invented city names for path traversal: pronounceable, varied, some of several words
//! ("Port Valmora", "Eskerford", "Lower Tressing Falls"), unique within a sample, drawn from the
//! sample's seed. Invented so no model can answer from what it knows of real places.

use std::collections::HashSet;

use longforge_datasets::SeededRng;

const ONSETS: &[&str] = &[
    "Al", "Bar", "Bel", "Bran", "Cal", "Car", "Cor", "Dal", "Dun", "El", "Es", "Fal", "Fen", "Gar",
    "Glen", "Hal", "Har", "Is", "Kel", "Kin", "Lan", "Lor", "Mar", "Mel", "Nor", "Orm", "Pel",
    "Quen", "Ros", "Sal", "Sel", "Tal", "Tor", "Tre", "Ul", "Val", "Ven", "Wes", "Wil", "Yar",
    "Zel", "Ash", "Brom", "Cress", "Drum", "Hol", "Mor", "Pen", "Rav", "Stan",
];

const MIDDLES: &[&str] = &[
    "", "", "", "a", "e", "i", "o", "ar", "en", "in", "or", "el", "an", "is", "ow", "ing", "er",
    "ad", "ev", "om",
];

const ENDINGS: &[&str] = &[
    "ford", "ton", "by", "wick", "mouth", "field", "dale", "holm", "bury", "stead", "mere",
    "haven", "ridge", "worth", "ley", "more", "gate", "ness", "ora", "ena", "ia", "ano", "ak",
    "et", "is", "ec", "ur", "ssa", "vik", "ster",
];

const BEFORE: &[&str] = &[
    "Port", "New", "Lake", "Mount", "Fort", "Saint", "East", "West", "North", "South", "Upper",
    "Lower", "Old",
];

const AFTER: &[&str] = &[
    "Falls", "Springs", "Harbour", "Bay", "Crossing", "Heights", "Junction", "Bridge", "Cove",
    "Hollow", "Point", "Wells",
];

/// Draws city names that are distinct from every name it drew before.
#[derive(Debug, Default)]
pub struct Namer {
    seen: HashSet<String>,
}

impl Namer {
    /// A new name; about one in three has a word before or after its stem.
    pub fn name(&mut self, rng: &mut SeededRng) -> String {
        loop {
            let stem = format!(
                "{}{}{}",
                rng.draw(ONSETS),
                rng.draw(MIDDLES),
                rng.draw(ENDINGS)
            );
            let name = match rng.below(6) {
                0 => format!("{} {stem}", rng.draw(BEFORE)),
                1 => format!("{stem} {}", rng.draw(AFTER)),
                _ => stem,
            };
            if self.seen.insert(name.clone()) {
                return name;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city_names(n: usize, rng: &mut SeededRng) -> Vec<String> {
        let mut namer = Namer::default();
        (0..n).map(|_| namer.name(rng)).collect()
    }

    #[test]
    fn names_are_distinct_deterministic_and_some_have_several_words() {
        let a = city_names(3000, &mut SeededRng::new(7));
        let b = city_names(3000, &mut SeededRng::new(7));
        assert_eq!(a, b);
        let distinct: HashSet<&String> = a.iter().collect();
        assert_eq!(distinct.len(), a.len());
        let several = a.iter().filter(|n| n.contains(' ')).count();
        assert!(several > 500 && several < 1500, "{several}");
        assert!(a
            .iter()
            .all(|n| n.chars().next().is_some_and(char::is_uppercase)));
    }
}
