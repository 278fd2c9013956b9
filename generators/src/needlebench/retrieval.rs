//! Needle retrieval: single-needle (one fact at one depth) and multi-needle (one fact per depth,
//! all asked at once), as in NeedleBench.
//!
//! Each needle ties an invented key (a place) to an invented value (an object). Beyond the
//! original, a sample can carry near-miss distractors: the same sentence shape about other
//! places, so that "answer with the first object mentioned" fails where real retrieval succeeds.

use longforge_datasets::SeededRng;
use serde::Serialize;

use super::names::invented_words;
use crate::haystack::Lang;

/// One fact: the sentence placed in the haystack and the question that asks for it.
#[derive(Debug, Clone, Serialize)]
pub struct Needle {
    pub key: String,
    pub value: String,
    /// The invented word inside `value`, a fact of its own.
    #[serde(skip)]
    pub value_word: String,
    #[serde(skip)]
    pub sentence: String,
    #[serde(skip)]
    pub question: String,
}

struct Shape {
    sentence: &'static str,
    question: &'static str,
}

const SHAPES_EN: &[Shape] = &[
    Shape {
        sentence: "Hidden on {K} Island is the legendary {V}.",
        question: "What legendary object is hidden on {K} Island?",
    },
    Shape {
        sentence: "The vault beneath {K} Tower holds the {V}.",
        question: "What does the vault beneath {K} Tower hold?",
    },
    Shape {
        sentence: "The traders of {K} Bay once bartered away the {V}.",
        question: "What did the traders of {K} Bay once barter away?",
    },
    Shape {
        sentence: "Pilgrims who reach {K} Abbey are shown the {V}.",
        question: "What are pilgrims shown when they reach {K} Abbey?",
    },
];
const SHAPES_ZH: &[Shape] = &[
    Shape {
        sentence: "传说中的{V}藏在{K}岛上。",
        question: "{K}岛上藏着什么传说中的宝物？",
    },
    Shape {
        sentence: "{K}塔下的地窖里存放着{V}。",
        question: "{K}塔下的地窖里存放着什么？",
    },
    Shape {
        sentence: "{K}湾的商人曾经用{V}换过货物。",
        question: "{K}湾的商人曾经用什么换过货物？",
    },
    Shape {
        sentence: "到达{K}修道院的朝圣者会看到{V}。",
        question: "到达{K}修道院的朝圣者会看到什么？",
    },
];
const OBJECTS_EN: &[&str] = &[
    "Lantern",
    "Compass",
    "Chalice",
    "Crown",
    "Mirror",
    "Harp",
    "Seal",
    "Key",
    "Astrolabe",
    "Tablet",
    "Sceptre",
    "Hourglass",
];
const OBJECTS_ZH: &[&str] = &[
    "灯", "罗盘", "圣杯", "王冠", "铜镜", "竖琴", "印章", "钥匙", "星盘", "石板", "权杖", "沙漏",
];

/// `real + distractors` needles with distinct keys and values. The first `real` are asked about;
/// the rest are distractors of the same shapes as the real ones.
pub fn needles(rng: &mut SeededRng, lang: Lang, real: usize, distractors: usize) -> Vec<Needle> {
    let total = real + distractors;
    let words = invented_words(rng, lang, total * 2);
    let (shapes, objects) = match lang {
        Lang::En => (SHAPES_EN, OBJECTS_EN),
        Lang::Zh => (SHAPES_ZH, OBJECTS_ZH),
    };
    let mut real_shapes = Vec::with_capacity(real);
    (0..total)
        .map(|i| {
            // A distractor copies the shape of a real needle, so only the key tells them apart.
            let shape = if i < real || real_shapes.is_empty() {
                let s = rng.below(shapes.len());
                real_shapes.push(s);
                &shapes[s]
            } else {
                &shapes[*rng.pick(&real_shapes)]
            };
            let key = words[2 * i].clone();
            let value = match lang {
                Lang::En => format!("{} {}", words[2 * i + 1], rng.pick(objects)),
                Lang::Zh => format!("{}{}", words[2 * i + 1], rng.pick(objects)),
            };
            let fill = |t: &str| t.replace("{K}", &key).replace("{V}", &value);
            Needle {
                value_word: words[2 * i + 1].clone(),
                sentence: fill(shape.sentence),
                question: fill(shape.question),
                key,
                value,
            }
        })
        .collect()
}

/// The facts the filler must not mention: every key and value, and the invented part of each.
pub fn facts(needles: &[Needle]) -> Vec<String> {
    needles
        .iter()
        .flat_map(|n| [n.key.clone(), n.value.clone(), n.value_word.clone()])
        .collect()
}
