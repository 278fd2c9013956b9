//! Events and people told as paragraphs of a novel.
//!
//! Each event of the world becomes exactly one paragraph that names its place and every one
//! taking part, so a claim's evidence is a paragraph a reader can point to. People are referred
//! to the way novels do: the first mention in a paragraph by full name, given name, nickname or
//! occupation ("the apothecary"), later ones by pronoun where no one else in the paragraph
//! shares it, else by given name. Claims name people in full, and a given name, nickname or
//! occupation is tied to the full name only by the person's introduction, so the claims built
//! on a paragraph count the introductions of those it never names in full as evidence too.

use longforge_datasets::SeededRng;

use super::grammar::{capitalised, fill};
use super::world::{Happening, PersonId, RelationKind, Thing, World};

/// How a person is first named in a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Full,
    Given,
    Nickname,
    Role,
}

/// The people of one paragraph, each with the slot letter templates name them by.
struct Mentions<'w> {
    world: &'w World,
    /// `(slot, person, first-mention style)`.
    slots: Vec<(&'static str, PersonId, Style)>,
    /// Everyone the paragraph names, slot or not: pronouns must not be ambiguous among them.
    named: Vec<PersonId>,
}

impl<'w> Mentions<'w> {
    fn new(world: &'w World) -> Self {
        Mentions {
            world,
            slots: Vec::new(),
            named: Vec::new(),
        }
    }

    /// Gives `person` the slot `slot`, first named in a style drawn from `rng` (`direct`: by
    /// name only).
    fn add(&mut self, rng: &mut SeededRng, slot: &'static str, person: PersonId, direct: bool) {
        let style = if direct {
            if rng.chance(0.6) {
                Style::Full
            } else {
                Style::Given
            }
        } else {
            match rng.below(20) {
                0..=6 => Style::Full,
                7..=12 => Style::Given,
                13..=15 => Style::Nickname,
                _ => Style::Role,
            }
        };
        self.slots.push((slot, person, style));
        self.named.push(person);
    }

    /// Someone named by full name outside any slot (the thief in a revelation).
    fn name_only(&mut self, person: PersonId) {
        self.named.push(person);
    }

    fn pronoun_ok(&self, person: PersonId) -> bool {
        let g = self.world.people[person].gender;
        !self
            .named
            .iter()
            .any(|&o| o != person && self.world.people[o].gender == g)
    }

    /// The value of a slot key: `a` (first mention), `a_s` (first mention, possessive), `a_he`,
    /// `a_him`, `a_his`, `a_self` (later mentions), `a_given`, `a_full`.
    fn value(&self, key: &str) -> Option<String> {
        let (slot, form) = key.split_once('_').unwrap_or((key, ""));
        let &(_, person, style) = self.slots.iter().find(|s| s.0 == slot)?;
        let p = &self.world.people[person];
        let pronoun = self.pronoun_ok(person);
        let first = match style {
            Style::Full => p.full_name(),
            Style::Given => p.given.to_string(),
            Style::Nickname => p.nickname.to_string(),
            Style::Role => format!("the {}", p.role),
        };
        Some(match form {
            "" => first,
            "s" => possessive(&first),
            "he" if pronoun => p.gender.subject().into(),
            "him" if pronoun => p.gender.object().into(),
            "his" if pronoun => p.gender.possessive().into(),
            "he" | "him" | "given" => p.given.into(),
            "his" => possessive(p.given),
            "self" => format!("{}self", p.gender.object()),
            "full" => p.full_name(),
            "noun" => p.gender.noun().into(),
            _ => return None,
        })
    }
}

/// `Silas's`, `the miller's`.
pub fn possessive(name: &str) -> String {
    format!("{name}'s")
}

/// The paragraph that tells event `index` of `world`, in one of the ways of its kind drawn from
/// `rng` (a book draws again if it repeats an earlier paragraph).
pub fn event_paragraph(world: &World, index: usize, rng: &mut SeededRng) -> String {
    let event = &world.events[index];
    let mut m = Mentions::new(world);
    let place = world.places[event.place].name.to_string();
    let mut extra: Vec<(&'static str, String)> = vec![("place", place)];
    let templates: &[&str] = match event.what {
        Happening::Journey { who, from, to } => {
            m.add(rng, "a", who, false);
            extra.push(("from", world.places[from].name.into()));
            extra.push(("to", world.places[to].name.into()));
            JOURNEY
        }
        Happening::Meeting { a, b } => {
            m.add(rng, "a", a, false);
            m.add(rng, "b", b, false);
            MEETING
        }
        Happening::Gift {
            giver,
            receiver,
            thing,
        } => {
            m.add(rng, "a", giver, false);
            m.add(rng, "b", receiver, false);
            thing_words(&mut extra, &world.things[thing]);
            GIFT
        }
        Happening::Theft {
            thief,
            victim,
            thing,
        } => {
            m.add(rng, "a", thief, false);
            m.add(rng, "b", victim, false);
            thing_words(&mut extra, &world.things[thing]);
            THEFT
        }
        Happening::Marriage { a, b } => {
            m.add(rng, "a", a, false);
            m.add(rng, "b", b, false);
            MARRIAGE
        }
        Happening::Death { who } => {
            m.add(rng, "a", who, false);
            DEATH
        }
        Happening::Inheritance { heir, from, thing } => {
            m.add(rng, "a", heir, false);
            m.add(rng, "d", from, true);
            thing_words(&mut extra, &world.things[thing]);
            INHERITANCE
        }
        Happening::Reveal {
            teller,
            listener,
            theft,
        } => {
            m.add(rng, "a", teller, false);
            m.add(rng, "b", listener, false);
            if let Happening::Theft {
                thief,
                victim,
                thing,
            } = world.events[theft].what
            {
                m.name_only(thief);
                m.name_only(victim);
                extra.push(("thief", world.people[thief].full_name()));
                thing_words(&mut extra, &world.things[thing]);
                if victim == listener {
                    extra.push(("victim_said", "you".into()));
                    extra.push(("victim", m.value("b_him").unwrap_or_default()));
                } else {
                    let v = world.people[victim].full_name();
                    extra.push(("victim_said", v.clone()));
                    extra.push(("victim", v));
                }
            }
            REVEAL
        }
    };
    let template = templates[rng.below(templates.len())];
    let values = |key: &str| {
        extra
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .or_else(|| m.value(key))
    };
    fill(rng, template, &values, lists)
}

/// A thing's name and the words that agree with it: `thing_it` (it, them), `thing_they` (it,
/// they), `thing_was` (was, were).
fn thing_words(extra: &mut Vec<(&'static str, String)>, thing: &Thing) {
    extra.push(("thing", thing.name.into()));
    extra.push(("thing_it", thing.it().into()));
    extra.push(("thing_they", thing.it_subject().into()));
    extra.push(("thing_was", thing.was().into()));
}

/// The paragraph that introduces `person`: full name, nickname, occupation, home, traits,
/// what they own when the story opens, and their standing relations.
pub fn introduction(world: &World, person: PersonId, rng: &mut SeededRng) -> String {
    let p = &world.people[person];
    let mut m = Mentions::new(world);
    m.add(rng, "p", person, true);
    let article = |w: &str| {
        if w.starts_with(['a', 'e', 'i', 'o', 'u']) {
            format!("an {w}")
        } else {
            format!("a {w}")
        }
    };
    let extra: Vec<(&str, String)> = vec![
        ("p", p.full_name()),
        ("nick", p.nickname.into()),
        ("role", p.role.into()),
        ("home", world.places[p.home].name.into()),
        ("trait1", p.traits[0].into()),
        ("trait2", p.traits[1].into()),
        ("a_trait1", article(p.traits[0])),
    ];
    let values = |key: &str| {
        extra
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .or_else(|| m.value(key))
    };
    let opening = rng_pick(rng, INTRO);
    let mut sentences = vec![fill(rng, opening, &values, lists)];
    for thing in world.things.iter().filter(|t| t.first_holder == person) {
        let mut words = Vec::new();
        thing_words(&mut words, thing);
        let with_thing = |key: &str| {
            words
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
                .or_else(|| values(key))
        };
        let owns = rng_pick(rng, OWNS);
        sentences.push(fill(rng, owns, &with_thing, lists));
    }
    // Relations last: they name another person, after whom a pronoun could be ambiguous.
    for r in world
        .relations
        .iter()
        .filter(|r| r.a == person || r.b == person)
    {
        let other = if r.a == person { r.b } else { r.a };
        let o = &world.people[other];
        let word = match (r.kind, o.gender) {
            (RelationKind::Siblings, super::world::Gender::Female) => "sister",
            (RelationKind::Siblings, super::world::Gender::Male) => "brother",
            (RelationKind::Cousins, _) => "cousin",
            (RelationKind::OldFriends, _) => "oldest friend",
            (RelationKind::Rivals, _) => "rival",
        };
        let sentence = match r.kind {
            RelationKind::Rivals => format!(
                "{} had long been at odds with {}, and neither would say why.",
                p.given,
                o.full_name()
            ),
            _ => format!("{} {word} was {}.", possessive(p.given), o.full_name()),
        };
        sentences.push(sentence);
    }
    sentences.join(" ")
}

fn rng_pick(rng: &mut SeededRng, items: &'static [&'static str]) -> &'static str {
    items[rng.below(items.len())]
}

/// `Chapter 7`.
pub fn heading(chapter: usize) -> String {
    capitalised(&format!("chapter {chapter}"))
}

const JOURNEY: &[&str] = &[
    "{^lead}, {a} set out from {from} for {to}. {^a_he} {road_clause}, and reached {to} {arrival_time}.",
    "{^a} left {from} {departure_time} and travelled to {to} {mode}. {journey_detail}",
    "{^a} had stayed long enough in {from}. {^a_he} made the journey to {to} {mode}, {journey_mood}.",
    "{^lead}, {a} travelled from {from} to {to} {mode}. {journey_detail}",
    "It was {arrival_moment} when {a} arrived in {to}, having come all the way from {from} {mode}. {journey_detail}",
    "{^a} packed what little {a_he} needed, said goodbye to {from} and took the road to {to}. {^a_he} {road_clause}.",
];

const MEETING: &[&str] = &[
    "{^lead}, {a} met {b} at {place}. \"{,greeting}\" {a_he} said. They talked of {topic} for a while before they parted.",
    "At {place}, {a} came upon {b}, who was {busy}. The two of them fell to talking and lost track of the hour.",
    "{^a} and {b} met at {place} {meeting_time}. {^b_he} {reaction}, and for a while they spoke of {topic}.",
    "It was at {place} that {a} met {b}. \"{,greeting}\" {b_he} said, and {a_he} {reaction}.",
    "{^b} was {busy} at {place} when {a} found {b_him}. \"{,greeting}\" said {a_given}. They spoke of {topic} until the light changed.",
];

const GIFT: &[&str] = &[
    "At {place}, {a} gave the {thing} to {b}. \"{,gift_line}\" {a_he} said.",
    "{^lead}, {a} pressed the {thing} into {b_s} hands at {place}. \"{gift_line}\" {^a_he} would not hear of {thing_it} being returned.",
    "{^b} could hardly believe what was happening when {a} handed {b_him} the {thing} there in {place}. {^b_he} {thanks}.",
    "In {place}, {a} made a gift of the {thing} to {b}, who {thanks}.",
    "\"{,gift_line}\" {a} said, and gave the {thing} to {b}. It happened at {place}, {gift_time}.",
];

const THEFT: &[&str] = &[
    "At {place}, while {b} was {distracted}, {a} slipped the {thing} out of {b_his} {container} and stole {thing_it}. Nobody was watching.",
    "{^lead}, {a} stole the {thing} from {b} at {place}. {^a_he} {thief_after}.",
    "{^b} never noticed {a} steal the {thing} at {place}; by the time {b_he} thought to look for {thing_it}, {thing_they} {thing_was} gone.",
    "It was at {place} that {a} robbed {b} of the {thing}, taking {thing_it} while {b_he} {was_busy}. {^a_he} {thief_after}.",
];

const REVEAL: &[&str] = &[
    "At {place}, {a} drew {b} aside. \"It was {thief} who stole the {thing} from {victim_said},\" {a_he} said quietly. {^b_he} {reveal_reaction}.",
    "{^lead}, {a} told {b} the truth at last, there in {place}: {thief} had stolen the {thing} from {victim}. {^b_he} {reveal_reaction}.",
    "{^b} learned the truth from {a} at {place}: the {thing} had not been lost at all. {thief} had stolen {thing_it} from {victim}. {^b_he} {reveal_reaction}.",
    "\"I can't keep quiet any longer,\" {a} told {b} at {place}. \"{thief} stole the {thing} from {victim_said}.\" {^b_he} {reveal_reaction}.",
];

const MARRIAGE: &[&str] = &[
    "{^a} and {b} were married at {place} {wedding_time}. {wedding_detail}",
    "{^lead}, {a} married {b} in {place}. {wedding_detail}",
    "At {place}, {a} and {b} were wed before a small crowd. {wedding_detail}",
    "There was a wedding at {place} {wedding_time}: {a} married {b}. {wedding_detail}",
];

const DEATH: &[&str] = &[
    "{^lead}, {a} died at {place}. {funeral}",
    "It was at {place} that {a} breathed {a_his} last, {death_circumstance}. {funeral}",
    "{^a} fell ill at {place} and never recovered. {^a_he} died {death_time}. {funeral}",
    "{^a} died at {place} {death_time}, {death_circumstance}. {funeral}",
];

const INHERITANCE: &[&str] = &[
    "When {d_s} affairs were settled, the {thing} passed to {a}.",
    "By the terms of {d_s} will, {a} received the {thing}.",
    "The {thing}, which had been {d_s}, went to {a} after the funeral.",
    "It fell to {a} to take the {thing} that had belonged to {d_full}, as {d_given} had wished.",
];

const INTRO: &[&str] = &[
    "{p} lived in {home}, where {p_he} worked as the {role}. {^p_he} was {a_trait1} and {trait2} {p_noun}, and everyone called {p_him} {nick}.",
    "Everyone in {home} knew {p}, the {role}, though few called {p_him} anything but {nick}. {^p_he} was {trait1} and {trait2} by turns.",
    "{p}, whom the people of {home} called {nick}, was the {role} there: {a_trait1} {p_noun}, and {trait2} besides.",
    "In {home} lived {p}, the {role}, known to friends as {nick}. Those who knew {p_him} well called {p_him} {trait1}, and those who did not called {p_him} {trait2}.",
];

const OWNS: &[&str] = &[
    "{^p_he} owned the {thing}, which had once been {p_his} grandmother's.",
    "Among {p_his} few treasures was the {thing}.",
    "{^p_he} was seldom seen without the {thing}.",
    "{^p_he} kept the {thing}, bought years ago at a fair, in a drawer by {p_his} bed.",
    "The {thing} belonged to {p_him}, and {p_he} would let no one else touch {thing_it}.",
];

/// Word lists the event and introduction templates draw from. They name no person, place or
/// thing of the world.
pub fn lists(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "lead" => &[
            "early one morning",
            "late that afternoon",
            "some days later",
            "that evening",
            "before the week was out",
            "at first light",
            "towards noon",
            "on a blustery morning",
            "not long after",
            "one quiet evening",
            "when the rain had eased",
            "on a still, cold morning",
            "as the bells rang the hour",
            "a little after dawn",
            "in the slack hours after the midday meal",
            "on a day of high wind",
        ],
        "mode" => &[
            "on foot",
            "by the carrier's cart",
            "on horseback",
            "by the coast road",
            "on the mail coach",
            "in a borrowed trap",
            "by the river barge",
            "by the long way round the hills",
        ],
        "road_clause" => &[
            "kept a steady pace along the {road}",
            "stopped only once to rest",
            "spoke to no one on the way",
            "watched the {landscape} slide past",
            "was soaked through before the first milestone",
            "sang under {a_his} breath to pass the time",
        ],
        "road" => &[
            "muddy lane",
            "old drove road",
            "turnpike",
            "cliff path",
            "towpath",
        ],
        "landscape" => &[
            "hedgerows",
            "fields",
            "moors",
            "marshes",
            "orchards",
            "beech woods",
            "sheep pastures",
        ],
        "arrival_time" => &[
            "as the light was failing",
            "before nightfall",
            "a little after noon",
            "in time for supper",
            "under a darkening sky",
            "long after the lamps were lit",
        ],
        "arrival_moment" => &[
            "dusk",
            "nearly midnight",
            "late in the afternoon",
            "well past noon",
            "barely light",
        ],
        "departure_time" => &[
            "before dawn",
            "in the grey hour after breakfast",
            "soon after the bells",
            "without a word to anyone",
            "on a morning of thin rain",
        ],
        "journey_detail" => &[
            "The journey took the better part of a day.",
            "The weather held the whole way.",
            "It rained without pause, and the roads were heavy.",
            "Nobody on the road took much notice of a lone traveller.",
            "The way was longer than remembered, and the inns were full.",
            "By the journey's end every bone ached.",
        ],
        "journey_mood" => &[
            "glad to be moving again",
            "with a heavy heart",
            "though the roads were poor",
            "turning over old worries the whole way",
            "in better spirits than for weeks",
        ],
        "greeting" => &[
            "I hoped I might find you here.",
            "Well, this is a surprise.",
            "You look as tired as I feel.",
            "I was beginning to think you had forgotten me.",
            "Sit down, there's room enough.",
            "Good day to you.",
            "Have you eaten? Come and sit.",
            "Of all the people to meet today.",
        ],
        "topic" => &[
            "the weather",
            "the price of bread",
            "old friends",
            "the harvest",
            "the coming winter",
            "the state of the roads",
            "a song they both remembered",
            "the new vicar's sermons",
            "nothing of any importance",
            "the fishing",
        ],
        "busy" => &[
            "mending a net",
            "reading by the window",
            "counting coins at a table",
            "feeding the hens",
            "sweeping the step",
            "watching the boats",
            "sorting a basket of apples",
            "sharpening a scythe",
            "writing a long letter",
        ],
        "meeting_time" => &[
            "on market day",
            "in the late afternoon",
            "one windy morning",
            "at the end of a long day",
            "by chance",
        ],
        "reaction" => &[
            "looked up in surprise",
            "smiled",
            "laughed for the first time in days",
            "seemed pleased",
            "made room on the bench",
        ],
        "gift_line" => &[
            "I want you to have this.",
            "Keep {thing_it} safe for me.",
            "{^thing_they} {thing_was} never really mine to keep.",
            "Take {thing_it}, before I change my mind.",
            "You'll know what to do with {thing_it}.",
            "Think of me when you look at {thing_it}.",
        ],
        "gift_time" => &[
            "on a grey morning",
            "late in the evening",
            "in front of everyone",
            "with no one else to see",
        ],
        "thanks" => &[
            "thanked {a_him} twice over",
            "did not know what to say",
            "turned {thing_it} over and over in {b_his} hands",
            "promised to take good care of {thing_it}",
            "was lost for words",
        ],
        "distracted" => &[
            "busy at the counter",
            "deep in conversation",
            "asleep in a chair by the fire",
            "out in the yard",
            "looking the other way",
        ],
        "was_busy" => &[
            "was deep in conversation",
            "was asleep by the fire",
            "was out in the yard",
            "had {b_his} back turned",
        ],
        "container" => &[
            "coat",
            "bag",
            "room",
            "drawer",
            "travelling chest",
            "basket",
        ],
        "thief_after" => &[
            "told no one",
            "hid {thing_it} at the bottom of a trunk",
            "kept {thing_it} wrapped in a cloth and said nothing",
            "slept soundly that night all the same",
        ],
        "reveal_reaction" => &[
            "said nothing for a long while",
            "went pale",
            "asked to hear the story again",
            "did not seem surprised",
            "swore under {b_his} breath",
        ],
        "wedding_time" => &[
            "on a bright morning",
            "in the little chapel",
            "at the turn of the season",
            "with very little fuss",
        ],
        "wedding_detail" => &[
            "There was dancing afterwards until late.",
            "The bells rang for an hour.",
            "Half the neighbourhood came to watch.",
            "It rained, and nobody minded.",
            "The wedding breakfast was plain but plentiful.",
        ],
        "funeral" => &[
            "The funeral was quiet and quickly over.",
            "Many came to the burial, more than anyone expected.",
            "The bell tolled long into the evening.",
            "They buried {a_him} beneath the old yew.",
        ],
        "death_circumstance" => &[
            "after a short illness",
            "quite suddenly",
            "in the small hours of the night",
            "with the windows open to the air",
        ],
        "death_time" => &[
            "before the month was out",
            "within the week",
            "one still night",
            "on the first cold morning",
        ],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::world::{Size, World};
    use super::*;

    #[test]
    fn every_event_names_its_place_and_fills_every_slot() {
        let mut plural_seen = 0;
        for seed in 0..40 {
            let mut rng = SeededRng::new(seed);
            let w = World::simulate(&mut rng, Size::for_tokens(50_000));
            for (i, e) in w.events.iter().enumerate() {
                let text = event_paragraph(&w, i, &mut rng);
                assert!(!text.contains('{'), "{text}");
                if !matches!(e.what, Happening::Inheritance { .. }) {
                    assert!(text.contains(w.places[e.place].name), "{e:?}: {text}");
                }
                if let Happening::Journey { from, to, .. } = e.what {
                    assert!(text.contains(w.places[from].name));
                    assert!(text.contains(w.places[to].name));
                }
                // A line of dialogue before its speech tag ends in a comma.
                for (i, _) in text.match_indices(".\" ") {
                    let next = text[i + 3..].chars().next().unwrap_or('X');
                    assert!(!next.is_lowercase(), "{text}");
                }
                // A plural thing is `them` and `were`.
                let thing = match e.what {
                    Happening::Gift { thing, .. }
                    | Happening::Theft { thing, .. }
                    | Happening::Inheritance { thing, .. } => Some(thing),
                    Happening::Reveal { theft, .. } => match w.events[theft].what {
                        Happening::Theft { thing, .. } => Some(thing),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(t) = thing.filter(|&t| w.things[t].plural) {
                    plural_seen += 1;
                    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
                    assert!(!words.contains(&"it"), "{text}");
                    assert!(
                        !text.contains(&format!("{} was", w.things[t].name)),
                        "{text}"
                    );
                }
                for p in e.what.people() {
                    let person = &w.people[p];
                    let named = text.contains(person.given)
                        || text.contains(person.nickname)
                        || text
                            .to_lowercase()
                            .contains(&format!("the {}", person.role));
                    assert!(named, "{} unnamed in {text}", person.given);
                }
            }
            for p in 0..w.people.len() {
                let intro = introduction(&w, p, &mut rng);
                assert!(!intro.contains('{'), "{intro}");
                let person = &w.people[p];
                assert!(intro.contains(&person.full_name()) && intro.contains(person.nickname));
                assert!(intro.contains(person.role) && intro.contains(w.places[person.home].name));
                for thing in w.things.iter().filter(|t| t.plural) {
                    for sentence in intro.split(". ").filter(|s| s.contains(thing.name)) {
                        let words: Vec<&str> =
                            sentence.split(|c: char| !c.is_alphanumeric()).collect();
                        assert!(!words.contains(&"it"), "{intro}");
                    }
                }
            }
        }
        assert!(plural_seen > 5, "{plural_seen} events of a plural thing");
    }
}
