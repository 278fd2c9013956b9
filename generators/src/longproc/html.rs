//! HTML to TSV: the HTML source of a synthetic but realistic web page (site header and
//! navigation, breadcrumbs, advertisements, a sidebar, a footer) listing entities of one topic
//! (products, restaurants, books or events, all invented); the answer is a TSV table of the
//! requested fields of every listed entity, optionally only those meeting a condition, in a
//! ```` ```tsv ```` block whose first line is the given header (LongProc's format; the original
//! uses real pages, with the header in the prompt's `tsv_header`).
//!
//! The listing is cut into sections, each marked up in its own way, so the same field sits in a
//! `<td>`, a `<span class="price">`, a `<dl><dt>Price</dt><dd>`, a nested list item or inline
//! text ("Price: $12.99"); every entity shows all of its topic's fields, requested or not, and a
//! value is written the same way wherever it appears. Sponsored entities of the same topic (in
//! ad slots marked "Sponsored") and sidebar links to entity names are on the page but not in
//! the listing, so the prompt says to leave them out; there is always at least one sponsored
//! entity.
//!
//! Dial `--noise` (0-0.6): the share of the listing's entities that fail the prompt's condition.
//! At 0 there is no condition (every listed entity is a row); above it the prompt states one
//! (a field equal to a value, a price under, a rating at least, a year before ...), and that
//! share of the listed entities is drawn to fail it.
//!
//! Size: gold rows are added until the table is estimated at the aimed length; the family
//! measures and re-aims. The page grows with the rows: about ten times the table's tokens without
//! noise (an 8k table sits in a page of 60-100k tokens), and by 1 / (1 - noise) with it.

use std::collections::HashSet;

use longforge_datasets::SeededRng;
use serde_json::{json, Map};

use super::places::Namer;
use super::{render_around, Instance, Level, Procedure};
use crate::GenerateError;

mod page;

use page::build_page;
#[cfg(test)]
use page::escape;

pub(crate) struct HtmlToTsv;

/// Draws of an entity before a condition is declared unmeetable (a bug: every condition is
/// chosen so both sides are likely).
const REDRAWS: usize = 10_000;

const PROMPT: &str = "\
You are given the HTML source of a web page from {{ site }} that lists {{ plural }}.

<Page>
{{ context }}
</Page>

Task: extract the {{ plural }} of the page's listing into a table, one row per {{ singular }}, in \
the order they appear on the page, with these columns: {{ columns }}.
{{ condition }}
Leave out everything that is not part of the listing: navigation, advertisements, sponsored \
{{ plural }} (in slots marked \"Sponsored\"), the sidebar's links and the footer.
Copy each value exactly as the page shows it (prices with their currency sign, dates and numbers \
as written), with HTML entities decoded (&amp; is &).

Write the table in TSV form (cells separated by one tab character) inside a ```tsv code block. \
The first line of the block is this header, exactly as given (tab-separated):
{{ header }}
Then one line per {{ singular }}. Write nothing else inside the block.
";

/// How a field's values compare, which decides the condition a prompt may state on it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Measure {
    /// A name: never a condition.
    Name,
    /// One of a few values: "whose City is Port Valmora".
    Category,
    /// Dollars: "whose Price is under $20".
    Money,
    /// Ratings and counts: "whose Rating is 4.0 or more".
    AtLeast,
    /// Years: "whose Year is before 1990".
    Year,
    /// Free text (addresses, phone numbers, dates): never a condition.
    Text,
}

struct Field {
    /// The column's name, as the header and the page's labels write it.
    label: &'static str,
    /// The CSS class the page marks the value with.
    class: &'static str,
    measure: Measure,
}

const fn field(label: &'static str, class: &'static str, measure: Measure) -> Field {
    Field {
        label,
        class,
        measure,
    }
}

struct Topic {
    plural: &'static str,
    singular: &'static str,
    /// The URL path of an entity page.
    path: &'static str,
    /// The first field is the entity's name, always requested.
    fields: &'static [Field],
    site_words: &'static [&'static str],
    sections: &'static [&'static str],
    nav: &'static [&'static str],
}

#[rustfmt::skip]
const TOPICS: &[Topic] = &[
    Topic {
        plural: "products",
        singular: "product",
        path: "product",
        fields: &[
            field("Name", "product-name", Measure::Name),
            field("Brand", "brand", Measure::Category),
            field("Category", "category", Measure::Category),
            field("Price", "price", Measure::Money),
            field("Rating", "rating", Measure::AtLeast),
            field("Reviews", "review-count", Measure::AtLeast),
        ],
        site_words: &["Market", "Store", "Outlet", "Depot", "Shop"],
        sections: &["Best sellers", "New arrivals", "Deals of the week", "Top rated", "Back in stock", "Staff picks", "More results"],
        nav: &["Home", "Kitchen", "Audio", "Outdoor", "Home office", "Deals", "Gift cards", "Help"],
    },
    Topic {
        plural: "restaurants",
        singular: "restaurant",
        path: "place",
        fields: &[
            field("Name", "venue-name", Measure::Name),
            field("Cuisine", "cuisine", Measure::Category),
            field("City", "city", Measure::Category),
            field("Address", "address", Measure::Text),
            field("Rating", "rating", Measure::AtLeast),
            field("Price level", "price-level", Measure::Category),
            field("Phone", "phone", Measure::Text),
        ],
        site_words: &["Eats", "Table", "Bites", "Dine", "Guide"],
        sections: &["Recommended", "Newly opened", "Open late", "Family friendly", "Local favourites", "More places"],
        nav: &["Home", "Restaurants", "Bars", "Cafés", "Delivery", "Reviews", "Write a review"],
    },
    Topic {
        plural: "books",
        singular: "book",
        path: "book",
        fields: &[
            field("Title", "book-title", Measure::Name),
            field("Author", "author", Measure::Text),
            field("Publisher", "publisher", Measure::Category),
            field("Year", "pub-year", Measure::Year),
            field("Pages", "page-count", Measure::AtLeast),
            field("Price", "price", Measure::Money),
        ],
        site_words: &["Books", "Reads", "Pages", "Library", "Bookshop"],
        sections: &["Bestsellers", "New releases", "Award winners", "Book club picks", "Paperback sale", "More titles"],
        nav: &["Home", "Fiction", "Non-fiction", "Children", "Ebooks", "Audiobooks", "Gift ideas"],
    },
    Topic {
        plural: "events",
        singular: "event",
        path: "event",
        fields: &[
            field("Event", "event-name", Measure::Name),
            field("Venue", "venue", Measure::Category),
            field("City", "city", Measure::Category),
            field("Date", "event-date", Measure::Text),
            field("Time", "event-time", Measure::Text),
            field("Ticket price", "ticket-price", Measure::Money),
        ],
        site_words: &["Tickets", "Live", "Events", "Nights", "Stage"],
        sections: &["This weekend", "Coming soon", "Just announced", "Selling fast", "Family events", "More events"],
        nav: &["Home", "Concerts", "Theatre", "Comedy", "Festivals", "Sports", "Venues", "Help"],
    },
];

#[rustfmt::skip]
const ADJECTIVES: &[&str] = &[
    "Silver", "Golden", "Quiet", "Crimson", "Velvet", "Hidden", "Bright", "Wild", "Little",
    "Northern", "Copper", "Amber", "Lucky", "Salt", "Blue", "Iron", "Paper", "Hollow", "Midnight",
    "Green", "Ancient", "Secret", "Winter", "Summer", "Broken", "Last", "Honest", "Clever",
];

#[rustfmt::skip]
const NOUNS: &[&str] = &[
    "Lantern", "Harbour", "Garden", "Fox", "Anchor", "Orchard", "Kettle", "Compass", "Sparrow",
    "River", "Lighthouse", "Meadow", "Feather", "Bridge", "Willow", "Table", "Crown", "Stone",
    "Window", "Clock", "Mirror", "Ladder", "Tide", "Falcon", "Ember", "Thistle", "Pepper",
];

/// Products by category: the category a product's noun belongs to.
#[rustfmt::skip]
const PRODUCTS: &[(&str, &[&str])] = &[
    ("Kitchen", &["Blender", "Kettle", "Toaster", "Stand Mixer", "Knife Set", "Coffee Grinder"]),
    ("Audio", &["Headphones", "Speaker", "Soundbar", "Earbuds", "Turntable", "Radio"]),
    ("Outdoor", &["Tent", "Lantern", "Backpack", "Sleeping Bag", "Camp Stove", "Water Filter"]),
    ("Home office", &["Desk Lamp", "Monitor Stand", "Office Chair", "Keyboard", "Webcam", "Notebook"]),
    ("Fitness", &["Yoga Mat", "Kettlebell", "Jump Rope", "Foam Roller", "Water Bottle", "Resistance Bands"]),
];

#[rustfmt::skip]
const CUISINES: &[&str] = &[
    "Italian", "Thai", "Mexican", "Japanese", "Indian", "Greek", "Korean", "French", "Lebanese",
    "Vietnamese", "Ethiopian", "Peruvian",
];

#[rustfmt::skip]
const EATERIES: &[&str] = &[
    "Bistro", "Kitchen", "Grill", "Diner", "Tavern", "Eatery", "Canteen", "Brasserie", "Noodle Bar",
];

const PRICE_LEVELS: &[&str] = &["Budget", "Moderate", "Upscale"];

#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Ada", "Bruno", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kira",
    "Luca", "Maren", "Nadia", "Oskar", "Priya", "Quinn", "Rosa", "Soren", "Talia", "Umar", "Vera",
    "Wren", "Yusuf", "Zoe",
];

#[rustfmt::skip]
const LAST_NAMES: &[&str] = &[
    "Abernathy", "Bellweather", "Castellan", "Dunmore", "Everhart", "Fairweather", "Grimsby",
    "Holloway", "Ivanova", "Jarrow", "Kettering", "Lindqvist", "Marchetti", "Northcott", "Okonkwo",
    "Pemberton", "Quillfeather", "Ravensworth", "Sandoval", "Thornbury", "Underhill", "Valcourt",
    "Whitlock", "Yardley",
];

#[rustfmt::skip]
const EVENT_KINDS: &[&str] = &[
    "Festival", "Concert", "Night", "Showcase", "Live", "Gala", "Tour", "Sessions", "Fair",
];

#[rustfmt::skip]
const EVENT_GENRES: &[&str] = &[
    "Jazz", "Folk", "Comedy", "Poetry", "Salsa", "Indie", "Film", "Opera", "Blues", "Food",
];

#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
];

#[rustfmt::skip]
const STREETS: &[&str] = &["Street", "Road", "Lane", "Avenue", "Square", "Row", "Place"];

/// Values drawn once per sample, shared by its entities, so conditions on them have matches.
struct Pools {
    brands: Vec<String>,
    cities: Vec<String>,
    publishers: Vec<String>,
    venues: Vec<String>,
}

impl Pools {
    fn draw(rng: &mut SeededRng) -> Pools {
        let mut namer = Namer::default();
        let mut words = |n: usize, suffixes: &[&str], rng: &mut SeededRng| -> Vec<String> {
            (0..n)
                .map(|_| {
                    let stem = namer.name(rng);
                    match suffixes {
                        [] => stem,
                        _ => format!("{stem} {}", rng.draw(suffixes)),
                    }
                })
                .collect()
        };
        Pools {
            brands: words(6, &[], rng),
            cities: words(5, &[], rng),
            publishers: words(5, &["Press", "Books", "House", "Publishing"], rng),
            venues: words(8, &["Hall", "Arena", "Theatre", "Club", "Park"], rng),
        }
    }
}

/// One entity: per field of its topic, the value as the page and the table write it.
#[derive(Debug, Clone)]
struct Entity {
    cells: Vec<String>,
}

fn money(cents: usize) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

fn rating(tenths: usize) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A count with thousands separators ("1,284").
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The random choices of one entity, before any of its values is written out. Most draws are
/// thrown away, failing or meeting the condition when the other was wanted (a condition on a
/// cuisine is met by one draw in twelve) or repeating a name, and writing out their values was
/// most of the cost of drawing; so a condition reads the choices ([`Draw::number`],
/// [`Draw::picked`]) and only a kept draw is written out ([`Draw::entity`]).
///
/// Each variant holds what its topic's fields are written from; a choice from a word list is
/// the word chosen.
#[derive(Debug, Clone, Copy)]
enum Draw<'p> {
    Product {
        category: &'static str,
        adjective: &'static str,
        noun: &'static str,
        series: &'static str,
        model: usize,
        brand: &'p str,
        cents: usize,
        tenths: usize,
        reviews: usize,
    },
    Restaurant {
        /// Which of the five name forms, and its words in the order they are drawn.
        name: (usize, [&'static str; 3]),
        cuisine: &'static str,
        city: &'p str,
        address: (usize, &'static str, &'static str),
        tenths: usize,
        price_level: &'static str,
        phone: (usize, usize),
    },
    Book {
        /// Which of the five title forms, and its words in the order they are drawn.
        title: (usize, [&'p str; 3]),
        author: (&'static str, &'static str),
        publisher: &'p str,
        year: usize,
        pages: usize,
        cents: usize,
    },
    Event {
        /// The first word, the genre, the kind and the sequel number.
        name: [&'static str; 4],
        venue: &'p str,
        city: &'p str,
        date: (&'static str, usize),
        time: (usize, usize, &'static str),
        cents: usize,
    },
}

impl<'p> Draw<'p> {
    /// Draws one entity of topic `t` (an index into [`TOPICS`]); names may repeat, the caller
    /// keeps them unique. The order of the draws from `rng` is part of every sample's bytes.
    fn new(t: usize, pools: &'p Pools, rng: &mut SeededRng) -> Draw<'p> {
        match t {
            0 => {
                let (category, nouns) = *rng.pick(PRODUCTS);
                let series = ["X", "S", "Pro ", "Mini ", "Max ", "V"][rng.below(6)];
                let model = rng.range(1, 99) * [1, 10][rng.below(2)];
                Draw::Product {
                    category,
                    series,
                    model,
                    adjective: rng.draw(ADJECTIVES),
                    noun: rng.draw(nouns),
                    brand: rng.pick(&pools.brands).as_str(),
                    cents: rng.range(5, 300) * 100 + [99, 49, 0, 95][rng.below(4)],
                    tenths: rng.range(20, 50),
                    reviews: rng.range(3, 9000),
                }
            }
            1 => {
                let form = rng.below(5);
                let words = match form {
                    0 => [rng.draw(ADJECTIVES), rng.draw(NOUNS), ""],
                    1 => [rng.draw(FIRST_NAMES), rng.draw(NOUNS), ""],
                    2 => [rng.draw(NOUNS), rng.draw(NOUNS), ""],
                    3 => [rng.draw(ADJECTIVES), rng.draw(NOUNS), rng.draw(EATERIES)],
                    _ => [rng.draw(NOUNS), "", ""],
                };
                Draw::Restaurant {
                    name: (form, words),
                    cuisine: rng.draw(CUISINES),
                    city: rng.pick(&pools.cities).as_str(),
                    address: (rng.range(1, 240), rng.draw(LAST_NAMES), rng.draw(STREETS)),
                    tenths: rng.range(20, 50),
                    price_level: rng.draw(PRICE_LEVELS),
                    phone: (rng.range(100, 999), rng.below(10_000)),
                }
            }
            2 => {
                let form = rng.below(5);
                let words: [&'p str; 3] = match form {
                    0 => [rng.draw(NOUNS), rng.pick(&pools.cities).as_str(), ""],
                    1 => [rng.draw(FIRST_NAMES), rng.draw(ADJECTIVES), rng.draw(NOUNS)],
                    2 => [rng.draw(ADJECTIVES), rng.draw(NOUNS), ""],
                    3 => [rng.draw(NOUNS), rng.draw(FIRST_NAMES), ""],
                    _ => [rng.draw(ADJECTIVES), rng.draw(NOUNS), ""],
                };
                let year = rng.range(1950, 2025);
                Draw::Book {
                    title: (form, words),
                    year,
                    author: (rng.draw(FIRST_NAMES), rng.draw(LAST_NAMES)),
                    publisher: rng.pick(&pools.publishers).as_str(),
                    pages: rng.range(96, 880),
                    cents: rng.range(6, 45) * 100 + [99, 50, 0, 95][rng.below(4)],
                }
            }
            _ => {
                let hour = rng.range(1, 11);
                let lead = [rng.draw(ADJECTIVES), rng.draw(NOUNS)][rng.below(2)];
                Draw::Event {
                    name: [
                        lead,
                        rng.draw(EVENT_GENRES),
                        rng.draw(EVENT_KINDS),
                        ["", "", "", "", "", " II", " III", " IV", " V", " VI"][rng.below(10)],
                    ],
                    venue: rng.pick(&pools.venues).as_str(),
                    city: rng.pick(&pools.cities).as_str(),
                    date: (rng.draw(MONTHS), rng.range(1, 28)),
                    time: (hour, rng.below(4) * 15, ["AM", "PM", "PM"][rng.below(3)]),
                    cents: rng.range(5, 150) * 100 + [0, 50][rng.below(2)],
                }
            }
        }
    }

    /// The entity as the page and the table write it.
    fn entity(&self) -> Entity {
        let cells = match *self {
            Draw::Product {
                category,
                adjective,
                noun,
                series,
                model,
                brand,
                cents,
                tenths,
                reviews,
            } => vec![
                format!("{adjective} {noun} {series}{model}"),
                brand.to_string(),
                category.to_string(),
                money(cents),
                rating(tenths),
                count(reviews),
            ],
            Draw::Restaurant {
                name: (form, [a, b, c]),
                cuisine,
                city,
                address: (number, street_name, street),
                tenths,
                price_level,
                phone: (exchange, line),
            } => vec![
                match form {
                    0 => format!("The {a} {b}"),
                    1 => format!("{a}'s {b}"),
                    2 => format!("{a} & {b}"),
                    3 => format!("{a} {b} {c}"),
                    _ => format!("Café {a}"),
                },
                cuisine.to_string(),
                city.to_string(),
                format!("{number} {street_name} {street}"),
                rating(tenths),
                price_level.to_string(),
                format!("(555) {exchange:03}-{line:04}"),
            ],
            Draw::Book {
                title: (form, [a, b, c]),
                author: (first, last),
                publisher,
                year,
                pages,
                cents,
            } => vec![
                match form {
                    0 => format!("The {a} of {b}"),
                    1 => format!("{a} and the {b} {c}"),
                    2 => format!("{a} {b}s"),
                    3 => format!("A {a} for {b}"),
                    _ => format!("The {a} {b}"),
                },
                format!("{first} {last}"),
                publisher.to_string(),
                year.to_string(),
                count(pages),
                money(cents),
            ],
            Draw::Event {
                name: [lead, genre, kind, sequel],
                venue,
                city,
                date: (month, day),
                time: (hour, minute, half),
                cents,
            } => vec![
                format!("{lead} {genre} {kind}{sequel}"),
                venue.to_string(),
                city.to_string(),
                format!("{month} {day}, 2026"),
                format!("{hour}:{minute:02} {half}"),
                money(cents),
            ],
        };
        Entity { cells }
    }

    /// Field `f`'s number when it is measured: a price in dollars, a rating, a count, a year.
    fn number(&self, f: usize) -> Option<f64> {
        let dollars = |cents: usize| Some(cents as f64 / 100.0);
        let tenths = |tenths: usize| Some(tenths as f64 / 10.0);
        match (*self, f) {
            (Draw::Product { cents, .. }, 3) => dollars(cents),
            (Draw::Product { tenths: t, .. }, 4) | (Draw::Restaurant { tenths: t, .. }, 4) => {
                tenths(t)
            }
            (Draw::Product { reviews, .. }, 5) => Some(reviews as f64),
            (Draw::Book { year, .. }, 3) => Some(year as f64),
            (Draw::Book { pages, .. }, 4) => Some(pages as f64),
            (Draw::Book { cents, .. }, 5) | (Draw::Event { cents, .. }, 5) => dollars(cents),
            _ => None,
        }
    }

    /// Field `f`'s value when it is a word drawn from a list as it is (a brand, a city, a
    /// cuisine): what a condition that a field equals a value compares.
    fn picked(&self, f: usize) -> Option<&'p str> {
        match (*self, f) {
            (Draw::Product { brand, .. }, 1) => Some(brand),
            (Draw::Product { category, .. }, 2) => Some(category),
            (Draw::Restaurant { cuisine, .. }, 1) => Some(cuisine),
            (Draw::Restaurant { city, .. }, 2) | (Draw::Event { city, .. }, 2) => Some(city),
            (Draw::Restaurant { price_level, .. }, 5) => Some(price_level),
            (Draw::Book { publisher, .. }, 2) => Some(publisher),
            (Draw::Event { venue, .. }, 1) => Some(venue),
            _ => None,
        }
    }
}

/// The prompt's condition on one field.
#[derive(Debug, Clone)]
enum Condition {
    Equals { field: usize, value: String },
    Under { field: usize, limit: f64 },
    AtLeast { field: usize, limit: f64 },
    Before { field: usize, year: f64 },
}

impl Condition {
    fn holds(&self, d: &Draw) -> bool {
        let number = |f: usize| d.number(f).unwrap_or(f64::NAN);
        match self {
            Condition::Equals { field, value } => match d.picked(*field) {
                Some(picked) => picked == value,
                None => &d.entity().cells[*field] == value,
            },
            Condition::Under { field, limit } => number(*field) < *limit,
            Condition::AtLeast { field, limit } => number(*field) >= *limit,
            Condition::Before { field, year } => number(*field) < *year,
        }
    }

    fn sentence(&self, topic: &Topic) -> String {
        let label = |f: &usize| topic.fields[*f].label;
        let tail = match self {
            Condition::Equals { field, value } => format!("whose {} is {value}", label(field)),
            Condition::Under { field, limit } => {
                format!("whose {} is under ${limit}", label(field))
            }
            Condition::AtLeast { field, limit } if topic.fields[*field].label == "Rating" => {
                format!("whose {} is {limit:.1} or more", label(field))
            }
            Condition::AtLeast { field, limit } => {
                format!(
                    "whose {} is {} or more",
                    label(field),
                    count(*limit as usize)
                )
            }
            Condition::Before { field, year } => format!("whose {} is before {year}", label(field)),
        };
        format!(
            "Include only the {} {tail}; leave the others out.",
            topic.plural
        )
    }

    /// A condition on a measured field of `topic`, with a limit that about a third to two
    /// thirds of drawn entities meet, or a category value that a few of them have.
    fn draw(t: usize, rng: &mut SeededRng, pools: &Pools) -> Condition {
        let topic = &TOPICS[t];
        let choices: Vec<usize> = (0..topic.fields.len())
            .filter(|&f| !matches!(topic.fields[f].measure, Measure::Name | Measure::Text))
            .collect();
        let field = rng.draw(&choices);
        // A sample entity shows the field's values.
        let example = Draw::new(t, pools, rng).entity();
        match topic.fields[field].measure {
            Measure::Money => {
                let limit = match t {
                    0 => rng.draw(&[50.0, 75.0, 100.0, 150.0]),
                    2 => rng.draw(&[15.0, 20.0, 25.0, 30.0]),
                    _ => rng.draw(&[30.0, 50.0, 75.0]),
                };
                Condition::Under { field, limit }
            }
            Measure::AtLeast => {
                let limit = match topic.fields[field].label {
                    "Rating" => rng.draw(&[3.0, 3.5, 4.0]),
                    "Pages" => rng.draw(&[300.0, 400.0, 500.0]),
                    _ => rng.draw(&[1000.0, 2500.0, 5000.0]),
                };
                Condition::AtLeast { field, limit }
            }
            Measure::Year => Condition::Before {
                field,
                year: rng.draw(&[1970.0, 1980.0, 1990.0, 2000.0]),
            },
            _ => Condition::Equals {
                field,
                value: example.cells[field].clone(),
            },
        }
    }
}

/// About how many cl100k tokens a TSV line is: letters merge into words, digits into short
/// groups, and tabs and punctuation are mostly a token each (fitted on generated tables, within
/// about 8%; the family measures the real count and re-aims).
fn estimate_tokens(line: &str) -> f64 {
    line.chars()
        .map(|c| match c {
            c if c.is_alphabetic() => 0.14,
            c if c.is_ascii_digit() => 0.29,
            '\t' | '\n' => 1.65,
            ' ' => 0.7,
            _ => 1.22,
        })
        .sum()
}

/// A TSV line: the requested cells of `e`.
fn row(e: &Entity, columns: &[usize]) -> String {
    columns
        .iter()
        .map(|&f| e.cells[f].as_str())
        .collect::<Vec<_>>()
        .join("\t")
}

/// One entity on the page: listed (and whether it meets the condition) or sponsored.
struct Placed {
    entity: Entity,
    listed: bool,
    gold: bool,
}

impl Procedure for HtmlToTsv {
    fn instance(
        &self,
        noise: f64,
        aim: f64,
        _level: Level,
        rng: &mut SeededRng,
    ) -> Result<Instance, GenerateError> {
        let t = rng.below(TOPICS.len());
        let topic = &TOPICS[t];
        let pools = Pools::draw(rng);
        // The name and two to four other fields, in the topic's order.
        let mut others: Vec<usize> = (1..topic.fields.len()).collect();
        rng.shuffle(&mut others);
        others.truncate(rng.range(2, 4));
        others.sort_unstable();
        let mut columns = vec![0];
        columns.extend(others);
        let header = columns
            .iter()
            .map(|&f| topic.fields[f].label)
            .collect::<Vec<_>>()
            .join("\t");
        let condition = (noise > 0.0).then(|| Condition::draw(t, rng, &pools));

        let mut names: HashSet<String> = HashSet::new();
        let mut fresh = |want: Option<bool>,
                         rng: &mut SeededRng|
         -> Result<Entity, GenerateError> {
            for _ in 0..REDRAWS {
                let d = Draw::new(t, &pools, rng);
                let fits = match (&condition, want) {
                    (Some(c), Some(w)) => c.holds(&d) == w,
                    _ => true,
                };
                if fits {
                    let e = d.entity();
                    if names.insert(e.cells[0].clone()) {
                        return Ok(e);
                    }
                }
            }
            Err(GenerateError::param(
                    "levels",
                    format!(
                    "html-to-tsv: ran out of fresh {} names meeting the condition; use a smaller level or less --noise",
                    topic.singular
                ),
                ))
        };
        // Gold rows until the table reaches the aimed length.
        let mut tokens = estimate_tokens(&header) + 8.0;
        let mut gold = Vec::new();
        while gold.is_empty() || tokens < aim {
            let e = fresh(Some(true), rng)?;
            tokens += estimate_tokens(&row(&e, &columns)) + 1.7;
            gold.push(e);
        }
        let failing = (gold.len() as f64 * noise / (1.0 - noise)).round() as usize;
        let mut listing: Vec<Placed> = gold
            .into_iter()
            .map(|entity| Placed {
                entity,
                listed: true,
                gold: true,
            })
            .collect();
        for _ in 0..failing {
            listing.push(Placed {
                entity: fresh(Some(false), rng)?,
                listed: true,
                gold: false,
            });
        }
        rng.shuffle(&mut listing);
        // Sponsored entities: one per ten listed, at least one, each placed before a listed one.
        let sponsored = (listing.len() / 10).max(1);
        for _ in 0..sponsored {
            let at = rng.below(listing.len() + 1);
            let entity = fresh(None, rng)?;
            listing.insert(
                at,
                Placed {
                    entity,
                    listed: false,
                    gold: false,
                },
            );
        }

        let site = format!(
            "{} {}",
            Namer::default().name(rng),
            rng.draw(topic.site_words)
        );
        let built = build_page(topic, &site, &listing, rng);
        let gold_rows: Vec<String> = listing
            .iter()
            .filter(|p| p.gold)
            .map(|p| row(&p.entity, &columns))
            .collect();
        let all_rows: Vec<String> = listing.iter().map(|p| row(&p.entity, &columns)).collect();
        let output = format!("```tsv\n{header}\n{}\n```", gold_rows.join("\n"));
        let labels: Vec<&str> = columns.iter().map(|&f| topic.fields[f].label).collect();
        let condition_text = match &condition {
            Some(c) => c.sentence(topic),
            None => format!("Include every {} of the listing.", topic.singular),
        };
        let prompt = render_around(
            PROMPT,
            "context",
            &built.page.html,
            json!({
                "site": site,
                "plural": topic.plural,
                "singular": topic.singular,
                "columns": labels.join(", "),
                "condition": condition_text,
                "header": header,
            }),
        )?;
        let mut meta = Map::new();
        meta.insert("topic".into(), json!(topic.plural));
        meta.insert("header".into(), json!(labels));
        meta.insert(
            "condition".into(),
            json!(condition.as_ref().map(|c| c.sentence(topic))),
        );
        meta.insert("rows".into(), json!(gold_rows.len()));
        meta.insert(
            "listed".into(),
            json!(listing.iter().filter(|p| p.listed).count()),
        );
        meta.insert("sponsored".into(), json!(sponsored));
        meta.insert("layouts".into(), json!(built.layouts));
        Ok(Instance {
            question: format!(
                "Extract the {} of the listing as a table: {}. {condition_text}",
                topic.plural,
                labels.join(", ")
            ),
            context: Some(built.page.html),
            prompt,
            output,
            kind: "tsv",
            meta,
            evidence: built.evidence,
            // Random: one row more than the gold table, drawn from the rows of every entity on
            // the page (listed or sponsored, meeting the condition or not), so a draw is never
            // the gold table by luck; shortcut: every entity on the page, a reader who ignores
            // the condition and the ads.
            baseline: json!({
                "candidates": all_rows,
                "picks": gold_rows.len() + 1,
                "shortcut": all_rows,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(noise: f64, aim: f64, seed: u64) -> Instance {
        HtmlToTsv
            .instance(noise, aim, Level(2000), &mut SeededRng::new(seed))
            .unwrap()
    }

    /// Reads every listed entity's cells back from the page by its markup: the rows a reader
    /// following the prompt writes, before the condition.
    #[test]
    fn every_gold_row_is_on_the_page_and_the_evidence_points_at_it() {
        for seed in 0..24 {
            let noise = [0.0, 0.3, 0.6][seed as usize % 3];
            let inst = make(noise, 400.0, seed);
            let page = inst.context.as_deref().unwrap();
            let block = inst.output.strip_prefix("```tsv\n").unwrap();
            let block = block.strip_suffix("\n```").unwrap();
            let mut lines = block.lines();
            let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
            assert_eq!(inst.meta["header"], json!(header));
            let rows: Vec<&str> = lines.collect();
            assert_eq!(rows.len(), inst.meta["rows"].as_u64().unwrap() as usize);
            assert_eq!(inst.evidence.len(), rows.len());
            for (row, e) in rows.iter().zip(&inst.evidence) {
                let text: String = page
                    .chars()
                    .skip(e.char_start)
                    .take(e.char_end - e.char_start)
                    .collect();
                assert_eq!(text, e.text);
                for cell in row.split('\t') {
                    assert!(
                        e.text.contains(&escape(cell)),
                        "{seed}: {cell} not in {}",
                        e.text
                    );
                }
            }
            // The condition is stated exactly when there is noise; listed entities outnumber
            // the rows by the noise's share; there is always a sponsored entity.
            assert_eq!(inst.meta["condition"].is_null(), noise == 0.0);
            let listed = inst.meta["listed"].as_u64().unwrap() as f64;
            let expected = rows.len() as f64 / (1.0 - noise);
            assert!((listed - expected).abs() <= 1.0, "{listed} vs {expected}");
            assert!(inst.meta["sponsored"].as_u64().unwrap() >= 1);
            assert!(page.contains("Sponsored"));
            assert!(inst.prompt.contains(page));
            let picks = inst.baseline["picks"].as_u64().unwrap() as usize;
            assert_eq!(picks, rows.len() + 1);
            assert!(inst.baseline["candidates"].as_array().unwrap().len() >= picks);
        }
    }

    #[test]
    fn conditions_split_the_listing_and_the_rows_meet_them() {
        for seed in 0..40 {
            let mut rng = SeededRng::new(seed);
            let t = seed as usize % TOPICS.len();
            let pools = Pools::draw(&mut rng);
            let c = Condition::draw(t, &mut rng, &pools);
            let meeting = (0..400)
                .filter(|_| c.holds(&Draw::new(t, &pools, &mut rng)))
                .count();
            assert!(
                (10..=390).contains(&meeting),
                "{c:?} met by {meeting} of 400"
            );
            assert!(c.sentence(&TOPICS[t]).starts_with("Include only the "));
        }
    }

    #[test]
    fn more_aim_makes_more_rows_and_the_same_seed_the_same_page() {
        let rows = |i: &Instance| i.meta["rows"].as_u64().unwrap();
        assert!(rows(&make(0.3, 2000.0, 5)) > 4 * rows(&make(0.3, 300.0, 5)));
        let (a, b) = (make(0.3, 500.0, 9), make(0.3, 500.0, 9));
        assert_eq!((a.prompt, a.output), (b.prompt, b.output));
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(7), "7");
        assert_eq!(count(1284), "1,284");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
