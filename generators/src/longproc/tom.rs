//! Theory-of-mind tracking: agents walk between rooms, move objects between containers (within
//! a room, or carried to another room) and tell each other where things are, over numbered
//! steps (`Step 0: ...`, as LongProc's stories); some moves happen where an agent cannot see
//! them. The question is where one agent believes one object is; the answer is that agent's
//! belief after every step, one `- Step N: ...` line each, then `Final Answer: <location>`
//! (LongProc's format; the original's stories and solutions come from a fixed release).
//!
//! The rules, stated in the prompt: at Step 0 everyone knows where every object is; an agent
//! sees a move when they are in the room it happens in (a carried object is seen by everyone
//! in the room it leaves and everyone in the room it reaches, the carrier included), and then
//! believes the object is where it was put; an agent who is told where an object is believes
//! it; nothing else changes a belief (walking into a room does not show what is inside its
//! containers). The reference is written by simulating the world and every agent's
//! observations step by step ([`World`]); each line gives the belief and why it is what it is
//! (`start`, `saw it`, `did not see it`, `was told`, `no change`), both fixed by the rules.
//!
//! Dial `--agents` (2-6): how many agents walk, move and talk; more agents make more moves and
//! tellings the asked agent must tell apart. Size: steps are added until the answer is
//! estimated at the aimed length; the family measures and re-aims.

use longforge_datasets::{char_len, Evidence, SeededRng};
use serde_json::{json, Map};

use super::{render, Instance, Level, Procedure};
use crate::GenerateError;

pub(crate) struct TomTracking;

/// About this many tokens an answer line takes ("- Step 41: the green basket (did not see
/// it)"); the family measures and re-aims.
const TOKENS_PER_LINE: f64 = 12.3;

const PROMPT: &str = "\
Read the story below. It happens in a house with these rooms and containers:
{{ layout }}

Rules of the story:
- At Step 0 everyone knows where every object is.
- An agent sees a move when they are in the room where it happens at that step. When an object \
is carried from one room to another, everyone in the room it leaves and everyone in the room it \
reaches sees it (the carrier too, who ends up in the room it reaches). After seeing a move, an \
agent believes the object is where it was put.
- An agent who is told where an object is believes it, whatever they believed before. Only the \
agent spoken to hears it.
- Nothing else changes what an agent believes. Going into a room does not show what is inside \
its containers.

<Story>
{{ context }}
</Story>

Question: {{ question }}

Answer by tracking {{ agent }}'s belief about the {{ object }} after every step, from Step 0 to \
Step {{ last }}, one line per step, each exactly in this form:
- Step N: LOCATION (REASON)
where LOCATION is the container {{ agent }} believes the {{ object }} is in after that step (as \
\"the red box\"), and REASON is one of:
  start: Step 0;
  saw it: the {{ object }} was moved at this step and {{ agent }} saw it;
  did not see it: the {{ object }} was moved at this step and {{ agent }} did not see it;
  was told: someone told {{ agent }} where the {{ object }} is at this step;
  no change: anything else.
After the last step line, write one line:
Final Answer: LOCATION
with {{ agent }}'s belief after the last step.
";

const AGENTS: &[&str] = &[
    "Alice", "Bruno", "Chiara", "Dmitri", "Esme", "Farid", "Greta", "Hiro", "Ines", "Jonas",
    "Kamala", "Leon", "Mira", "Nils", "Olu", "Priya",
];

const ROOMS: &[&str] = &[
    "kitchen", "hallway", "study", "garden", "attic", "cellar", "bedroom", "pantry", "garage",
    "library", "porch", "workshop",
];

const COLOURS: &[&str] = &[
    "red", "blue", "green", "yellow", "white", "black", "brown", "silver", "orange", "purple",
];

const BOXES: &[&str] = &[
    "box", "basket", "drawer", "crate", "cupboard", "suitcase", "bucket", "envelope", "chest",
    "tin",
];

const OBJECTS: &[&str] = &[
    "apple", "key", "scarf", "coin", "letter", "ball", "watch", "book", "candle", "map", "ring",
    "spoon", "torch", "glove",
];

/// Why the asked agent's belief after a step is what it is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reason {
    Start,
    Saw,
    Missed,
    Told,
    NoChange,
}

impl Reason {
    fn text(self) -> &'static str {
        match self {
            Reason::Start => "start",
            Reason::Saw => "saw it",
            Reason::Missed => "did not see it",
            Reason::Told => "was told",
            Reason::NoChange => "no change",
        }
    }
}

/// One step after Step 0.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// An agent goes from their room to another.
    Go { agent: usize, to: usize },
    /// An agent moves an object between two containers; when they are in different rooms the
    /// agent carries it and ends up in the second room.
    Move {
        agent: usize,
        object: usize,
        to: usize,
    },
    /// An agent tells another, in the same room, where they believe an object is.
    Tell {
        agent: usize,
        listener: usize,
        object: usize,
    },
}

/// The house and what everyone knows: rooms, containers (each in one room), agents (each in one
/// room), objects (each in one container) and every agent's belief about every object.
struct World {
    rooms: Vec<&'static str>,
    /// Per container: its name ("the red box") and its room.
    containers: Vec<(String, usize)>,
    agents: Vec<&'static str>,
    objects: Vec<&'static str>,
    agent_room: Vec<usize>,
    object_at: Vec<usize>,
    /// `belief[agent][object]`: the container the agent believes the object is in.
    belief: Vec<Vec<usize>>,
}

impl World {
    fn draw(agents: usize, rng: &mut SeededRng) -> World {
        let mut rooms = ROOMS.to_vec();
        rng.shuffle(&mut rooms);
        rooms.truncate(rng.range(3, 4));
        let mut names: Vec<String> = COLOURS
            .iter()
            .flat_map(|c| BOXES.iter().map(move |b| format!("the {c} {b}")))
            .collect();
        rng.shuffle(&mut names);
        let mut containers = Vec::new();
        for room in 0..rooms.len() {
            for _ in 0..rng.range(2, 3) {
                containers.push((names.pop().unwrap_or_default(), room));
            }
        }
        let mut people = AGENTS.to_vec();
        rng.shuffle(&mut people);
        people.truncate(agents);
        let mut objects = OBJECTS.to_vec();
        rng.shuffle(&mut objects);
        objects.truncate(rng.range(2, 4));
        let agent_room = (0..agents).map(|_| rng.below(rooms.len())).collect();
        let object_at: Vec<usize> = (0..objects.len())
            .map(|_| rng.below(containers.len()))
            .collect();
        let belief = vec![object_at.clone(); agents];
        World {
            rooms,
            containers,
            agents: people,
            objects,
            agent_room,
            object_at,
            belief,
        }
    }

    fn container_room(&self, c: usize) -> usize {
        self.containers[c].1
    }

    /// Applies `event` to the world and every agent's beliefs, by the prompt's rules.
    fn apply(&mut self, event: Event) {
        match event {
            Event::Go { agent, to } => self.agent_room[agent] = to,
            Event::Move { agent, object, to } => {
                let from_room = self.container_room(self.object_at[object]);
                let to_room = self.container_room(to);
                self.object_at[object] = to;
                self.agent_room[agent] = to_room;
                for a in 0..self.agents.len() {
                    let room = self.agent_room[a];
                    if room == from_room || room == to_room {
                        self.belief[a][object] = to;
                    }
                }
            }
            Event::Tell {
                agent,
                listener,
                object,
            } => self.belief[listener][object] = self.belief[agent][object],
        }
    }

    /// Whether `agent` sees `event` (for a move: is in the room it leaves or reaches, before
    /// the step; the carrier always).
    fn sees(&self, agent: usize, event: Event) -> bool {
        match event {
            Event::Move {
                agent: mover,
                object,
                to,
            } => {
                let room = self.agent_room[agent];
                mover == agent
                    || room == self.container_room(self.object_at[object])
                    || room == self.container_room(to)
            }
            _ => false,
        }
    }

    /// The story's line for a step after Step 0, written before it is applied.
    fn describe(&self, event: Event) -> String {
        match event {
            Event::Go { agent, to } => format!(
                "{} goes from the {} to the {}.",
                self.agents[agent], self.rooms[self.agent_room[agent]], self.rooms[to]
            ),
            Event::Move { agent, object, to } => {
                let from = self.object_at[object];
                let (from_room, to_room) = (self.container_room(from), self.container_room(to));
                if from_room == to_room {
                    format!(
                        "{} moves the {} from {} to {}.",
                        self.agents[agent],
                        self.objects[object],
                        self.containers[from].0,
                        self.containers[to].0
                    )
                } else {
                    format!(
                        "{} carries the {} from {} in the {} to {} in the {}.",
                        self.agents[agent],
                        self.objects[object],
                        self.containers[from].0,
                        self.rooms[from_room],
                        self.containers[to].0,
                        self.rooms[to_room]
                    )
                }
            }
            Event::Tell {
                agent,
                listener,
                object,
            } => format!(
                "{} tells {} that the {} is in {}.",
                self.agents[agent],
                self.agents[listener],
                self.objects[object],
                self.containers[self.belief[agent][object]].0
            ),
        }
    }

    /// Step 0: where everyone and everything is.
    fn opening(&self) -> String {
        let people: Vec<String> = (0..self.agents.len())
            .map(|a| {
                format!(
                    "{} is in the {}",
                    self.agents[a], self.rooms[self.agent_room[a]]
                )
            })
            .collect();
        let things: Vec<String> = (0..self.objects.len())
            .map(|o| {
                format!(
                    "the {} is in {}",
                    self.objects[o], self.containers[self.object_at[o]].0
                )
            })
            .collect();
        format!("{}; {}.", people.join(", "), things.join(", "))
    }

    fn layout(&self) -> String {
        (0..self.rooms.len())
            .map(|r| {
                let inside: Vec<&str> = self
                    .containers
                    .iter()
                    .filter(|c| c.1 == r)
                    .map(|c| c.0.as_str())
                    .collect();
                format!("- the {}: {}", self.rooms[r], inside.join(", "))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A random event possible in the current world: about a third goes between rooms, a
    /// third moves of `object` (the asked one, so its moves, seen and unseen, make up much of
    /// the story), the rest moves of any object and tellings. A move drawn where nobody is in
    /// the object's room becomes someone going there.
    fn draw_event(&self, object: usize, rng: &mut SeededRng) -> Event {
        let agents = self.agents.len();
        let go = |agent: usize, rng: &mut SeededRng| {
            let room = self.agent_room[agent];
            let mut to = rng.below(self.rooms.len() - 1);
            if to >= room {
                to += 1;
            }
            Event::Go { agent, to }
        };
        let roll = rng.below(100);
        if roll < 35 {
            return go(rng.below(agents), rng);
        }
        if roll < 85 {
            let o = if roll < 65 {
                object
            } else {
                rng.below(self.objects.len())
            };
            let from = self.object_at[o];
            let room = self.container_room(from);
            let present: Vec<usize> = (0..agents)
                .filter(|&a| self.agent_room[a] == room)
                .collect();
            if present.is_empty() {
                let agent = rng.below(agents);
                return Event::Go { agent, to: room };
            }
            let mut to = rng.below(self.containers.len() - 1);
            if to >= from {
                to += 1;
            }
            return Event::Move {
                agent: rng.draw(&present),
                object: o,
                to,
            };
        }
        let agent = rng.below(agents);
        let room = self.agent_room[agent];
        let others: Vec<usize> = (0..agents)
            .filter(|&b| b != agent && self.agent_room[b] == room)
            .collect();
        if others.is_empty() {
            return go(agent, rng);
        }
        let o = if rng.chance(0.6) {
            object
        } else {
            rng.below(self.objects.len())
        };
        Event::Tell {
            agent,
            listener: rng.draw(&others),
            object: o,
        }
    }
}

impl Procedure for TomTracking {
    fn instance(
        &self,
        agents: f64,
        aim: f64,
        _level: Level,
        rng: &mut SeededRng,
    ) -> Result<Instance, GenerateError> {
        let mut world = World::draw(agents as usize, rng);
        let asked = rng.below(world.agents.len());
        let object = rng.below(world.objects.len());
        let steps = ((aim - 12.0) / TOKENS_PER_LINE).round().max(4.0) as usize;

        let mut story = vec![format!("Step 0: {}", world.opening())];
        let mut answer = vec![line(&world, 0, asked, object, Reason::Start)];
        let (mut moves, mut unseen) = (0, 0);
        let mut evidence = Vec::new();
        let mut at = char_len(&story[0]);
        for n in 1..steps {
            let event = world.draw_event(object, rng);
            let text = format!("Step {n}: {}", world.describe(event));
            let reason = match event {
                Event::Move { object: o, .. } if o == object => {
                    moves += 1;
                    if world.sees(asked, event) {
                        Reason::Saw
                    } else {
                        unseen += 1;
                        Reason::Missed
                    }
                }
                Event::Tell {
                    listener,
                    object: o,
                    ..
                } if listener == asked && o == object => Reason::Told,
                _ => Reason::NoChange,
            };
            // Evidence: the steps that change or should have changed the asked belief.
            at += 1;
            if reason != Reason::NoChange {
                evidence.push(Evidence {
                    text: text.clone(),
                    char_start: at,
                    char_end: at + char_len(&text),
                });
            }
            at += char_len(&text);
            world.apply(event);
            answer.push(line(&world, n, asked, object, reason));
            story.push(text);
        }
        let believed = world.containers[world.belief[asked][object]].0.clone();
        let actual = world.containers[world.object_at[object]].0.clone();
        let output = format!("{}\nFinal Answer: {believed}", answer.join("\n"));
        let context = story.join("\n");
        let (agent_name, object_name) = (world.agents[asked], world.objects[object]);
        let question = format!("Where does {agent_name} think the {object_name} is?");
        let prompt = render(
            PROMPT,
            json!({
                "layout": world.layout(),
                "context": context,
                "question": question,
                "agent": agent_name,
                "object": object_name,
                "last": steps - 1,
            }),
        )?;
        let containers: Vec<&str> = world.containers.iter().map(|c| c.0.as_str()).collect();
        let mut meta = Map::new();
        meta.insert("agent".into(), json!(agent_name));
        meta.insert("object".into(), json!(object_name));
        meta.insert("steps".into(), json!(steps));
        meta.insert("moves".into(), json!(moves));
        meta.insert("unseen_moves".into(), json!(unseen));
        meta.insert("answer".into(), json!(believed));
        meta.insert("actual".into(), json!(actual));
        meta.insert("containers".into(), json!(containers));
        Ok(Instance {
            context: Some(context),
            question,
            prompt,
            output,
            kind: "tom",
            meta,
            evidence,
            // Random: one container, held as the belief at every step; shortcut: where the
            // object really is at the end, a reader who tracks the world but not the agent.
            baseline: json!({
                "candidates": containers,
                "picks": 1,
                "shortcut": [actual],
            }),
        })
    }
}

/// An answer line: the asked agent's belief about the object after step `n`, and why.
fn line(world: &World, n: usize, agent: usize, object: usize, reason: Reason) -> String {
    format!(
        "- Step {n}: {} ({})",
        world.containers[world.belief[agent][object]].0,
        reason.text()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(agents: f64, aim: f64, seed: u64) -> Instance {
        TomTracking
            .instance(agents, aim, Level(2000), &mut SeededRng::new(seed))
            .unwrap()
    }

    /// Re-reads the story text alone, as the prompt's rules say, and rebuilds the answer.
    fn replay(inst: &Instance) -> String {
        let story = inst.context.as_deref().unwrap();
        let agent = inst.meta["agent"].as_str().unwrap();
        let object = inst.meta["object"].as_str().unwrap();
        let containers: Vec<String> = inst.meta["containers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        // Rooms of containers, from the prompt's layout lines.
        let mut container_room = std::collections::HashMap::new();
        for l in inst
            .prompt
            .lines()
            .filter(|l| l.starts_with("- the ") && l.contains(": "))
        {
            let (room, inside) = l[2..].split_once(": ").unwrap();
            for c in inside.split(", ") {
                container_room.insert(c.to_string(), room.trim_start_matches("the ").to_string());
            }
        }
        let mut rooms: std::collections::HashMap<String, String> = Default::default();
        let mut where_is: std::collections::HashMap<String, String> = Default::default();
        let mut belief = String::new();
        let mut beliefs: std::collections::HashMap<String, String> = Default::default();
        let mut lines = Vec::new();
        for (n, text) in story.lines().enumerate() {
            let body = text.split_once(": ").unwrap().1.trim_end_matches('.');
            let reason;
            if n == 0 {
                let (people, things) = body.split_once("; ").unwrap();
                for p in people.split(", ") {
                    let (who, room) = p.split_once(" is in the ").unwrap();
                    rooms.insert(who.into(), room.into());
                }
                for t in things.split(", ") {
                    let (what, c) = t.trim_start_matches("the ").split_once(" is in ").unwrap();
                    where_is.insert(what.into(), c.into());
                }
                belief = where_is[object].clone();
                for who in rooms.keys() {
                    beliefs.insert(who.clone(), belief.clone());
                }
                reason = "start";
            } else if let Some((who, rest)) = body.split_once(" goes from the ") {
                let to = rest.split_once(" to the ").unwrap().1;
                rooms.insert(who.into(), to.into());
                reason = "no change";
            } else if let Some((who, rest)) = body.split_once(" tells ") {
                let (listener, rest) = rest.split_once(" that the ").unwrap();
                let (what, c) = rest.split_once(" is in ").unwrap();
                let _ = who;
                if listener == agent && what == object {
                    belief = c.to_string();
                    reason = "was told";
                } else {
                    reason = "no change";
                }
            } else {
                let (who, rest) = body
                    .split_once(" moves the ")
                    .or_else(|| body.split_once(" carries the "))
                    .unwrap();
                let (what, rest) = rest.split_once(" from ").unwrap();
                let (_, to) = rest.split_once(" to ").unwrap();
                let to = to.split(" in the ").next().unwrap().to_string();
                let from_room = container_room[&where_is[what]].clone();
                let to_room = container_room[&to].clone();
                let seen = rooms[agent] == from_room || rooms[agent] == to_room || who == agent;
                where_is.insert(what.into(), to.clone());
                rooms.insert(who.into(), to_room);
                if what == object {
                    if seen {
                        belief = to;
                        reason = "saw it";
                    } else {
                        reason = "did not see it";
                    }
                } else {
                    reason = "no change";
                }
            }
            lines.push(format!("- Step {n}: {belief} ({reason})"));
        }
        assert!(containers.contains(&belief));
        format!("{}\nFinal Answer: {belief}", lines.join("\n"))
    }

    #[test]
    fn the_reference_is_the_stated_rules_applied_to_the_story() {
        for seed in 0..30 {
            let inst = make([2.0, 3.0, 5.0][seed as usize % 3], 600.0, seed);
            assert_eq!(inst.output, replay(&inst), "seed {seed}");
            assert!(inst.prompt.contains(inst.context.as_deref().unwrap()));
            let story = inst.context.as_deref().unwrap();
            for e in &inst.evidence {
                let text: String = story
                    .chars()
                    .skip(e.char_start)
                    .take(e.char_end - e.char_start)
                    .collect();
                assert_eq!(text, e.text);
            }
        }
    }

    #[test]
    fn stories_have_unseen_moves_and_longer_aims_more_steps() {
        let unseen: u64 = (0..20)
            .map(|s| make(3.0, 800.0, s).meta["unseen_moves"].as_u64().unwrap())
            .sum();
        assert!(unseen >= 20, "{unseen}");
        let steps = |i: &Instance| i.meta["steps"].as_u64().unwrap();
        assert!(steps(&make(3.0, 4000.0, 1)) > 5 * steps(&make(3.0, 500.0, 1)));
    }
}
