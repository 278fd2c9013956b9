//! English filler prose: seeded, unlimited, and free of licence questions.
//!
//! A paragraph keeps to one topic and draws its sentences from many shapes, each slot filled from
//! that topic's words or from a shared stock. The space of paragraphs is far larger than a
//! million-token context needs, and the builder still refuses a repeated paragraph. There are no
//! person names and no digits in the output, so needles built from names and numbers cannot be
//! answered from the filler.

use longforge_datasets::SeededRng;

pub(crate) struct Topic {
    pub nouns: &'static [&'static str],
    pub places: &'static [&'static str],
    pub verbs: &'static [&'static str],
}

#[rustfmt::skip]
pub(crate) const TOPICS: &[Topic] = &[
    Topic {
        // rivers and landscapes
        nouns: &["river", "valley", "delta", "floodplain", "meander", "gravel bar", "oxbow lake", "estuary", "levee", "tributary", "sandbank", "watershed"],
        places: &["along the lower reaches", "below the old ford", "near the confluence", "across the wide plain", "beneath the limestone cliffs", "at the edge of the marsh"],
        verbs: &["shifts", "erodes", "deposits silt", "floods in spring", "narrows", "widens", "freezes at the margins", "changes course"],
    },
    Topic {
        // bread and kitchens
        nouns: &["dough", "sourdough starter", "oven", "crust", "rye loaf", "proofing basket", "flour", "kneading table", "bakehouse", "hearth", "yeast culture", "flatbread"],
        places: &["in the village bakery", "behind the market hall", "in a farmhouse kitchen", "at the harbour stalls", "inside the monastery walls", "on the winter feast days"],
        verbs: &["rises slowly", "needs patience", "browns evenly", "keeps for days", "sours overnight", "cracks when cooled", "absorbs water", "softens with steam"],
    },
    Topic {
        // ships and harbours
        nouns: &["schooner", "harbour wall", "cargo hold", "anchor chain", "tide table", "lighthouse", "rigging", "dry dock", "ferry", "pilot boat", "breakwater", "mooring line"],
        places: &["beyond the breakwater", "in the sheltered bay", "off the rocky headland", "along the shipping lane", "at the fishing quay", "through the narrow strait"],
        verbs: &["waits for the tide", "takes on water", "rides at anchor", "sails before dawn", "needs caulking", "turns into the wind", "drifts in the fog", "unloads timber"],
    },
    Topic {
        // the night sky
        nouns: &["telescope", "comet", "eclipse", "star chart", "observatory", "meteor shower", "nebula", "planet", "moonrise", "constellation", "lens", "horizon"],
        places: &["above the northern hills", "from the observatory dome", "in the clear winter air", "far from the city lights", "over the desert plateau", "near the southern horizon"],
        verbs: &["fades before dawn", "appears each autumn", "wobbles in the eyepiece", "brightens slowly", "crosses the meridian", "hides behind clouds", "rewards patience", "moves against the stars"],
    },
    Topic {
        // music and instruments
        nouns: &["violin", "choir", "tuning fork", "organ pipe", "drum skin", "melody", "chord", "concert hall", "bow", "score", "rehearsal", "harmony"],
        places: &["in the rehearsal room", "under the vaulted ceiling", "at the summer festival", "in the conservatory", "beside the bandstand", "during the evening service"],
        verbs: &["falls out of tune", "resonates warmly", "carries across the hall", "needs new strings", "swells and fades", "settles into rhythm", "echoes twice", "softens the mood"],
    },
    Topic {
        // farming
        nouns: &["orchard", "barley field", "hay barn", "irrigation ditch", "plough", "seed drill", "vineyard", "pasture", "grain store", "hedgerow", "beehive", "threshing floor"],
        places: &["on the terraced slopes", "in the lower pasture", "behind the stone wall", "beside the millpond", "across the fallow field", "near the farm gate"],
        verbs: &["needs rain", "ripens late", "yields well", "suffers in drought", "is harvested by hand", "recovers after frost", "attracts starlings", "rests for a season"],
    },
    Topic {
        // building and stone
        nouns: &["arch", "buttress", "mortar", "timber frame", "slate roof", "scaffold", "cornerstone", "vault", "stairwell", "facade", "chimney stack", "bell tower"],
        places: &["in the old quarter", "along the cathedral close", "on the hillside terrace", "around the market square", "inside the guild hall", "near the town gate"],
        verbs: &["settles over time", "needs repointing", "bears the load", "weathers gracefully", "leans slightly", "keeps out the rain", "was rebuilt after the fire", "casts a long shadow"],
    },
    Topic {
        // weather
        nouns: &["storm front", "drizzle", "frost", "thunderhead", "sea breeze", "hailstorm", "mist", "barometer", "snowdrift", "heatwave", "rain gauge", "weather vane"],
        places: &["over the coastal towns", "in the mountain passes", "across the moorland", "along the river valley", "above the salt flats", "on the exposed ridge"],
        verbs: &["arrives without warning", "lingers until noon", "clears by evening", "drops the temperature", "bends the reeds", "soaks the fields", "lifts slowly", "turns the sky grey"],
    },
    Topic {
        // textiles
        nouns: &["loom", "wool", "linen", "dye vat", "spindle", "tapestry", "thread", "weaving shed", "indigo", "pattern book", "fleece", "shuttle"],
        places: &["in the weavers' street", "by the fulling mill", "at the cloth market", "in a draughty attic", "along the drying racks", "near the dye works"],
        verbs: &["holds its colour", "frays at the edge", "shrinks when washed", "takes weeks to finish", "softens with wear", "shines in sunlight", "tangles easily", "needs careful tension"],
    },
    Topic {
        // forests
        nouns: &["oak", "beech grove", "fern", "moss", "woodpecker", "clearing", "undergrowth", "pine resin", "fallen log", "canopy", "fungus", "deer track"],
        places: &["deep in the old forest", "along the woodland path", "at the forest edge", "in the shaded ravine", "on the north-facing slope", "beside the charcoal pits"],
        verbs: &["grows slowly", "shelters wildlife", "drops its leaves", "thrives in shade", "rots quietly", "regenerates after fire", "smells of rain", "muffles every sound"],
    },
    Topic {
        // libraries and paper
        nouns: &["manuscript", "catalogue", "reading room", "bookbinding", "parchment", "archive box", "ink", "index card", "shelf mark", "marginal note", "press", "folio"],
        places: &["in the reading room", "beneath the reading lamps", "in the rare books vault", "along the upper gallery", "at the circulation desk", "in the conservation studio"],
        verbs: &["yellows with age", "needs rebinding", "was misfiled for years", "rewards close reading", "smells of dust", "survived the flood", "is copied by hand", "resists easy summary"],
    },
    Topic {
        // markets and trade
        nouns: &["spice stall", "ledger", "scale", "caravan", "warehouse", "coin", "bargain", "market bell", "salt merchant", "toll bridge", "wool bale", "price list"],
        places: &["at the crossroads market", "inside the covered bazaar", "along the caravan route", "by the river wharf", "at the autumn fair", "in the counting house"],
        verbs: &["changes hands quickly", "sets the price", "draws a crowd", "depends on the harvest", "is taxed at the gate", "travels for weeks", "spoils in the heat", "keeps careful accounts"],
    },
];

#[rustfmt::skip]
const ADJECTIVES: &[&str] = &["quiet", "ancient", "narrow", "busy", "weathered", "gentle", "remote", "crowded", "humble", "sturdy", "fragile", "curious", "patient", "restless", "modest", "familiar", "unusual", "careful", "broad", "faded", "bright", "heavy", "subtle", "sheltered"];
#[rustfmt::skip]
const ADVERBS: &[&str] = &["slowly", "often", "rarely", "quietly", "steadily", "sometimes", "usually", "gradually", "surprisingly", "almost always", "seldom", "eventually"];
#[rustfmt::skip]
const OBSERVERS: &[&str] = &["travellers", "local guides", "older residents", "visiting scholars", "the apprentices", "seasonal workers", "careful observers", "most newcomers", "the record keepers", "children", "the surveyors", "pilgrims"];
#[rustfmt::skip]
const TIMES: &[&str] = &["in early spring", "at the end of summer", "during long winters", "after heavy rain", "on market days", "at first light", "late in the evening", "in a dry year", "over many generations", "within a single season", "before the harvest", "after the thaw"];
#[rustfmt::skip]
const CONNECTIVES: &[&str] = &["Even so", "In practice", "For this reason", "At the same time", "Over the years", "By contrast", "In most accounts", "As a rule", "Curiously", "Not surprisingly", "Meanwhile", "Later"];

/// One sentence shape; `{n}` a topic noun, `{m}` another, `{p}` a place phrase, `{v}` a verb
/// phrase, `{a}` an adjective, `{d}` an adverb, `{o}` observers, `{t}` a time, `{c}` a connective.
#[rustfmt::skip]
const SHAPES: &[&str] = &["The {a} {n} {p} {v} {t}.", "{C}, the {n} {d} {v}.", "{O} say that the {n} {v} {t}.", "Nobody expected the {n} to matter so much to the {m}.", "{C}, {o} noticed that the {a} {n} {v}.", "A {a} {n} {p} is {d} mistaken for a {m}.", "{T}, the {n} {v} and the {m} {w}.", "What makes the {n} {a} is how it {v} {t}.", "Few records describe the {n} {p}, though {o} remember it well.", "The {m} and the {n} {d} share the same fate {p}.", "If the {n} {v}, the {m} soon follows.", "{O} {d} compare the {n} to a {a} {m}.", "It is said that every {n} {p} {v} {t}.", "Between the {n} and the {m} lies a {a} stretch of ground.", "The story of the {n} is {d} told {t}.", "{C}, a {a} {m} {w} {p}.", "Those who know the {n} best describe it as {a} and {b}.", "Whenever the {m} {w}, the {n} {d} {v}.", "There is a {a} {n} {p} that {o} still visit {t}.", "Questions about the {n} {d} lead back to the {m}."];

/// Produces paragraphs, each a list of sentences, forever.
pub(crate) struct EnglishProse {
    rng: SeededRng,
}

impl EnglishProse {
    pub fn new(seed: u64) -> Self {
        EnglishProse {
            rng: SeededRng::new(seed),
        }
    }

    pub fn next_paragraph(&mut self) -> Vec<String> {
        let topic = self.rng.pick(TOPICS);
        let sentences = self.rng.range(4, 8);
        (0..sentences).map(|_| self.sentence(topic)).collect()
    }

    /// A topic noun not already in the sentence, so "the oven" is not compared to "an oven".
    fn other_noun(&mut self, topic: &Topic, so_far: &str) -> &'static str {
        loop {
            let noun = self.rng.pick(topic.nouns);
            if !so_far.contains(noun) {
                return noun;
            }
        }
    }

    fn word(&mut self, words: &'static [&'static str]) -> &'static str {
        self.rng.draw(words)
    }

    fn sentence(&mut self, topic: &Topic) -> String {
        let shape = self.rng.pick(SHAPES);
        super::shape::fill(shape, |key, so_far| match key {
            'n' => self.word(topic.nouns),
            'm' => self.other_noun(topic, so_far),
            'p' => self.word(topic.places),
            'v' | 'w' => self.word(topic.verbs),
            'a' | 'b' => self.word(ADJECTIVES),
            'd' => self.word(ADVERBS),
            'o' | 'O' => self.word(OBSERVERS),
            't' | 'T' => self.word(TIMES),
            _ => self.word(CONNECTIVES),
        })
    }
}
