//! Names for needles and people. Needle keys and values are invented words (syllables that form
//! no English or Chinese word), so no model can know them and no filler can mention them.

use longforge_datasets::SeededRng;

use crate::haystack::Lang;

const SYLLABLES_EN: &[&str] = &[
    "ka", "lo", "mir", "vel", "tan", "or", "zu", "bel", "qua", "dre", "fen", "ith", "sol", "var",
    "nyx", "pel", "rho", "tes", "ulm", "wyn", "gar", "thu", "bri", "xan", "ost", "lem", "dra",
    "cor",
];
const SYLLABLES_ZH: &[&str] = &[
    "岚", "璃", "琰", "珂", "翎", "珈", "瑶", "泠", "湄", "澈", "骞", "霁", "岑", "玥", "蔚", "祁",
    "缇", "璟", "朔", "昙", "琮", "沅", "筠", "峤",
];

/// An invented proper noun: three English syllables (`Velmirtan`) or two Chinese characters.
pub fn invented_word(rng: &mut SeededRng, lang: Lang) -> String {
    match lang {
        Lang::En => {
            let mut w: String = (0..3).map(|_| *rng.pick(SYLLABLES_EN)).collect();
            w[..1].make_ascii_uppercase();
            w
        }
        Lang::Zh => (0..2).map(|_| *rng.pick(SYLLABLES_ZH)).collect(),
    }
}

/// `count` distinct invented words.
pub fn invented_words(rng: &mut SeededRng, lang: Lang, count: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(count);
    while out.len() < count {
        let w = invented_word(rng, lang);
        // No word may contain another, so a match for one can never be a match for another.
        if !out.iter().any(|o| o.contains(&w) || w.contains(o.as_str())) {
            out.push(w);
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

const MALE_EN: &[&str] = &[
    "James",
    "Oliver",
    "Henry",
    "Samuel",
    "Arthur",
    "Felix",
    "Hugo",
    "Miles",
    "Jasper",
    "Owen",
    "Tobias",
    "Elliot",
    "Gideon",
    "Rowan",
    "Silas",
    "Declan",
    "Caspar",
    "Ambrose",
    "Lionel",
    "Rupert",
    "Edmund",
    "Barnaby",
    "Cyril",
    "Desmond",
    "Ferris",
    "Gregor",
    "Horace",
    "Ivor",
    "Julian",
    "Leopold",
    "Magnus",
    "Nathaniel",
    "Oswin",
    "Percival",
    "Quentin",
    "Reginald",
];
const FEMALE_EN: &[&str] = &[
    "Alice",
    "Beatrice",
    "Clara",
    "Daphne",
    "Eleanor",
    "Fiona",
    "Greta",
    "Harriet",
    "Imogen",
    "Juliet",
    "Katherine",
    "Lydia",
    "Matilda",
    "Nora",
    "Ophelia",
    "Penelope",
    "Rosalind",
    "Sylvia",
    "Theodora",
    "Ursula",
    "Vivian",
    "Winifred",
    "Adelaide",
    "Bridget",
    "Cordelia",
    "Edith",
    "Florence",
    "Gwendolyn",
    "Hazel",
    "Isadora",
    "Josephine",
    "Lavinia",
    "Marigold",
    "Octavia",
    "Philippa",
    "Rosamund",
];
const SURNAMES_EN: &[&str] = &[
    "Ashdown",
    "Blackwood",
    "Carrow",
    "Dunmore",
    "Ellery",
    "Fairbanks",
    "Glenister",
    "Hartwell",
    "Ingleby",
    "Jessop",
    "Kingsley",
    "Lockhart",
    "Merriweather",
    "Northcott",
    "Oakhurst",
    "Pembroke",
    "Quill",
    "Ravenscroft",
    "Stanhope",
    "Thornbury",
    "Underhill",
    "Vane",
    "Whitlock",
    "Yardley",
    "Aldridge",
    "Bramwell",
    "Cavendish",
    "Darrow",
    "Everly",
    "Fenwick",
    "Greaves",
    "Holloway",
    "Ives",
    "Kendrick",
    "Langley",
    "Marlowe",
    "Nettleton",
    "Orchard",
    "Prescott",
    "Radcliffe",
    "Sutcliffe",
    "Tennant",
    "Upton",
    "Westbrook",
];
const SURNAMES_ZH: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "梁", "郑", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "萧", "田", "董", "潘", "袁", "蔡", "蒋", "余", "欧阳", "司马", "上官", "诸葛",
];
const GIVEN_MALE_ZH: &[&str] = &[
    "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "浩然", "子轩", "宇航", "博文",
    "志强", "建国", "俊杰", "天佑", "文博", "思远", "嘉懿", "鸿涛", "振宇", "晨阳",
];
const GIVEN_FEMALE_ZH: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "婷", "雪", "梓涵", "欣怡", "诗琪", "雨桐",
    "佳怡", "思雨", "晓燕", "雅琴", "慧敏", "若曦", "梦瑶", "静怡", "紫萱", "可馨",
];

/// `count` distinct full names with genders. Panics never: past the pools' size the caller has
/// asked for more people than `max_people` allows, which parameter checks prevent.
pub fn people(rng: &mut SeededRng, lang: Lang, count: usize) -> Vec<(String, Gender)> {
    let mut out: Vec<(String, Gender)> = Vec::with_capacity(count);
    let mut taken = std::collections::HashSet::new();
    while out.len() < count {
        let gender = if rng.chance(0.5) {
            Gender::Male
        } else {
            Gender::Female
        };
        let name = match (lang, gender) {
            (Lang::En, Gender::Male) => format!("{} {}", rng.pick(MALE_EN), rng.pick(SURNAMES_EN)),
            (Lang::En, Gender::Female) => {
                format!("{} {}", rng.pick(FEMALE_EN), rng.pick(SURNAMES_EN))
            }
            (Lang::Zh, Gender::Male) => {
                format!("{}{}", rng.pick(SURNAMES_ZH), rng.pick(GIVEN_MALE_ZH))
            }
            (Lang::Zh, Gender::Female) => {
                format!("{}{}", rng.pick(SURNAMES_ZH), rng.pick(GIVEN_FEMALE_ZH))
            }
        };
        // A name inside another (`王伟` in `欧阳王伟`-like joins) would make matching ambiguous.
        if out
            .iter()
            .any(|(o, _)| o.contains(&name) || name.contains(o.as_str()))
        {
            continue;
        }
        if taken.insert(name.clone()) {
            out.push((name, gender));
        }
    }
    out
}

/// The most people one sample can name: well below the pools' size so drawing stays quick.
pub fn max_people(lang: Lang) -> usize {
    match lang {
        Lang::En => (MALE_EN.len() + FEMALE_EN.len()) * SURNAMES_EN.len() / 3,
        Lang::Zh => (GIVEN_MALE_ZH.len() + GIVEN_FEMALE_ZH.len()) * SURNAMES_ZH.len() / 3,
    }
}
