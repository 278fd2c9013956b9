//! Path traversal: a network of invented cities in which every city has exactly one onward
//! connection, by a named means of transport; the answer is the route from a source city to a
//! destination, one step per line in a `<Route>` block ("From X, take a train to Y.").
//!
//! Because each city has one way out, the route is unique: follow the connections from the
//! source until the destination. The route's cities are joined by distractor cities
//! (`--distractors` of them per route city), whose onward connections point anywhere, into
//! the route too, so a reader who walks backwards from the destination, or guesses from the
//! names, goes astray. The destination has its own onward connection, so the route does not
//! end where the connections end. The connections are listed in random order, each in one of
//! several phrasings; the answer format is fixed.
//!
//! Size: route steps are added until the reference is estimated at the aimed length; the
//! family measures and re-aims.

use longforge_datasets::{char_len, Evidence, SeededRng};
use serde_json::{json, Map, Value};

use super::places::Namer;
use super::{render, Instance, Level, Procedure};
use crate::GenerateError;

pub(crate) struct PathTraversal;

/// Means of transport, each taking the article "a".
const MEANS: &[&str] = &[
    "train",
    "bus",
    "ferry",
    "tram",
    "coach",
    "plane",
    "boat",
    "cable car",
    "night train",
    "shuttle bus",
];

/// How the context states a connection: `{a}` the city left, `{m}` the means, `{b}` the city
/// reached.
const PHRASINGS: &[&str] = &[
    "There is a {m} from {a} to {b}.",
    "From {a}, a {m} goes to {b}.",
    "{a} has a {m} service to {b}.",
    "The only way to leave {a} is a {m} to {b}.",
    "Travellers leaving {a} take a {m} to {b}.",
    "A {m} runs from {a} to {b}.",
];

const PROMPT: &str = "\
You are given a network of cities linked by public transport. Each city below has exactly one \
onward connection: from every city you can travel to exactly one other city, by one named means \
of transport. Connections go one way only.

<Connections>
{{ context }}
</Connections>

Task: find the route from {{ source }} to {{ destination }}. Start at {{ source }}, take its only \
onward connection, then the only onward connection of the city you arrive in, and so on, until you \
arrive in {{ destination }}. Because every city has one way out, this route is unique.

Write the route between the lines <Route> and </Route>, one step per line, in the order travelled, \
each step exactly in this form:
From CITY, take a MEANS to NEXT CITY.
with the city names and the means of transport as the connections give them, for example \
\"From City A, take a ferry to City B.\" The first step leaves {{ source }} and the last arrives in \
{{ destination }}. Write nothing else inside the block: no numbering, no blank lines, no comments.
";

/// One connection: the city left, the means, the city reached.
struct Link {
    from: usize,
    means: &'static str,
    to: usize,
}

/// The answer's form of one step.
fn step(names: &[String], link: &Link) -> String {
    format!(
        "From {}, take a {} to {}.",
        names[link.from], link.means, names[link.to]
    )
}

impl Procedure for PathTraversal {
    fn instance(
        &self,
        distractors: f64,
        aim: f64,
        _level: Level,
        rng: &mut SeededRng,
    ) -> Result<Instance, GenerateError> {
        let mut namer = Namer::default();
        let mut names = vec![namer.name(rng)];
        let mut links: Vec<Link> = Vec::new();
        let mut lines: Vec<String> = Vec::new();
        // About 3.4 characters a token for invented names; the tags cost a few tokens.
        let mut chars = "<Route>\n</Route>".len();
        while links.len() < 2 || (chars as f64) / 3.4 < aim {
            names.push(namer.name(rng));
            let link = Link {
                from: names.len() - 2,
                means: rng.draw(MEANS),
                to: names.len() - 1,
            };
            let line = step(&names, &link);
            chars += line.len() + 1;
            lines.push(line);
            links.push(link);
        }
        let on_route = names.len();
        let destination = on_route - 1;
        let extra = (distractors * on_route as f64).round() as usize;
        for _ in 0..extra {
            names.push(namer.name(rng));
        }
        // The destination's and each distractor's onward connection: any other city.
        for from in destination..names.len() {
            let mut to = rng.below(names.len() - 1);
            if to >= from {
                to += 1;
            }
            links.push(Link {
                from,
                means: rng.draw(MEANS),
                to,
            });
        }
        let route_links = on_route - 1;
        let mut order: Vec<usize> = (0..links.len()).collect();
        rng.shuffle(&mut order);

        let mut context = String::new();
        let mut at = 0usize;
        let mut evidence = Vec::with_capacity(route_links);
        let mut connections = Vec::with_capacity(links.len());
        let mut candidates = Vec::with_capacity(links.len());
        for (n, &i) in order.iter().enumerate() {
            let link = &links[i];
            let sentence = rng
                .draw(PHRASINGS)
                .replace("{a}", &names[link.from])
                .replace("{m}", link.means)
                .replace("{b}", &names[link.to]);
            if n > 0 {
                context.push('\n');
                at += 1;
            }
            let len = char_len(&sentence);
            if i < route_links {
                evidence.push(Evidence {
                    text: sentence.clone(),
                    char_start: at,
                    char_end: at + len,
                });
            }
            at += len;
            context.push_str(&sentence);
            connections
                .push(json!({"from": names[link.from], "means": link.means, "to": names[link.to]}));
            candidates.push(step(&names, link));
        }
        evidence.sort_by_key(|e| e.char_start);

        let (source, target) = (&names[0], &names[destination]);
        let output = format!("<Route>\n{}\n</Route>", lines.join("\n"));
        let prompt = render(
            PROMPT,
            json!({"context": context, "source": source, "destination": target}),
        )?;
        let mut meta = Map::new();
        meta.insert("source".into(), json!(source));
        meta.insert("destination".into(), json!(target));
        meta.insert("route".into(), json!(names[..on_route]));
        meta.insert("steps".into(), json!(route_links));
        meta.insert("cities".into(), json!(names.len()));
        meta.insert("connections".into(), Value::Array(connections));
        Ok(Instance {
            question: format!("What is the route from {source} to {target}?"),
            context: Some(context),
            prompt,
            output,
            kind: "route",
            meta,
            evidence,
            // Random: as many steps as the route has, drawn from every connection; shortcut:
            // the first step only, a reader who stops after one hop.
            baseline: json!({
                "candidates": candidates,
                "picks": route_links,
                "shortcut": [lines[0]],
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn make(distractors: f64, aim: f64, seed: u64) -> Instance {
        PathTraversal
            .instance(distractors, aim, Level(2000), &mut SeededRng::new(seed))
            .unwrap()
    }

    /// Follows the connections as the prompt says, from the listed facts alone.
    fn walk(meta: &Map<String, Value>) -> Vec<String> {
        let mut next: HashMap<&str, (&str, &str)> = HashMap::new();
        for c in meta["connections"].as_array().unwrap() {
            let from = c["from"].as_str().unwrap();
            let was = next.insert(
                from,
                (c["means"].as_str().unwrap(), c["to"].as_str().unwrap()),
            );
            assert!(was.is_none(), "{from} has two onward connections");
        }
        let (mut at, end) = (
            meta["source"].as_str().unwrap(),
            meta["destination"].as_str().unwrap(),
        );
        let mut steps = Vec::new();
        while at != end {
            let (means, to) = next[at];
            steps.push(format!("From {at}, take a {means} to {to}."));
            at = to;
            assert!(steps.len() <= next.len(), "the route loops");
        }
        steps
    }

    #[test]
    fn the_reference_is_the_unique_walk_from_source_to_destination() {
        for seed in 0..20 {
            let inst = make(1.5, 300.0, seed);
            let steps = walk(&inst.meta);
            assert_eq!(
                inst.output,
                format!("<Route>\n{}\n</Route>", steps.join("\n"))
            );
            // Every city has exactly one onward connection, distractors included.
            let cities = inst.meta["cities"].as_u64().unwrap() as usize;
            assert_eq!(inst.meta["connections"].as_array().unwrap().len(), cities);
            let route = inst.meta["steps"].as_u64().unwrap() as usize;
            assert_eq!(steps.len(), route);
            assert_eq!(
                cities,
                route + 1 + (1.5 * (route + 1) as f64).round() as usize
            );
            assert_eq!(inst.evidence.len(), route);
            let context = inst.context.as_deref().unwrap();
            for e in &inst.evidence {
                let text: String = context
                    .chars()
                    .skip(e.char_start)
                    .take(e.char_end - e.char_start)
                    .collect();
                assert_eq!(text, e.text);
            }
            assert!(inst.prompt.contains(context));
        }
    }

    #[test]
    fn more_aim_makes_longer_routes_and_no_distractors_is_allowed() {
        let short = make(0.0, 200.0, 1);
        let long = make(0.0, 2000.0, 1);
        let steps = |i: &Instance| i.meta["steps"].as_u64().unwrap();
        assert!(steps(&long) > 5 * steps(&short));
        assert_eq!(
            short.meta["cities"].as_u64().unwrap(),
            steps(&short) + 1,
            "no distractors: the route's cities only"
        );
    }
}
