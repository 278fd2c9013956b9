//! The words a story world is drawn from: people's names and nicknames, occupations, traits,
//! places and the things people own. Every list holds unique entries, and no entry of one list
//! is a word of another (a nickname that is also a given name would make a reference
//! ambiguous), which a test checks.

pub const GIVEN_FEMALE: &[&str] = &[
    "Mara", "Ilse", "Agnes", "Bronwen", "Celia", "Dorothea", "Edith", "Frieda", "Greta", "Hester",
    "Imogen", "Jessamy", "Katrin", "Lavinia", "Maud", "Nell", "Odile", "Philippa", "Rosalind",
    "Sabine", "Thea", "Ursula", "Verity", "Winifred", "Ada", "Beatrix", "Clemency", "Delphine",
    "Eleanor", "Harriet", "Isolde", "Judith", "Leonie", "Marian", "Nora", "Olwen",
];

pub const GIVEN_MALE: &[&str] = &[
    "Tobias",
    "Ambrose",
    "Bertram",
    "Casimir",
    "Desmond",
    "Edmund",
    "Fabian",
    "Gideon",
    "Horace",
    "Ivo",
    "Jonas",
    "Lucian",
    "Matthias",
    "Nathaniel",
    "Osric",
    "Percival",
    "Quentin",
    "Rupert",
    "Silas",
    "Thaddeus",
    "Valentine",
    "Walter",
    "Alaric",
    "Barnaby",
    "Cedric",
    "Dorian",
    "Elias",
    "Florian",
    "Godfrey",
    "Hamish",
    "Isidore",
    "Leopold",
    "Magnus",
    "Piers",
    "Roderick",
    "Simeon",
];

pub const FAMILY: &[&str] = &[
    "Finch",
    "Wren",
    "Marrow",
    "Cade",
    "Holloway",
    "Ashdown",
    "Pellings",
    "Varley",
    "Thorne",
    "Blackwood",
    "Crane",
    "Dunstan",
    "Everard",
    "Fairweather",
    "Gorse",
    "Hartley",
    "Ingram",
    "Kestrel",
    "Lockhart",
    "Merriman",
    "Northcott",
    "Oakes",
    "Penrose",
    "Quill",
    "Ravensworth",
    "Sallow",
    "Tennant",
    "Underhill",
    "Vesey",
    "Westlake",
    "Yarrow",
    "Aldous",
    "Brightwater",
    "Colville",
    "Drummond",
    "Heathcote",
];

/// What a person's friends call them; the book says so when it introduces them.
pub const NICKNAMES: &[&str] = &[
    "Pip", "Kit", "Birdie", "Moss", "Bramble", "Tuck", "Sully", "Juniper", "Badger", "Sparrow",
    "Rook", "Fen", "Clover", "Bunty", "Dodge", "Midge", "Tansy", "Scout", "Nettle", "Pike", "Wick",
    "Sorrel", "Dusty", "Gull", "Hob", "Jinx", "Lark", "Magpie", "Pebble", "Quince",
];

/// Occupations; each person of a world has a different one, so "the apothecary" names one
/// person.
pub const ROLES: &[&str] = &[
    "apothecary",
    "clockmaker",
    "harbourmaster",
    "schoolteacher",
    "innkeeper",
    "miller",
    "bookbinder",
    "glassblower",
    "surveyor",
    "cartographer",
    "physician",
    "lamplighter",
    "chandler",
    "beekeeper",
    "stonemason",
    "weaver",
    "notary",
    "boatwright",
    "organist",
    "archivist",
    "blacksmith",
    "vintner",
    "tailor",
    "printer",
    "ferry pilot",
    "gamekeeper",
    "herbalist",
    "locksmith",
    "potter",
    "rope maker",
];

/// Two are drawn per person, for their introduction and for the narration of their habits.
pub const TRAITS: &[&str] = &[
    "quick-tempered",
    "patient",
    "secretive",
    "generous",
    "proud",
    "anxious",
    "cheerful",
    "stubborn",
    "gentle",
    "watchful",
    "ambitious",
    "melancholy",
    "curious",
    "sharp-tongued",
    "soft-spoken",
    "restless",
    "careful",
    "superstitious",
    "warm-hearted",
    "guarded",
];

/// Places: the name and what kind of place it is (which decides how it is described).
pub const PLACES: &[(&str, PlaceKind)] = &[
    ("Dunmere", PlaceKind::Village),
    ("Calderwick", PlaceKind::Port),
    ("Ashby Cross", PlaceKind::Town),
    ("Farrow End", PlaceKind::Farm),
    ("Saltmarsh", PlaceKind::Port),
    ("Hollin Green", PlaceKind::Village),
    ("Wrenfield", PlaceKind::Manor),
    ("Greyhallow", PlaceKind::Abbey),
    ("Bellhaven", PlaceKind::Port),
    ("Kettering Mill", PlaceKind::Mill),
    ("Lowmoor", PlaceKind::Farm),
    ("Stonebridge", PlaceKind::Town),
    ("Thistledown", PlaceKind::Village),
    ("Ravenscar", PlaceKind::Manor),
    ("Millbrook", PlaceKind::Mill),
    ("Harrowgate", PlaceKind::Town),
    ("Whitcombe", PlaceKind::Abbey),
    ("Eastwold", PlaceKind::Village),
    ("Coldharbour", PlaceKind::Port),
    ("Brackenridge", PlaceKind::Farm),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Village,
    Port,
    Town,
    Farm,
    Manor,
    Abbey,
    Mill,
}

impl PlaceKind {
    /// How the narration names the kind: "the port of Calderwick".
    pub fn noun(self) -> &'static str {
        match self {
            PlaceKind::Village => "village",
            PlaceKind::Port => "port",
            PlaceKind::Town => "town",
            PlaceKind::Farm => "farm",
            PlaceKind::Manor => "manor",
            PlaceKind::Abbey => "abbey",
            PlaceKind::Mill => "mill",
        }
    }
}

/// Things people own, without their article (the narration writes "the silver locket").
/// The things of [`THINGS`] named by a plural noun: they take "were" and "them".
pub const PLURAL_THINGS: &[&str] = &["ivory chessmen"];

pub const THINGS: &[&str] = &[
    "silver locket",
    "brass compass",
    "green ledger",
    "pearl-handled knife",
    "walnut music box",
    "blue shawl",
    "sea chart",
    "ivory chessmen",
    "iron key",
    "copper kettle",
    "leather-bound atlas",
    "jade ring",
    "carved fiddle",
    "pocket watch",
    "tin soldier",
    "lace veil",
    "painted fan",
    "oak walking stick",
    "amber brooch",
    "glass inkwell",
    "velvet purse",
    "spyglass",
    "book of psalms",
    "wooden flute",
    "gilt mirror",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn no_word_of_one_list_is_a_word_of_another() {
        let mut seen: HashSet<String> = HashSet::new();
        let lists: Vec<Vec<&str>> = vec![
            GIVEN_FEMALE.to_vec(),
            GIVEN_MALE.to_vec(),
            FAMILY.to_vec(),
            NICKNAMES.to_vec(),
            PLACES.iter().map(|p| p.0).collect(),
        ];
        for list in &lists {
            for entry in list {
                assert!(seen.insert(entry.to_string()), "{entry} is listed twice");
            }
        }
        // A capitalised word of one name is never a whole other name.
        for list in &lists {
            for entry in list {
                for word in entry.split(' ') {
                    if word != *entry {
                        assert!(!seen.contains(word), "{word} of {entry} is a name");
                    }
                }
            }
        }
        for list in [ROLES, TRAITS, THINGS] {
            let unique: HashSet<&&str> = list.iter().collect();
            assert_eq!(unique.len(), list.len());
        }
        assert!(ROLES.len() >= 20 && NICKNAMES.len() >= 20 && THINGS.len() >= 20);
        // A thing whose head noun is a plural in -s or -men is plural ("chessmen"; not "book
        // of psalms", whose head is "book", nor "compass" or "atlas").
        for thing in THINGS {
            let head = thing.split(" of ").next().unwrap_or(thing);
            let noun = head.rsplit(' ').next().unwrap_or(head);
            let plural = noun.ends_with("men")
                || (noun.ends_with('s') && !noun.ends_with("ss") && !noun.ends_with("as"));
            assert_eq!(PLURAL_THINGS.contains(thing), plural, "{thing}");
        }
        assert!(PLURAL_THINGS.iter().all(|t| THINGS.contains(t)));
    }
}
