//! The story world: people, places and things, and a timeline of events simulated from a seed.
//!
//! The world is the ground truth every claim is checked against. Events happen in chapters, in
//! the order of `World::events` (an event's index is its time), and each changes the world's
//! state: where people are, who is alive and married, who holds each thing, which places each
//! person has been to. [`World::state_after`] replays the timeline up to any chapter.
//!
//! The simulation keeps events that a reader could confuse apart: a gift of one thing from one
//! person to another happens at most once, as does a theft, a meeting of two people at one
//! place, a marriage and a death, so a claim about "the" event names exactly one. Journeys may
//! repeat (they are what counting claims count).

use longforge_datasets::SeededRng;
use serde::{Deserialize, Serialize};

use super::names::{self, PlaceKind};

pub type PersonId = usize;
pub type PlaceId = usize;
pub type ThingId = usize;
pub type EventId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Female,
    Male,
}

impl Gender {
    pub fn subject(self) -> &'static str {
        match self {
            Gender::Female => "she",
            Gender::Male => "he",
        }
    }
    pub fn object(self) -> &'static str {
        match self {
            Gender::Female => "her",
            Gender::Male => "him",
        }
    }
    pub fn possessive(self) -> &'static str {
        match self {
            Gender::Female => "her",
            Gender::Male => "his",
        }
    }
    pub fn noun(self) -> &'static str {
        match self {
            Gender::Female => "woman",
            Gender::Male => "man",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Person {
    pub given: &'static str,
    pub family: &'static str,
    /// Unique in the world, like the given name and the role.
    pub nickname: &'static str,
    pub role: &'static str,
    pub gender: Gender,
    pub traits: [&'static str; 2],
    pub home: PlaceId,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given, self.family)
    }
}

#[derive(Debug, Clone)]
pub struct Place {
    pub name: &'static str,
    pub kind: PlaceKind,
}

#[derive(Debug, Clone)]
pub struct Thing {
    /// Without its article: "silver locket".
    pub name: &'static str,
    /// Who holds it when the story opens (said in their introduction).
    pub first_holder: PersonId,
    /// Named by a plural noun ("ivory chessmen"): "were", "them".
    pub plural: bool,
}

impl Thing {
    /// The pronoun for it as an object: `it` or `them`.
    pub fn it(&self) -> &'static str {
        if self.plural {
            "them"
        } else {
            "it"
        }
    }

    /// The pronoun for it as a subject: `it` or `they`.
    pub fn it_subject(&self) -> &'static str {
        if self.plural {
            "they"
        } else {
            "it"
        }
    }

    /// `was` or `were`.
    pub fn was(&self) -> &'static str {
        if self.plural {
            "were"
        } else {
            "was"
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    Siblings,
    Cousins,
    OldFriends,
    Rivals,
}

/// A standing relation between two people, stated when they are introduced; no claim is
/// about it.
#[derive(Debug, Clone, Copy)]
pub struct Relation {
    pub a: PersonId,
    pub b: PersonId,
    pub kind: RelationKind,
}

/// What happens in one event. Serialised into `meta.facts` by the claims that rest on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Happening {
    Meeting {
        a: PersonId,
        b: PersonId,
    },
    Journey {
        who: PersonId,
        from: PlaceId,
        to: PlaceId,
    },
    Gift {
        giver: PersonId,
        receiver: PersonId,
        thing: ThingId,
    },
    Theft {
        thief: PersonId,
        victim: PersonId,
        thing: ThingId,
    },
    Marriage {
        a: PersonId,
        b: PersonId,
    },
    Death {
        who: PersonId,
    },
    /// A dead person's thing passing to an heir, told right after the death.
    Inheritance {
        heir: PersonId,
        from: PersonId,
        thing: ThingId,
    },
    /// `teller` tells `listener` who committed `theft` (an earlier event).
    Reveal {
        teller: PersonId,
        listener: PersonId,
        theft: EventId,
    },
}

impl Happening {
    /// Everyone taking part, first the one the narration follows.
    pub fn people(&self) -> Vec<PersonId> {
        match *self {
            Happening::Meeting { a, b } | Happening::Marriage { a, b } => vec![a, b],
            Happening::Journey { who, .. } | Happening::Death { who } => vec![who],
            Happening::Gift {
                giver, receiver, ..
            } => vec![giver, receiver],
            Happening::Theft { thief, victim, .. } => vec![thief, victim],
            Happening::Inheritance { heir, .. } => vec![heir],
            Happening::Reveal {
                teller, listener, ..
            } => vec![teller, listener],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// 1-based.
    pub chapter: usize,
    /// Where it happens (a journey: where it ends).
    pub place: PlaceId,
    pub what: Happening,
}

/// The world at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub location: Vec<PlaceId>,
    pub alive: Vec<bool>,
    pub spouse: Vec<Option<PersonId>>,
    /// Per thing: who holds it.
    pub holder: Vec<PersonId>,
    /// Per person, per place: whether they have been there (home counts).
    pub visited: Vec<Vec<bool>>,
    /// Per event: for a theft, whether it has been revealed.
    pub revealed: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct World {
    pub people: Vec<Person>,
    pub places: Vec<Place>,
    pub things: Vec<Thing>,
    pub relations: Vec<Relation>,
    pub events: Vec<Event>,
    pub chapters: usize,
}

/// How big a world to make.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub chapters: usize,
    pub people: usize,
    pub places: usize,
    pub things: usize,
}

impl Size {
    /// A world for a book of about `tokens` tokens: a chapter per 4,500 tokens (3 to 80), and a
    /// cast, map and stock of things that grow with it.
    pub fn for_tokens(tokens: usize) -> Self {
        let chapters = (tokens / 4_500).clamp(3, 80);
        Size {
            chapters,
            people: (5 + chapters / 3).clamp(6, 14),
            places: (4 + chapters / 4).clamp(5, 10),
            things: (6 + chapters / 2).clamp(8, names::THINGS.len()),
        }
    }
}

impl World {
    /// Simulates a world of `size` from `rng`. Deterministic in the draws of `rng`.
    pub fn simulate(rng: &mut SeededRng, size: Size) -> World {
        let mut world = World::cast(rng, size);
        Simulation::new(&world).run(&mut world, rng);
        world
    }

    /// People, places, things and relations, with no events yet.
    fn cast(rng: &mut SeededRng, size: Size) -> World {
        let mut place_pool: Vec<usize> = (0..names::PLACES.len()).collect();
        rng.shuffle(&mut place_pool);
        let places: Vec<Place> = place_pool[..size.places]
            .iter()
            .map(|&i| Place {
                name: names::PLACES[i].0,
                kind: names::PLACES[i].1,
            })
            .collect();
        let mut female = names::GIVEN_FEMALE.to_vec();
        let mut male = names::GIVEN_MALE.to_vec();
        let mut families = names::FAMILY.to_vec();
        let mut nicknames = names::NICKNAMES.to_vec();
        let mut roles = names::ROLES.to_vec();
        for list in [
            &mut female,
            &mut male,
            &mut families,
            &mut nicknames,
            &mut roles,
        ] {
            rng.shuffle(list);
        }
        let mut people = Vec::with_capacity(size.people);
        for i in 0..size.people {
            let gender = if rng.chance(0.5) {
                Gender::Female
            } else {
                Gender::Male
            };
            let given = match gender {
                Gender::Female => female.pop(),
                Gender::Male => male.pop(),
            }
            .unwrap_or("Anon");
            let t1 = rng.below(names::TRAITS.len());
            let t2 = (t1 + 1 + rng.below(names::TRAITS.len() - 1)) % names::TRAITS.len();
            people.push(Person {
                given,
                family: families[i % families.len()],
                nickname: nicknames[i % nicknames.len()],
                role: roles[i % roles.len()],
                gender,
                traits: [names::TRAITS[t1], names::TRAITS[t2]],
                home: rng.below(size.places),
            });
        }
        // Some pairs stand in a relation; siblings share a family name.
        let mut relations = Vec::new();
        let mut order: Vec<PersonId> = (0..people.len()).collect();
        rng.shuffle(&mut order);
        for pair in order.chunks(2).take(people.len() / 3) {
            let [a, b] = [pair[0], pair.get(1).copied().unwrap_or(pair[0])];
            if a == b {
                continue;
            }
            let kind = *rng.pick(&[
                RelationKind::Siblings,
                RelationKind::Cousins,
                RelationKind::OldFriends,
                RelationKind::Rivals,
            ]);
            if kind == RelationKind::Siblings {
                people[b].family = people[a].family;
            }
            relations.push(Relation { a, b, kind });
        }
        let mut thing_pool: Vec<usize> = (0..names::THINGS.len()).collect();
        rng.shuffle(&mut thing_pool);
        let things = thing_pool[..size.things]
            .iter()
            .enumerate()
            .map(|(i, &t)| Thing {
                name: names::THINGS[t],
                plural: names::PLURAL_THINGS.contains(&names::THINGS[t]),
                // Everyone holds one thing first; the rest go to anyone.
                first_holder: if i < people.len() {
                    i
                } else {
                    rng.below(people.len())
                },
            })
            .collect();
        World {
            people,
            places,
            things,
            relations,
            events: Vec::new(),
            chapters: size.chapters,
        }
    }

    /// The state before the first event.
    pub fn initial_state(&self) -> State {
        let homes: Vec<PlaceId> = self.people.iter().map(|p| p.home).collect();
        State {
            location: homes.clone(),
            alive: vec![true; self.people.len()],
            spouse: vec![None; self.people.len()],
            holder: self.things.iter().map(|t| t.first_holder).collect(),
            visited: homes
                .iter()
                .map(|&h| (0..self.places.len()).map(|p| p == h).collect())
                .collect(),
            revealed: Vec::new(),
        }
    }

    /// The state after every event of chapters `1..=chapter` (0: the opening state).
    pub fn state_after(&self, chapter: usize) -> State {
        let mut state = self.initial_state();
        for event in self.events.iter().take_while(|e| e.chapter <= chapter) {
            apply(&mut state, event);
        }
        state
    }

    /// The state at the end of the story.
    pub fn final_state(&self) -> State {
        self.state_after(self.chapters)
    }

    /// Every moment of the story: the opening state, then the state after each event, in time
    /// order (`states()[i + 1]` is the state right after event `i`). Between two events
    /// nothing changes, so these are all the states the story passes through.
    pub fn states(&self) -> Vec<State> {
        let mut state = self.initial_state();
        let mut states = Vec::with_capacity(self.events.len() + 1);
        states.push(state.clone());
        for event in &self.events {
            apply(&mut state, event);
            states.push(state.clone());
        }
        states
    }

    /// The places where `a` and `b` were, both alive, at one moment of the story (living at one
    /// place when it opens counts): where a reader could fairly say they met.
    pub fn together_at(&self, a: PersonId, b: PersonId) -> Vec<PlaceId> {
        let mut places = Vec::new();
        let mut state = self.initial_state();
        let mut note = |s: &State| {
            if s.alive[a] && s.alive[b] && s.location[a] == s.location[b] {
                let here = s.location[a];
                if !places.contains(&here) {
                    places.push(here);
                }
            }
        };
        note(&state);
        for event in &self.events {
            apply(&mut state, event);
            note(&state);
        }
        places.sort_unstable();
        places
    }
}

/// Changes `state` by one event.
pub fn apply(state: &mut State, event: &Event) {
    state.revealed.push(false);
    match event.what {
        Happening::Journey { who, to, .. } => {
            state.location[who] = to;
            state.visited[who][to] = true;
        }
        Happening::Gift {
            receiver, thing, ..
        } => state.holder[thing] = receiver,
        Happening::Theft { thief, thing, .. } => state.holder[thing] = thief,
        Happening::Inheritance { heir, thing, .. } => state.holder[thing] = heir,
        Happening::Marriage { a, b } => {
            state.spouse[a] = Some(b);
            state.spouse[b] = Some(a);
        }
        Happening::Death { who } => state.alive[who] = false,
        Happening::Reveal { theft, .. } => {
            if let Some(r) = state.revealed.get_mut(theft) {
                *r = true;
            }
        }
        Happening::Meeting { .. } => {}
    }
}

/// The simulation's running state: the world's state plus what it needs to keep events
/// distinct.
struct Simulation {
    state: State,
    chapter: usize,
    marriages: usize,
    deaths: usize,
}

/// Kinds of event the simulation draws, with their weights.
const KINDS: &[(Kind, f64)] = &[
    (Kind::Journey, 4.0),
    (Kind::Meeting, 2.5),
    (Kind::Gift, 2.5),
    (Kind::Theft, 1.2),
    (Kind::Reveal, 1.5),
    (Kind::Marriage, 0.8),
    (Kind::Death, 0.5),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Journey,
    Meeting,
    Gift,
    Theft,
    Reveal,
    Marriage,
    Death,
}

impl Simulation {
    fn new(world: &World) -> Self {
        Simulation {
            state: world.initial_state(),
            chapter: 0,
            marriages: 0,
            deaths: 0,
        }
    }

    fn run(mut self, world: &mut World, rng: &mut SeededRng) {
        for chapter in 1..=world.chapters {
            self.chapter = chapter;
            let wanted = rng.range(3, 5);
            let mut made = 0;
            let mut tries = 0;
            while made < wanted && tries < 40 {
                tries += 1;
                let kind = draw_kind(rng);
                if let Some(happening) = self.propose(world, kind, rng) {
                    self.push(world, happening);
                    made += 1;
                }
            }
        }
    }

    /// Adds an event at the place it happens, and the inheritances a death brings.
    fn push(&mut self, world: &mut World, what: Happening) {
        let place = match what {
            Happening::Journey { to, .. } => to,
            other => self.state.location[other.people()[0]],
        };
        let event = Event {
            chapter: self.chapter,
            place,
            what,
        };
        apply(&mut self.state, &event);
        world.events.push(event);
        if let Happening::Death { who } = what {
            self.deaths += 1;
            let held: Vec<ThingId> = (0..world.things.len())
                .filter(|&t| self.state.holder[t] == who)
                .collect();
            for thing in held {
                let heir = self.heir(world, who);
                if let Some(heir) = heir {
                    let event = Event {
                        chapter: self.chapter,
                        place,
                        what: Happening::Inheritance {
                            heir,
                            from: who,
                            thing,
                        },
                    };
                    apply(&mut self.state, &event);
                    world.events.push(event);
                }
            }
        }
        if let Happening::Marriage { .. } = what {
            self.marriages += 1;
        }
    }

    /// The spouse if alive, else the first living person at the same place, else the first
    /// living person.
    fn heir(&self, world: &World, dead: PersonId) -> Option<PersonId> {
        if let Some(s) = self.state.spouse[dead].filter(|&s| self.state.alive[s]) {
            return Some(s);
        }
        let living = |p: &PersonId| *p != dead && self.state.alive[*p];
        let here = self.state.location[dead];
        (0..world.people.len())
            .filter(living)
            .find(|&p| self.state.location[p] == here)
            .or_else(|| (0..world.people.len()).find(living))
    }

    fn living(&self) -> Vec<PersonId> {
        (0..self.state.alive.len())
            .filter(|&p| self.state.alive[p])
            .collect()
    }

    /// Pairs of living people at the same place, in a fixed order.
    fn together(&self) -> Vec<(PersonId, PersonId)> {
        let living = self.living();
        let mut pairs = Vec::new();
        for (i, &a) in living.iter().enumerate() {
            for &b in &living[i + 1..] {
                if self.state.location[a] == self.state.location[b] {
                    pairs.push((a, b));
                }
            }
        }
        pairs
    }

    fn propose(&self, world: &World, kind: Kind, rng: &mut SeededRng) -> Option<Happening> {
        let living = self.living();
        if living.len() < 2 {
            return None;
        }
        let seen = |h: &Happening| world.events.iter().any(|e| same(&e.what, h));
        match kind {
            Kind::Journey => {
                let who = *rng.pick(&living);
                let from = self.state.location[who];
                // Places where others are draw travellers, so people meet.
                let weights: Vec<f64> = (0..world.places.len())
                    .map(|p| {
                        if p == from {
                            0.0
                        } else {
                            1.0 + living
                                .iter()
                                .filter(|&&o| self.state.location[o] == p)
                                .count() as f64
                        }
                    })
                    .collect();
                let to = weighted(rng, &weights)?;
                Some(Happening::Journey { who, from, to })
            }
            Kind::Meeting => {
                let pairs = self.together();
                let (a, b) = *pick_opt(rng, &pairs)?;
                let (a, b) = if rng.chance(0.5) { (a, b) } else { (b, a) };
                let h = Happening::Meeting { a, b };
                let here = self.state.location[a];
                let met_here = world.events.iter().any(|e| {
                    e.place == here
                        && matches!(e.what, Happening::Meeting { a: x, b: y }
                            if (x, y) == (a, b) || (x, y) == (b, a))
                });
                (!met_here).then_some(h)
            }
            Kind::Gift | Kind::Theft => {
                let pairs = self.together();
                let (a, b) = *pick_opt(rng, &pairs)?;
                let (from, to) = if rng.chance(0.5) { (a, b) } else { (b, a) };
                let held: Vec<ThingId> = (0..world.things.len())
                    .filter(|&t| self.state.holder[t] == from)
                    .collect();
                let thing = *pick_opt(rng, &held)?;
                let h = if kind == Kind::Gift {
                    Happening::Gift {
                        giver: from,
                        receiver: to,
                        thing,
                    }
                } else {
                    Happening::Theft {
                        thief: to,
                        victim: from,
                        thing,
                    }
                };
                (!seen(&h)).then_some(h)
            }
            Kind::Reveal => {
                // A theft at least two chapters old, not yet revealed.
                let open: Vec<EventId> = world
                    .events
                    .iter()
                    .enumerate()
                    .filter(|(i, e)| {
                        matches!(e.what, Happening::Theft { .. })
                            && e.chapter + 2 <= self.chapter
                            && !self.state.revealed[*i]
                    })
                    .map(|(i, _)| i)
                    .collect();
                let theft = *pick_opt(rng, &open)?;
                let Happening::Theft { thief, victim, .. } = world.events[theft].what else {
                    return None;
                };
                let tellers: Vec<PersonId> = living
                    .iter()
                    .copied()
                    .filter(|&p| p != thief && p != victim)
                    .collect();
                let teller = *pick_opt(rng, &tellers)?;
                let here = self.state.location[teller];
                let listeners: Vec<PersonId> = living
                    .iter()
                    .copied()
                    .filter(|&p| p != teller && p != thief && self.state.location[p] == here)
                    .collect();
                // The victim hears it when at hand.
                let listener = if listeners.contains(&victim) {
                    victim
                } else {
                    *pick_opt(rng, &listeners)?
                };
                Some(Happening::Reveal {
                    teller,
                    listener,
                    theft,
                })
            }
            Kind::Marriage => {
                if self.marriages > world.chapters / 8 {
                    return None;
                }
                // Two unmarried people at one place who have met before.
                let pairs: Vec<(PersonId, PersonId)> = self
                    .together()
                    .into_iter()
                    .filter(|&(a, b)| {
                        self.state.spouse[a].is_none()
                            && self.state.spouse[b].is_none()
                            && world.events.iter().any(|e| {
                                matches!(e.what, Happening::Meeting { a: x, b: y }
                                    if (x, y) == (a, b) || (x, y) == (b, a))
                            })
                    })
                    .collect();
                let (a, b) = *pick_opt(rng, &pairs)?;
                Some(Happening::Marriage { a, b })
            }
            Kind::Death => {
                if self.chapter * 3 < world.chapters
                    || self.deaths > world.chapters / 10
                    || living.len() * 3 < world.people.len() * 2
                {
                    return None;
                }
                Some(Happening::Death {
                    who: *rng.pick(&living),
                })
            }
        }
    }
}

/// The same gift or theft (same people, same thing): kept unique in a world.
fn same(a: &Happening, b: &Happening) -> bool {
    match (a, b) {
        (Happening::Gift { .. }, Happening::Gift { .. })
        | (Happening::Theft { .. }, Happening::Theft { .. }) => a == b,
        _ => false,
    }
}

fn draw_kind(rng: &mut SeededRng) -> Kind {
    let weights: Vec<f64> = KINDS.iter().map(|k| k.1).collect();
    KINDS[weighted(rng, &weights).unwrap_or(0)].0
}

/// An index drawn with probability proportional to its weight; `None` when all are zero.
pub fn weighted(rng: &mut SeededRng, weights: &[f64]) -> Option<usize> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let unit = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let mut x = unit * total;
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return Some(i);
        }
        x -= w;
    }
    weights.iter().rposition(|&w| w > 0.0)
}

fn pick_opt<'a, T>(rng: &mut SeededRng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| rng.pick(items))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_world_keeps_its_own_rules() {
        for seed in 0..40 {
            let mut rng = SeededRng::new(seed);
            let w = World::simulate(&mut rng, Size::for_tokens(60_000));
            assert!(w.events.len() >= 3 * w.chapters, "seed {seed}");
            let mut state = w.initial_state();
            for e in &w.events {
                for p in e.what.people() {
                    assert!(state.alive[p], "seed {seed}: the dead act in {e:?}");
                }
                match e.what {
                    Happening::Gift { giver, thing, .. } => {
                        assert_eq!(state.holder[thing], giver)
                    }
                    Happening::Theft { victim, thing, .. } => {
                        assert_eq!(state.holder[thing], victim)
                    }
                    Happening::Journey { who, from, .. } => {
                        assert_eq!(state.location[who], from)
                    }
                    Happening::Meeting { a, b } | Happening::Marriage { a, b } => {
                        assert_eq!(state.location[a], state.location[b])
                    }
                    _ => {}
                }
                apply(&mut state, e);
            }
            assert_eq!(state, w.final_state());
            // Names, nicknames and roles name one person each.
            for (i, p) in w.people.iter().enumerate() {
                for q in &w.people[i + 1..] {
                    assert!(p.given != q.given && p.nickname != q.nickname && p.role != q.role);
                }
            }
        }
    }

    #[test]
    fn the_same_seed_makes_the_same_world() {
        let make = |seed| {
            let w = World::simulate(&mut SeededRng::new(seed), Size::for_tokens(30_000));
            format!("{:?}", w.events)
        };
        assert_eq!(make(3), make(3));
        assert_ne!(make(3), make(4));
    }
}
