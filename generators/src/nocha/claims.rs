//! Claims about a story world: their shapes, how they are worded, and whether they hold.
//!
//! A claim is a statement a reader of the book can check, in one of five kinds (as NoCha's
//! claims are sorted by how much of the book they need): a single event (`local`), an event and
//! its consequence chapters later (`consequence`), a state at the end of the story that needs
//! the whole timeline (`end_state`), a count across the book (`counting`), and the order of two
//! events (`order`). [`Claim::holds`] decides a claim from the world alone; it is what the
//! generator and the property tests use, so a claim's truth is known by construction and can
//! be re-derived from `meta.claim` by anyone holding the world.
//!
//! A false claim must be false under any fair reading, not only the strict one:
//! [`Claim::loosely_holds`] is true where a careful reader could still call the claim true
//! (two people "met" at a place where the world's state has them both, alive, at any moment of
//! the timeline, whether or not an event brings them together; a thing "passed to" someone who
//! came to hold it later by other means), and no false claim may loosely hold.

use serde::{Deserialize, Serialize};

use super::world::{EventId, Happening, PersonId, PlaceId, ThingId, World};

/// How much of the book a claim needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Local,
    Consequence,
    EndState,
    Counting,
    Order,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Local,
        Kind::Consequence,
        Kind::EndState,
        Kind::Counting,
        Kind::Order,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Local => "local",
            Kind::Consequence => "consequence",
            Kind::EndState => "end_state",
            Kind::Counting => "counting",
            Kind::Order => "order",
        }
    }
}

/// One event, named without its place, as an order claim names it. Each matches at most one
/// event of a world (the simulation never repeats a gift, a theft, a marriage or a death).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "deed", rename_all = "snake_case")]
pub enum Deed {
    Gave {
        giver: PersonId,
        receiver: PersonId,
        thing: ThingId,
    },
    Stole {
        thief: PersonId,
        victim: PersonId,
        thing: ThingId,
    },
    Married {
        a: PersonId,
        b: PersonId,
    },
    Died {
        who: PersonId,
    },
}

impl Deed {
    /// The deed an event is, if it is one an order claim can name.
    pub fn of(what: &Happening) -> Option<Deed> {
        Some(match *what {
            Happening::Gift {
                giver,
                receiver,
                thing,
            } => Deed::Gave {
                giver,
                receiver,
                thing,
            },
            Happening::Theft {
                thief,
                victim,
                thing,
            } => Deed::Stole {
                thief,
                victim,
                thing,
            },
            Happening::Marriage { a, b } => Deed::Married { a, b },
            Happening::Death { who } => Deed::Died { who },
            _ => return None,
        })
    }

    /// The deed whatever its wording (the two people of a marriage in either order).
    pub fn canonical(self) -> Deed {
        match self {
            Deed::Married { a, b } => Deed::Married {
                a: a.min(b),
                b: a.max(b),
            },
            other => other,
        }
    }

    fn matches(&self, what: &Happening) -> bool {
        match (*self, *what) {
            (Deed::Married { a, b }, Happening::Marriage { a: x, b: y }) => {
                (a, b) == (x, y) || (a, b) == (y, x)
            }
            (deed, what) => Deed::of(&what) == Some(deed),
        }
    }

    /// The events it matches, in time order.
    pub fn events(&self, world: &World) -> Vec<EventId> {
        (0..world.events.len())
            .filter(|&i| self.matches(&world.events[i].what))
            .collect()
    }

    fn clause(&self, world: &World) -> String {
        let name = |p: PersonId| world.people[p].full_name();
        let thing = |t: ThingId| world.things[t].name;
        match *self {
            Deed::Gave {
                giver,
                receiver,
                thing: t,
            } => format!(
                "{} gave the {} to {}",
                name(giver),
                thing(t),
                name(receiver)
            ),
            Deed::Stole {
                thief,
                victim,
                thing: t,
            } => format!(
                "{} stole the {} from {}",
                name(thief),
                thing(t),
                name(victim)
            ),
            Deed::Married { a, b } => format!("{} married {}", name(a), name(b)),
            Deed::Died { who } => format!("{} died", name(who)),
        }
    }
}

/// A claim about a world. Serialised into `meta.claim` with the world's indices (people,
/// places and things are numbered as the world lists them).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Claim {
    Gave {
        giver: PersonId,
        receiver: PersonId,
        thing: ThingId,
        place: PlaceId,
    },
    Stole {
        thief: PersonId,
        victim: PersonId,
        thing: ThingId,
        place: PlaceId,
    },
    Met {
        a: PersonId,
        b: PersonId,
        place: PlaceId,
    },
    Married {
        a: PersonId,
        b: PersonId,
        place: PlaceId,
    },
    Died {
        who: PersonId,
        place: PlaceId,
    },
    Travelled {
        who: PersonId,
        from: PlaceId,
        to: PlaceId,
    },
    StolenThenTold {
        thief: PersonId,
        victim: PersonId,
        thing: ThingId,
        teller: PersonId,
        listener: PersonId,
    },
    GivenThenPassedOn {
        giver: PersonId,
        receiver: PersonId,
        thing: ThingId,
        next: PersonId,
    },
    DiedThenInherited {
        dead: PersonId,
        thing: ThingId,
        heir: PersonId,
    },
    MetThenMarried {
        a: PersonId,
        b: PersonId,
        place: PlaceId,
    },
    NeverVisited {
        who: PersonId,
        place: PlaceId,
    },
    HeldAtEnd {
        holder: PersonId,
        thing: ThingId,
    },
    AliveAtEnd {
        who: PersonId,
    },
    JourneysTo {
        who: PersonId,
        place: PlaceId,
        count: usize,
    },
    GiftsGiven {
        who: PersonId,
        count: usize,
    },
    Order {
        first: Deed,
        second: Deed,
        before: bool,
    },
}

/// Why a claim cannot be decided: an order claim whose deed matches no event, or several.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("order claim: {0}")]
pub struct Undecided(pub String);

impl Claim {
    pub fn kind(&self) -> Kind {
        match self {
            Claim::Gave { .. }
            | Claim::Stole { .. }
            | Claim::Met { .. }
            | Claim::Married { .. }
            | Claim::Died { .. }
            | Claim::Travelled { .. } => Kind::Local,
            Claim::StolenThenTold { .. }
            | Claim::GivenThenPassedOn { .. }
            | Claim::DiedThenInherited { .. }
            | Claim::MetThenMarried { .. } => Kind::Consequence,
            Claim::NeverVisited { .. } | Claim::HeldAtEnd { .. } | Claim::AliveAtEnd { .. } => {
                Kind::EndState
            }
            Claim::JourneysTo { .. } | Claim::GiftsGiven { .. } => Kind::Counting,
            Claim::Order { .. } => Kind::Order,
        }
    }

    /// The fact the claim states, whatever its wording: the same for two claims that say the
    /// same thing (the two people of a meeting or a marriage in either order; "A before B" and
    /// "B after A"). The pairs of a book state distinct facts.
    pub fn canonical(&self) -> Claim {
        let two = |a: PersonId, b: PersonId| (a.min(b), a.max(b));
        match *self {
            Claim::Met { a, b, place } => {
                let (a, b) = two(a, b);
                Claim::Met { a, b, place }
            }
            Claim::Married { a, b, place } => {
                let (a, b) = two(a, b);
                Claim::Married { a, b, place }
            }
            Claim::MetThenMarried { a, b, place } => {
                let (a, b) = two(a, b);
                Claim::MetThenMarried { a, b, place }
            }
            Claim::Order {
                first,
                second,
                before,
            } => {
                let (first, second) = (first.canonical(), second.canonical());
                let (first, second) = if before {
                    (first, second)
                } else {
                    (second, first)
                };
                Claim::Order {
                    first,
                    second,
                    before: true,
                }
            }
            ref other => other.clone(),
        }
    }

    /// The claim in words, as the model reads it: people by full name, things with "the",
    /// counts in words.
    pub fn text(&self, world: &World) -> String {
        let name = |p: PersonId| world.people[p].full_name();
        let place = |p: PlaceId| world.places[p].name;
        let thing = |t: ThingId| world.things[t].name;
        match *self {
            Claim::Gave {
                giver,
                receiver,
                thing: t,
                place: p,
            } => format!(
                "At {}, {} gave the {} to {}.",
                place(p),
                name(giver),
                thing(t),
                name(receiver)
            ),
            Claim::Stole {
                thief,
                victim,
                thing: t,
                place: p,
            } => format!(
                "At {}, {} stole the {} from {}.",
                place(p),
                name(thief),
                thing(t),
                name(victim)
            ),
            Claim::Met { a, b, place: p } => {
                format!("{} and {} met at {}.", name(a), name(b), place(p))
            }
            Claim::Married { a, b, place: p } => {
                format!("{} and {} were married at {}.", name(a), name(b), place(p))
            }
            Claim::Died { who, place: p } => format!("{} died at {}.", name(who), place(p)),
            Claim::Travelled { who, from, to } => format!(
                "{} travelled from {} to {}.",
                name(who),
                place(from),
                place(to)
            ),
            Claim::StolenThenTold {
                thief,
                victim,
                thing: t,
                teller,
                listener,
            } => format!(
                "After {} stole the {} from {}, {} later told {} who had taken {}.",
                name(thief),
                thing(t),
                name(victim),
                name(teller),
                name(listener),
                world.things[t].it()
            ),
            Claim::GivenThenPassedOn {
                giver,
                receiver,
                thing: t,
                next,
            } => format!(
                "{} received the {} as a gift from {}, and later gave {} to {}.",
                name(receiver),
                thing(t),
                name(giver),
                world.things[t].it(),
                name(next)
            ),
            Claim::DiedThenInherited {
                dead,
                thing: t,
                heir,
            } => format!(
                "After {} died, the {} passed to {}.",
                name(dead),
                thing(t),
                name(heir)
            ),
            Claim::MetThenMarried { a, b, place: p } => format!(
                "{} and {} met at {} and later married each other.",
                name(a),
                name(b),
                place(p)
            ),
            Claim::NeverVisited { who, place: p } => format!(
                "By the end of the story, {} had never been to {}.",
                name(who),
                place(p)
            ),
            Claim::HeldAtEnd { holder, thing: t } => format!(
                "By the end of the story, the {} {} in the hands of {}.",
                thing(t),
                world.things[t].was(),
                name(holder)
            ),
            Claim::AliveAtEnd { who } => {
                format!("{} was still alive at the end of the story.", name(who))
            }
            Claim::JourneysTo {
                who,
                place: p,
                count,
            } => format!(
                "Over the course of the story, {} travelled to {} {}.",
                name(who),
                place(p),
                times(count)
            ),
            Claim::GiftsGiven { who, count } => format!(
                "Over the course of the story, {} gave {}.",
                name(who),
                gifts_count(count)
            ),
            Claim::Order {
                first,
                second,
                before,
            } => format!(
                "{} {} {}.",
                first.clause(world),
                if before { "before" } else { "after" },
                second.clause(world)
            ),
        }
    }

    /// Whether the claim is true of `world`, read strictly.
    pub fn holds(&self, world: &World) -> Result<bool, Undecided> {
        let events = &world.events;
        let any = |f: &dyn Fn(usize, &Happening, PlaceId) -> bool| {
            events
                .iter()
                .enumerate()
                .any(|(i, e)| f(i, &e.what, e.place))
        };
        let end = world.final_state();
        Ok(match *self {
            Claim::Gave {
                giver,
                receiver,
                thing,
                place,
            } => any(&|_, h, at| {
                at == place
                    && *h
                        == Happening::Gift {
                            giver,
                            receiver,
                            thing,
                        }
            }),
            Claim::Stole {
                thief,
                victim,
                thing,
                place,
            } => any(&|_, h, at| {
                at == place
                    && *h
                        == Happening::Theft {
                            thief,
                            victim,
                            thing,
                        }
            }),
            Claim::Met { a, b, place } => any(&|_, h, at| {
                at == place
                    && matches!(*h, Happening::Meeting { a: x, b: y } if same_two(a, b, x, y))
            }),
            Claim::Married { a, b, place } => any(&|_, h, at| {
                at == place
                    && matches!(*h, Happening::Marriage { a: x, b: y } if same_two(a, b, x, y))
            }),
            Claim::Died { who, place } => {
                any(&|_, h, at| at == place && *h == Happening::Death { who })
            }
            Claim::Travelled { who, from, to } => {
                any(&|_, h, _| *h == Happening::Journey { who, from, to })
            }
            Claim::StolenThenTold {
                thief,
                victim,
                thing,
                teller,
                listener,
            } => any(&|i, h, _| {
                *h == Happening::Theft {
                    thief,
                    victim,
                    thing,
                } && events[i + 1..].iter().any(|e| {
                    e.what
                        == Happening::Reveal {
                            teller,
                            listener,
                            theft: i,
                        }
                })
            }),
            Claim::GivenThenPassedOn {
                giver,
                receiver,
                thing,
                next,
            } => any(&|i, h, _| {
                *h == Happening::Gift {
                    giver,
                    receiver,
                    thing,
                } && events[i + 1..].iter().any(|e| {
                    e.what
                        == Happening::Gift {
                            giver: receiver,
                            receiver: next,
                            thing,
                        }
                })
            }),
            Claim::DiedThenInherited { dead, thing, heir } => any(&|i, h, _| {
                *h == Happening::Death { who: dead }
                    && events[i + 1..].iter().any(|e| {
                        e.what
                            == Happening::Inheritance {
                                heir,
                                from: dead,
                                thing,
                            }
                    })
            }),
            Claim::MetThenMarried { a, b, place } => any(&|i, h, at| {
                at == place
                    && matches!(*h, Happening::Meeting { a: x, b: y } if same_two(a, b, x, y))
                    && events[i + 1..].iter().any(|e| {
                        matches!(e.what, Happening::Marriage { a: x, b: y } if same_two(a, b, x, y))
                    })
            }),
            Claim::NeverVisited { who, place } => !end.visited[who][place],
            Claim::HeldAtEnd { holder, thing } => end.holder[thing] == holder,
            Claim::AliveAtEnd { who } => end.alive[who],
            Claim::JourneysTo { who, place, count } => {
                journeys_to(world, who, place).len() == count
            }
            Claim::GiftsGiven { who, count } => gifts_given(world, who).len() == count,
            Claim::Order {
                first,
                second,
                before,
            } => {
                let one = |d: &Deed| match d.events(world).as_slice() {
                    [i] => Ok(*i),
                    [] => Err(Undecided(format!("`{}` never happens", d.clause(world)))),
                    _ => Err(Undecided(format!(
                        "`{}` happens more than once",
                        d.clause(world)
                    ))),
                };
                (one(&first)? < one(&second)?) == before
            }
        })
    }

    /// Whether a careful reader could still call the claim true when its detail `slot` is the
    /// one in doubt: [`Claim::holds`], or a looser reading of its words. A false claim must not
    /// loosely hold in the slot it was made false in: with a person swapped, the place it
    /// names is no alibi (the people must never have done it anywhere); with a place swapped,
    /// being there together for any reason counts as having met there.
    pub fn loosely_holds(&self, world: &World, slot: &str) -> Result<bool, Undecided> {
        if self.holds(world)? {
            return Ok(true);
        }
        let events = &world.events;
        let holders_after = |thing: ThingId, after: usize| -> Vec<PersonId> {
            events[after..]
                .iter()
                .filter_map(|e| transfer(&e.what).filter(|t| t.1 == thing).map(|t| t.2))
                .collect()
        };
        let anywhere = |h: Happening| events.iter().any(|e| e.what == h);
        let person_swapped = slot != "place";
        Ok(match *self {
            Claim::Gave {
                giver,
                receiver,
                thing,
                ..
            } if person_swapped => anywhere(Happening::Gift {
                giver,
                receiver,
                thing,
            }),
            Claim::Stole {
                thief,
                victim,
                thing,
                ..
            } if person_swapped => anywhere(Happening::Theft {
                thief,
                victim,
                thing,
            }),
            // Whoever the detail, two people at one place at one moment (for any reason: an
            // event, a journey's end, living there, small talk the book shows) met there. With
            // a person swapped the place is no alibi: the two must never have been together,
            // nor taken part in one event, anywhere.
            Claim::Met { a, b, .. } if person_swapped => {
                !world.together_at(a, b).is_empty()
                    || events.iter().any(|e| both_in(&e.what, a, b))
            }
            Claim::Married { a, b, .. } if person_swapped => events.iter().any(
                |e| matches!(e.what, Happening::Marriage { a: x, b: y } if same_two(a, b, x, y)),
            ),
            Claim::Died { who, .. } if person_swapped => anywhere(Happening::Death { who }),
            // Together at the place at any moment, or in any event there, counts as having met
            // there.
            Claim::Met { a, b, place } | Claim::MetThenMarried { a, b, place } => {
                world.together_at(a, b).contains(&place)
                    || events
                        .iter()
                        .any(|e| e.place == place && both_in(&e.what, a, b))
            }
            // Any journey to the place, from wherever.
            Claim::Travelled { who, to, .. } => events.iter().any(
                |e| matches!(e.what, Happening::Journey { who: w, to: t, .. } if w == who && t == to),
            ),
            // The thing reaching the receiver from the giver by any means, and later coming to
            // the next person by any means.
            Claim::GivenThenPassedOn {
                giver,
                receiver,
                thing,
                next,
            } => events.iter().enumerate().any(|(i, e)| {
                transfer(&e.what) == Some((giver, thing, receiver))
                    && holders_after(thing, i + 1).contains(&next)
            }),
            // The heir holding the thing at any time after the death.
            Claim::DiedThenInherited { dead, thing, heir } => events
                .iter()
                .position(|e| e.what == Happening::Death { who: dead })
                .is_some_and(|i| holders_after(thing, i + 1).contains(&heir)),
            _ => false,
        })
    }

    /// Where the claim's detail named `slot` is written, as the claim writes it: the phrase a
    /// true and a false claim of a pair differ in.
    pub fn slot_text(&self, world: &World, slot: &str) -> Option<String> {
        let name = |p: PersonId| Some(world.people[p].full_name());
        let place = |p: PlaceId| Some(world.places[p].name.to_string());
        let thing = |t: ThingId| Some(world.things[t].name.to_string());
        match (self, slot) {
            (Claim::Gave { giver, .. }, "giver")
            | (Claim::GivenThenPassedOn { giver, .. }, "giver") => name(*giver),
            (Claim::Gave { receiver, .. }, "receiver") => name(*receiver),
            (Claim::Stole { thief, .. }, "thief") => name(*thief),
            (Claim::Stole { victim, .. }, "victim") => name(*victim),
            (Claim::Met { b, .. }, "b") | (Claim::Married { b, .. }, "b") => name(*b),
            (Claim::Died { who, .. }, "who") | (Claim::AliveAtEnd { who }, "who") => name(*who),
            (Claim::StolenThenTold { teller, .. }, "teller") => name(*teller),
            (Claim::StolenThenTold { listener, .. }, "listener") => name(*listener),
            (Claim::GivenThenPassedOn { next, .. }, "next") => name(*next),
            (Claim::DiedThenInherited { heir, .. }, "heir") => name(*heir),
            (Claim::HeldAtEnd { holder, .. }, "holder") => name(*holder),
            (Claim::Gave { thing: t, .. }, "thing") | (Claim::Stole { thing: t, .. }, "thing") => {
                thing(*t)
            }
            (Claim::Gave { place: p, .. }, "place")
            | (Claim::Stole { place: p, .. }, "place")
            | (Claim::Met { place: p, .. }, "place")
            | (Claim::Married { place: p, .. }, "place")
            | (Claim::Died { place: p, .. }, "place")
            | (Claim::MetThenMarried { place: p, .. }, "place")
            | (Claim::NeverVisited { place: p, .. }, "place") => place(*p),
            (Claim::Travelled { to, .. }, "to") => place(*to),
            (Claim::JourneysTo { count, .. }, "count") => Some(times(*count)),
            (Claim::GiftsGiven { count, .. }, "count") => Some(gifts_count(*count)),
            (Claim::Order { before, .. }, "order") => {
                Some(if *before { "before" } else { "after" }.to_string())
            }
            _ => None,
        }
    }
}

/// Whether `{a, b}` and `{x, y}` are the same two people.
fn same_two(a: PersonId, b: PersonId, x: PersonId, y: PersonId) -> bool {
    (a, b) == (x, y) || (a, b) == (y, x)
}

/// Whether both take part in `what`.
fn both_in(what: &Happening, a: PersonId, b: PersonId) -> bool {
    let people = what.people();
    people.contains(&a) && people.contains(&b)
}

/// A thing changing hands: `(from, thing, to)`.
pub fn transfer(what: &Happening) -> Option<(PersonId, ThingId, PersonId)> {
    match *what {
        Happening::Gift {
            giver,
            receiver,
            thing,
        } => Some((giver, thing, receiver)),
        Happening::Theft {
            thief,
            victim,
            thing,
        } => Some((victim, thing, thief)),
        Happening::Inheritance { heir, from, thing } => Some((from, thing, heir)),
        _ => None,
    }
}

/// `who`'s journeys to `place`, in time order.
pub fn journeys_to(world: &World, who: PersonId, place: PlaceId) -> Vec<EventId> {
    (0..world.events.len())
        .filter(|&i| {
            matches!(world.events[i].what, Happening::Journey { who: w, to, .. } if w == who && to == place)
        })
        .collect()
}

/// The gifts `who` gave, in time order.
pub fn gifts_given(world: &World, who: PersonId) -> Vec<EventId> {
    (0..world.events.len())
        .filter(|&i| matches!(world.events[i].what, Happening::Gift { giver, .. } if giver == who))
        .collect()
}

const NUMBER_WORDS: [&str; 13] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
];

fn number(n: usize) -> String {
    NUMBER_WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

/// `exactly once`, `exactly twice`, `exactly three times`.
pub fn times(n: usize) -> String {
    match n {
        1 => "exactly once".into(),
        2 => "exactly twice".into(),
        n => format!("exactly {} times", number(n)),
    }
}

/// `exactly one gift`, `exactly two gifts` (the noun is part of the count, so a pair's claims
/// differ only there).
pub fn gifts_count(n: usize) -> String {
    match n {
        1 => "exactly one gift".into(),
        n => format!("exactly {} gifts", number(n)),
    }
}

/// One event in words, with its chapter and place, as `meta.facts` states it.
pub fn describe(world: &World, index: EventId) -> String {
    let e = &world.events[index];
    let name = |p: PersonId| world.people[p].full_name();
    let thing = |t: ThingId| world.things[t].name;
    let at = world.places[e.place].name;
    let what = match e.what {
        Happening::Meeting { a, b } => format!("{} met {} at {at}", name(a), name(b)),
        Happening::Journey { who, from, to } => format!(
            "{} travelled from {} to {}",
            name(who),
            world.places[from].name,
            world.places[to].name
        ),
        Happening::Gift {
            giver,
            receiver,
            thing: t,
        } => format!(
            "{} gave the {} to {} at {at}",
            name(giver),
            thing(t),
            name(receiver)
        ),
        Happening::Theft {
            thief,
            victim,
            thing: t,
        } => format!(
            "{} stole the {} from {} at {at}",
            name(thief),
            thing(t),
            name(victim)
        ),
        Happening::Marriage { a, b } => format!("{} married {} at {at}", name(a), name(b)),
        Happening::Death { who } => format!("{} died at {at}", name(who)),
        Happening::Inheritance {
            heir,
            from,
            thing: t,
        } => format!(
            "the {} passed from {} to {} on {}'s death",
            thing(t),
            name(from),
            name(heir),
            world.people[from].given
        ),
        Happening::Reveal {
            teller,
            listener,
            theft,
        } => format!(
            "{} told {} at {at} of the theft in chapter {}",
            name(teller),
            name(listener),
            world.events[theft].chapter
        ),
    };
    format!("chapter {}: {what}", e.chapter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_fact_in_other_words_is_one_canonical_claim() {
        let gave = Deed::Gave {
            giver: 0,
            receiver: 1,
            thing: 2,
        };
        let wed = |a, b| Deed::Married { a, b };
        let order = |first, second, before| Claim::Order {
            first,
            second,
            before,
        };
        let canon = order(gave, wed(0, 1), true).canonical();
        assert_eq!(order(wed(1, 0), gave, false).canonical(), canon);
        assert_eq!(order(wed(0, 1), gave, false).canonical(), canon);
        assert_ne!(order(wed(0, 1), gave, true).canonical(), canon);
        assert_eq!(
            Claim::Met {
                a: 3,
                b: 1,
                place: 2
            }
            .canonical(),
            Claim::Met {
                a: 1,
                b: 3,
                place: 2
            }
        );
        assert_ne!(
            Claim::Met {
                a: 3,
                b: 1,
                place: 2
            }
            .canonical(),
            Claim::Met {
                a: 1,
                b: 3,
                place: 0
            }
            .canonical()
        );
        let alive = Claim::AliveAtEnd { who: 4 };
        assert_eq!(alive.canonical(), alive);
    }
}
