//! Questions about a story world whose answers need its whole timeline, each with its reference
//! answer, the key facts a correct answer names, and the events it rests on, all read off the
//! world as it was simulated.
//!
//! Five kinds, after the question types Bohnet et al. (2024) ask their question writer for
//! (character arcs, consequences of early events, the fate of objects):
//! - `last_holder`: who holds a thing at the end, and how it came to them;
//! - `trail`: everyone who held a thing, in order;
//! - `relation`: how matters between two people developed;
//! - `aftermath`: what followed from a theft or a death;
//! - `travels`: where someone travelled, in order;
//! - `encounters`: whom someone met, and where, in order.
//!
//! A key fact is never named by its question, so echoing the question earns nothing.

use longforge_datasets::{mentions, KeyFact, KeyedAnswer};

use crate::nocha::claims::{describe, transfer};
use crate::nocha::world::{EventId, Happening, PersonId, PlaceId, ThingId, World};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    LastHolder,
    Trail,
    Relation,
    Aftermath,
    Travels,
    Encounters,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::LastHolder,
        Kind::Trail,
        Kind::Relation,
        Kind::Aftermath,
        Kind::Travels,
        Kind::Encounters,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::LastHolder => "last_holder",
            Kind::Trail => "trail",
            Kind::Relation => "relation",
            Kind::Aftermath => "aftermath",
            Kind::Travels => "travels",
            Kind::Encounters => "encounters",
        }
    }
}

/// One question with its answer, before it is placed in the book.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub kind: Kind,
    pub text: String,
    pub answer: KeyedAnswer,
    /// The events the answer rests on, in time order.
    pub events: Vec<EventId>,
    /// People whose introduction the answer rests on (where a thing is first said to be theirs).
    pub intros: Vec<PersonId>,
    /// What the question is about: a book asks one question per subject, so no two questions
    /// share most of their evidence (who holds a thing last, and its whole trail).
    pub subject: Subject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Thing(ThingId),
    Pair(PersonId, PersonId),
    Death(PersonId),
    Travels(PersonId),
    Encounters(PersonId),
}

/// Every question the world supports, in a fixed order: kind, then subject.
pub fn all_questions(world: &World) -> Vec<Question> {
    let mut out = Vec::new();
    for thing in 0..world.things.len() {
        out.extend(last_holder(world, thing));
        out.extend(trail(world, thing));
    }
    for a in 0..world.people.len() {
        for b in a + 1..world.people.len() {
            out.extend(relation(world, a, b));
        }
    }
    for e in 0..world.events.len() {
        out.extend(aftermath(world, e));
    }
    for who in 0..world.people.len() {
        out.extend(travels(world, who));
        out.extend(encounters(world, who));
    }
    out.sort_by_key(|q| q.kind);
    out
}

fn person_key(world: &World, p: PersonId) -> KeyFact {
    let person = &world.people[p];
    KeyFact {
        fact: person.full_name(),
        aliases: vec![person.full_name(), person.given.to_string()],
    }
}

fn place_key(world: &World, place: PlaceId) -> KeyFact {
    let name = world.places[place].name;
    KeyFact {
        fact: name.to_string(),
        aliases: vec![name.to_string()],
    }
}

/// A thing by its whole name: its last word alone ("box", "ring") would be credited wherever an
/// answer used the common noun.
fn thing_key(world: &World, thing: ThingId) -> KeyFact {
    let name = world.things[thing].name;
    KeyFact {
        fact: name.to_string(),
        aliases: vec![name.to_string()],
    }
}

fn married_key() -> KeyFact {
    KeyFact {
        fact: "married".into(),
        aliases: ["married", "marriage", "wed", "wedded", "wedding"]
            .map(String::from)
            .to_vec(),
    }
}

/// `keys` without repeats (by fact, the first kept) and without any the question names.
fn keys_not_in(question: &str, keys: Vec<KeyFact>) -> Vec<KeyFact> {
    let mut out: Vec<KeyFact> = Vec::new();
    for k in keys {
        if out.iter().any(|o| o.fact == k.fact) {
            continue;
        }
        if k.aliases.iter().any(|a| mentions(question, a)) {
            continue;
        }
        out.push(k);
    }
    out
}

/// The events that move `thing` from one holder to the next, in time order.
fn transfers_of(world: &World, thing: ThingId) -> Vec<EventId> {
    (0..world.events.len())
        .filter(|&e| transfer(&world.events[e].what).is_some_and(|(_, t, _)| t == thing))
        .collect()
}

/// Events told as sentences: "In chapter 2, Nora Marrow gave the silver locket to ...".
fn told(world: &World, events: &[EventId]) -> String {
    events
        .iter()
        .map(|&e| {
            if let Happening::Reveal {
                teller,
                listener,
                theft,
            } = world.events[e].what
            {
                if let Happening::Theft { thief, thing, .. } = world.events[theft].what {
                    let name = |p: PersonId| world.people[p].full_name();
                    return format!(
                        "In chapter {}, {} told {} at {} that {} had stolen {} in chapter {}.",
                        world.events[e].chapter,
                        name(teller),
                        name(listener),
                        world.places[world.events[e].place].name,
                        name(thief),
                        the(world, thing),
                        world.events[theft].chapter
                    );
                }
            }
            let d = describe(world, e);
            // `describe` writes "chapter N: what".
            match d.split_once(": ") {
                Some((chapter, what)) => format!("In {chapter}, {what}."),
                None => format!("{d}."),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn the(world: &World, thing: ThingId) -> String {
    format!("the {}", world.things[thing].name)
}

/// A question before its keys are checked: what each kind writes.
struct Draft {
    kind: Kind,
    subject: Subject,
    text: String,
    answer: String,
    keys: Vec<KeyFact>,
    ordered: bool,
    events: Vec<EventId>,
    intros: Vec<PersonId>,
}

impl Draft {
    /// The question, with its key facts rid of repeats and of any its text names; `None` when
    /// no key is left to score.
    fn finish(self) -> Option<Question> {
        let keys = keys_not_in(&self.text, self.keys);
        if keys.is_empty() {
            return None;
        }
        Some(Question {
            kind: self.kind,
            answer: KeyedAnswer {
                text: self.answer,
                keys,
                ordered: self.ordered,
            },
            text: self.text,
            events: self.events,
            intros: self.intros,
            subject: self.subject,
        })
    }
}

/// The holders of `thing` in order, from its first holder: `None` unless it changed hands at
/// least twice (one passage alone would answer it).
fn holders(world: &World, thing: ThingId) -> Option<(Vec<PersonId>, Vec<EventId>)> {
    let moves = transfers_of(world, thing);
    if moves.len() < 2 {
        return None;
    }
    let mut holders = vec![world.things[thing].first_holder];
    for &e in &moves {
        let (_, _, to) = transfer(&world.events[e].what)?;
        holders.push(to);
    }
    Some((holders, moves))
}

fn last_holder(world: &World, thing: ThingId) -> Option<Question> {
    let (holders, moves) = holders(world, thing)?;
    let last = *holders.last()?;
    let first = world.things[thing].first_holder;
    let name = |p: PersonId| world.people[p].full_name();
    let text = format!(
        "Who has {} when the story ends, and how did {} come to them?",
        the(world, thing),
        world.things[thing].it_subject()
    );
    let answer = format!(
        "{} has {} at the end. At the opening {} belonged to {}. {}",
        name(last),
        the(world, thing),
        world.things[thing].it_subject(),
        name(first),
        told(world, &moves)
    );
    Draft {
        kind: Kind::LastHolder,
        subject: Subject::Thing(thing),
        text,
        answer,
        keys: vec![person_key(world, last)],
        ordered: false,
        events: moves,
        intros: vec![first],
    }
    .finish()
}

fn trail(world: &World, thing: ThingId) -> Option<Question> {
    let (holders, moves) = holders(world, thing)?;
    let first = holders[0];
    let t = &world.things[thing];
    let text = format!(
        "Trace {} through the story: who held {}, in order, from the opening to the end, and how did {} pass from each to the next?",
        the(world, thing),
        t.it(),
        t.it_subject()
    );
    let names: Vec<String> = holders
        .iter()
        .map(|&p| world.people[p].full_name())
        .collect();
    let answer = format!(
        "{} {} held in turn by {}. {}",
        capitalised(&the(world, thing)),
        t.was(),
        names.join(", then "),
        told(world, &moves)
    );
    let keys = holders.iter().map(|&p| person_key(world, p)).collect();
    Draft {
        kind: Kind::Trail,
        subject: Subject::Thing(thing),
        text,
        answer,
        keys,
        ordered: true,
        events: moves,
        intros: vec![first],
    }
    .finish()
}

fn relation(world: &World, a: PersonId, b: PersonId) -> Option<Question> {
    let shared: Vec<EventId> = (0..world.events.len())
        .filter(|&e| {
            let people = world.events[e].what.people();
            people.contains(&a) && people.contains(&b)
        })
        .collect();
    if shared.len() < 2 {
        return None;
    }
    let mut keys = Vec::new();
    for &e in &shared {
        match world.events[e].what {
            Happening::Meeting { .. } => keys.push(place_key(world, world.events[e].place)),
            Happening::Gift { thing, .. } | Happening::Theft { thing, .. } => {
                keys.push(thing_key(world, thing))
            }
            Happening::Marriage { .. } => keys.push(married_key()),
            Happening::Reveal { theft, .. } => {
                if let Some((_, thing, _)) = transfer(&world.events[theft].what) {
                    keys.push(thing_key(world, thing));
                }
            }
            _ => {}
        }
    }
    let text = format!(
        "How did matters between {} and {} develop over the course of the story?",
        world.people[a].full_name(),
        world.people[b].full_name()
    );
    let answer = told(world, &shared);
    Draft {
        kind: Kind::Relation,
        subject: Subject::Pair(a, b),
        text,
        answer,
        keys,
        ordered: true,
        events: shared,
        intros: Vec::new(),
    }
    .finish()
}

fn aftermath(world: &World, e: EventId) -> Option<Question> {
    let name = |p: PersonId| world.people[p].full_name();
    match world.events[e].what {
        Happening::Theft {
            thief,
            victim,
            thing,
        } => {
            let mut events = vec![e];
            let mut keys = vec![person_key(world, thief)];
            for (r, event) in world.events.iter().enumerate().skip(e + 1) {
                if let Happening::Reveal {
                    teller,
                    listener,
                    theft,
                } = event.what
                {
                    if theft == e {
                        events.push(r);
                        keys.push(person_key(world, teller));
                        keys.push(person_key(world, listener));
                    }
                }
            }
            // Where the thing went next, not its whole later trail (that is `trail`'s
            // question): the answer stays a few sentences.
            let next = transfers_of(world, thing).into_iter().find(|&t| t > e);
            if let Some(later) = next {
                events.push(later);
                if let Some((_, _, to)) = transfer(&world.events[later].what) {
                    keys.push(person_key(world, to));
                }
            }
            if events.len() < 2 {
                return None;
            }
            events.sort_unstable();
            let text = format!(
                "What came of the theft of {} from {}?",
                the(world, thing),
                name(victim)
            );
            let answer = match next {
                Some(_) => told(world, &events),
                None => format!(
                    "{} {} kept {} to the end of the story.",
                    told(world, &events),
                    name(thief),
                    world.things[thing].it()
                ),
            };
            Draft {
                kind: Kind::Aftermath,
                subject: Subject::Thing(thing),
                text,
                answer,
                keys,
                ordered: false,
                events,
                intros: Vec::new(),
            }
            .finish()
        }
        Happening::Death { who } => {
            let mut events = vec![e];
            let mut keys = Vec::new();
            let mut inherited = Vec::new();
            for (i, event) in world.events.iter().enumerate().skip(e + 1) {
                if let Happening::Inheritance { heir, from, thing } = event.what {
                    if from == who {
                        events.push(i);
                        inherited.push((i, thing));
                        keys.push(person_key(world, heir));
                        keys.push(thing_key(world, thing));
                    }
                }
            }
            // Where each inherited thing went next, not its whole later trail.
            for &(at, thing) in &inherited {
                if let Some(later) = transfers_of(world, thing).into_iter().find(|&t| t > at) {
                    events.push(later);
                    if let Some((_, _, to)) = transfer(&world.events[later].what) {
                        keys.push(person_key(world, to));
                    }
                }
            }
            if events.len() < 2 {
                return None;
            }
            events.sort_unstable();
            events.dedup();
            let text = format!("What followed from the death of {}?", name(who));
            Draft {
                kind: Kind::Aftermath,
                subject: Subject::Death(who),
                text,
                answer: told(world, &events),
                keys,
                ordered: false,
                events,
                intros: Vec::new(),
            }
            .finish()
        }
        _ => None,
    }
}

fn travels(world: &World, who: PersonId) -> Option<Question> {
    let journeys: Vec<EventId> = (0..world.events.len())
        .filter(|&e| matches!(world.events[e].what, Happening::Journey { who: w, .. } if w == who))
        .collect();
    if journeys.len() < 2 {
        return None;
    }
    let keys = journeys
        .iter()
        .filter_map(|&e| match world.events[e].what {
            Happening::Journey { to, .. } => Some(place_key(world, to)),
            _ => None,
        })
        .collect();
    let text = format!(
        "Where did {} travel over the course of the story, and in what order?",
        world.people[who].full_name()
    );
    Draft {
        kind: Kind::Travels,
        subject: Subject::Travels(who),
        text,
        answer: told(world, &journeys),
        keys,
        ordered: true,
        events: journeys,
        intros: Vec::new(),
    }
    .finish()
}

fn encounters(world: &World, who: PersonId) -> Option<Question> {
    let meetings: Vec<EventId> = (0..world.events.len())
        .filter(|&e| {
            matches!(world.events[e].what, Happening::Meeting { a, b } if a == who || b == who)
        })
        .collect();
    if meetings.len() < 2 {
        return None;
    }
    let mut keys = Vec::new();
    for &e in &meetings {
        if let Happening::Meeting { a, b } = world.events[e].what {
            keys.push(person_key(world, if a == who { b } else { a }));
            keys.push(place_key(world, world.events[e].place));
        }
    }
    let text = format!(
        "Whom did {} meet over the course of the story, where, and in what order?",
        world.people[who].full_name()
    );
    Draft {
        kind: Kind::Encounters,
        subject: Subject::Encounters(who),
        text,
        answer: told(world, &meetings),
        keys,
        ordered: true,
        events: meetings,
        intros: Vec::new(),
    }
    .finish()
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
