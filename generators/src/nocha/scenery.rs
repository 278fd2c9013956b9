//! The rest of a novel: descriptions of places and seasons, people at their work and in their
//! thoughts, small talk, the passing of time. These paragraphs make up most of a book's length
//! and are what a reader must read past.
//!
//! Filler never moves the plot: it names no thing of the world, and nobody in it goes anywhere,
//! gives, takes, marries or dies, so a claim is decided by event paragraphs alone (a test checks
//! the words). It is about the people present at that moment of the story, at the place where
//! they are, so it never contradicts the world's state.

use longforge_datasets::SeededRng;

use super::grammar::{fill_drawn, Drawn};
use super::names::PlaceKind;
use super::world::{Gender, PersonId, World};

/// Where and when a filler paragraph sits: the place the story is at, the season, and who is
/// present and alive there.
pub struct Scene<'a> {
    pub place: usize,
    pub season: usize,
    pub present: &'a [PersonId],
}

/// The shapes a filler paragraph takes, each a template of list slots; which apply depends on
/// how many people are present. In small talk `{a}` speaks first in every exchange, as the
/// openings that say who spoke first need.
const PLACE: &str = "{place_opening} {feature} {season_line} {townsfolk}";
const STREET: &str = "{townsfolk} {sense} {feature} {season_line}";
const TIME: &str = "{time_passing} {season_line} {sense} {townsfolk}";
const PERSON: &str = "{person_opening} {person_detail} {thought} {habit}";
const LOOKING: &str = "{person_looking} {feature} {thought} {sense}";
const TALK: &str = "{conversation_opening} {exchange} {exchange} {conversation_close}";

/// One filler paragraph for `scene`, of a shape drawn from `rng`.
pub fn paragraph(world: &World, scene: &Scene, rng: &mut SeededRng) -> String {
    let place = &world.places[scene.place];
    let kind_list = match place.kind {
        PlaceKind::Village => "village_feature",
        PlaceKind::Port => "port_feature",
        PlaceKind::Town => "town_feature",
        PlaceKind::Farm => "farm_feature",
        PlaceKind::Manor => "manor_feature",
        PlaceKind::Abbey => "abbey_feature",
        PlaceKind::Mill => "mill_feature",
    };
    let season_list = [
        "spring_weather",
        "summer_weather",
        "autumn_weather",
        "winter_weather",
    ][scene.season % 4];
    let mut people: Vec<PersonId> = scene.present.to_vec();
    rng.shuffle(&mut people);
    let (a, b) = (people.first().copied(), people.get(1).copied());
    let shapes: &[(&str, usize)] = match (a, b) {
        (Some(_), Some(_)) => &[
            (PLACE, 2),
            (STREET, 1),
            (TIME, 1),
            (PERSON, 3),
            (LOOKING, 2),
            (TALK, 4),
        ],
        (Some(_), None) => &[
            (PLACE, 2),
            (STREET, 2),
            (TIME, 1),
            (PERSON, 3),
            (LOOKING, 3),
        ],
        _ => &[(PLACE, 3), (STREET, 2), (TIME, 1)],
    };
    let total: usize = shapes.iter().map(|s| s.1).sum();
    let mut at = rng.below(total);
    let template = shapes
        .iter()
        .find(|s| {
            let hit = at < s.1;
            at = at.saturating_sub(s.1);
            hit
        })
        .map_or(PLACE, |s| s.0);
    let person = |p: Option<PersonId>| p.map(|p| &world.people[p]);
    let (pa, pb) = (person(a), person(b));
    // Two people of one gender talking are told apart by name rather than pronoun.
    let same_gender =
        template == TALK && matches!((pa, pb), (Some(x), Some(y)) if x.gender == y.gender);
    // One time of day a paragraph.
    let daypart = rng.draw(&["morning", "afternoon", "evening", "day"]);
    let values = |key: &str| -> Option<String> {
        let pron = |p: &super::world::Person, form: &str| -> String {
            if same_gender {
                return match form {
                    "his" => format!("{}'s", p.given),
                    _ => p.given.to_string(),
                };
            }
            match form {
                "he" => p.gender.subject().into(),
                "him" => p.gender.object().into(),
                _ => p.gender.possessive().into(),
            }
        };
        Some(match key {
            "place" => place.name.to_string(),
            "daypart" => daypart.to_string(),
            "feature" => return Some(format!("{{{kind_list}}}")),
            "season_line" => return Some(format!("{{{season_list}}}")),
            "a" => pa?.given.to_string(),
            "a_he" => pron(pa?, "he"),
            "a_him" => pron(pa?, "him"),
            "a_his" => pron(pa?, "his"),
            "a_self" => match pa?.gender {
                Gender::Female => "herself".into(),
                Gender::Male => "himself".into(),
            },
            "a_trait" => pa?.traits[0].to_string(),
            "a_trait2" => pa?.traits[1].to_string(),
            "b" => pb?.given.to_string(),
            _ => return None,
        })
    };
    // Slots that expand to another slot ({feature} to {port_feature}) are filled twice, both
    // passes drawing no list entry twice. A paragraph that still says one sentence twice (two
    // lists with a sentence in common) is drawn again.
    let mut text = String::new();
    for _ in 0..8 {
        let mut drawn = Drawn::default();
        let once = fill_drawn(rng, template, &values, lists, &mut drawn);
        text = fill_drawn(rng, &once, &values, lists, &mut drawn);
        if !repeats_a_sentence(&text) {
            break;
        }
    }
    text
}

/// The sentences of `text`: each ends at `.`, `?` or `!` (and a closing quote) before a space.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if !matches!(b, b'.' | b'?' | b'!') {
            continue;
        }
        let mut end = i + 1;
        if bytes.get(end) == Some(&b'"') {
            end += 1;
        }
        if end == bytes.len() || bytes[end] == b' ' {
            let sentence = text[start..end].trim();
            if !sentence.is_empty() {
                out.push(sentence);
            }
            start = end;
        }
    }
    let last = text[start..].trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

/// Whether a sentence of more than three words comes twice.
fn repeats_a_sentence(text: &str) -> bool {
    let mut long: Vec<&str> = sentences(text)
        .into_iter()
        .filter(|s| s.split(' ').count() > 3)
        .collect();
    let n = long.len();
    long.sort_unstable();
    long.dedup();
    long.len() != n
}

/// Word lists of the filler templates. None names a person, thing or occupation of the world,
/// nor a place but the scene's own (tests check).
pub fn lists(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "place_opening" => &[
            "{place} lay quiet under a {sky} sky.",
            "In {place} the {daypart} began slowly.",
            "Nothing much stirred in {place} that {daypart}.",
            "{place} had its own way of keeping time.",
            "The lanes of {place} were {lane_state}.",
            "{daypart_arrival} to {place}.",
            "There was a stillness over {place} that no one could account for.",
            "{place} looked {looked} in this light than it ever had.",
            "Seen from the {vantage}, {place} was all {roof} roofs and {smoke_colour} smoke.",
            "By {hour}, {place} was {busy_state}.",
            "The {daypart} air in {place} smelled of {smell}.",
            "Whoever first built {place} had chosen {site}.",
        ],
        "sky" => &["low, grey", "pale and rain-washed", "wide, cloudless", "heavy, bruised", "milky", "restless", "high and blue", "yellowish"],
        "daypart_arrival" => &["Evening came early", "Morning came grey and slow", "Dusk came softly", "Noon came hot and still", "The dark came down quickly"],
        "lane_state" => &["deep in mud", "dusty and white", "slick with rain", "busy with carts", "almost empty", "strewn with straw", "loud with children"],
        "looked" => &["smaller", "older", "kinder", "shabbier", "lovelier", "sadder"],
        "vantage" => &["hill above it", "church tower", "far side of the water", "top of the lane", "old road"],
        "roof" => &["grey slate", "red tile", "mossy thatch", "dark, wet", "patched"],
        "smoke_colour" => &["blue", "grey", "thin", "lazy", "rising"],
        "hour" => &["mid-morning", "noon", "the middle of the afternoon", "dusk", "first light"],
        "busy_state" => &["loud with carts and voices", "half asleep", "emptier than anyone liked", "busy in its unhurried way", "full of rumours about nothing"],
        "smell" => &["woodsmoke", "wet earth", "bread from the bakehouse", "cut grass", "the sea", "rain on hot stone", "apples", "horses", "damp wool", "frying onions", "tar", "wild garlic"],
        "site" => &["its spot well, out of the worst of the wind", "a place where the ground stayed dry", "the kind of spot where fog liked to settle", "a fold of land the weather forgot"],
        "village_feature" => &[
            "Smoke rose from {many} chimneys and {smoke_did}.",
            "The green was {green_state}.",
            "The well in the square {well_sound} whenever the wind turned.",
            "Hollyhocks leaned over the garden walls {hollyhock}.",
            "A row of cottages stood with their doors {door_state}.",
            "The pond at the crossroads {pond_did} the {sky_noun}.",
            "Someone had left a ladder against the church tower and {ladder_fate}.",
            "Washing flapped on a line behind the {village_building}.",
            "The lychgate {lychgate}.",
            "Chickens scratched in the lane {chickens}.",
        ],
        "many" => &["a dozen", "twenty", "every", "half the"],
        "smoke_did" => &["hung above the thatch", "leaned away with the wind", "climbed straight into the still air", "lay flat along the roofs"],
        "green_state" => &["cropped short by the geese that ruled it", "bright after the rain", "trampled by yesterday's fair", "white with daisies", "brown and bare in patches"],
        "well_sound" => &["creaked", "groaned", "sang a little"],
        "hollyhock" => &["as if listening", "heavy with bees", "in every shade of pink", "taller than the children"],
        "door_state" => &["open to the air", "shut against the weather", "freshly painted", "propped with stones"],
        "pond_did" => &["reflected", "held", "trembled with"],
        "sky_noun" => &["clouds", "sky", "passing clouds", "evening sky"],
        "ladder_fate" => &["forgotten it", "gone home for dinner", "never come back for it"],
        "village_building" => &["almshouses", "parsonage", "last cottage in the row", "bakehouse"],
        "lychgate" => &["creaked in the wind", "was heaped with fallen leaves", "stood open, as it always did", "had lost another slate"],
        "chickens" => &["and nobody shooed them", "as if they owned it", "in the warm dust", "between the puddles"],
        "port_feature" => &[
            "Gulls wheeled over the harbour wall, {gulls}.",
            "The fishing boats lay {boats} at low tide.",
            "Nets hung drying along the quay like {nets}.",
            "The tide {tide} over the shingle {tide_manner}.",
            "A bell buoy tolled somewhere beyond the harbour mouth, {buoy}.",
            "The customs house stood {shut}, its paint {paint}.",
            "Masts crowded the inner basin, {masts}.",
            "{^waterfront_smell} hung in the air along the waterfront.",
            "Out on the water a single sail {sail}.",
            "The harbour steps were {steps}.",
        ],
        "gulls" => &["crying", "quarrelling", "riding the wind without a wingbeat", "dropping shells on the stones"],
        "boats" => &["tilted on the mud", "on their sides like sleeping dogs", "hauled up above the weed line", "in a crooked row"],
        "nets" => &["grey curtains", "cobwebs after rain", "the washing of giants"],
        "tide" => &["came in", "drew back", "turned", "crept"],
        "tide_manner" => &["with a long sigh", "in slow, patient sheets", "with a rattle of pebbles", "without a sound"],
        "buoy" => &["slow and mournful", "as if counting something", "when the swell lifted it"],
        "shut" => &["shuttered", "half open", "dark", "locked"],
        "paint" => &["flaking", "blistered by salt", "bright and new", "the colour of old bone"],
        "masts" => &["swaying together", "ticking against each other", "still as a winter wood"],
        "waterfront_smell" => &["tar and salt", "the smell of fish and rope", "weed and woodsmoke", "the tang of the mudflats"],
        "sail" => &["leaned against the wind", "hung slack", "caught the light", "dwindled towards the horizon"],
        "steps" => &["green with weed", "crowded with baskets", "slick with spray", "worn hollow in the middle"],
        "town_feature" => &[
            "The market square was {square}.",
            "Carriages rattled over the cobbles past the {town_building}.",
            "The clock on the corn exchange ran {clock}, as it always had.",
            "Shop signs {signs} above the narrow street.",
            "Lamplight spilled from the windows of the {town_building}.",
            "The river ran {river} under the old stone arches.",
            "Pigeons crowded the ledges of the {town_building}.",
            "A street seller cried {goods} at the corner.",
            "The almshouse bell rang for {bell_for}.",
            "Posters for a {show} peeled from the walls.",
        ],
        "square" => &["crowded with stalls and shouting", "empty but for pigeons", "loud with the cattle sale", "washed clean by the rain"],
        "town_building" => &["town hall", "assembly rooms", "bank", "coaching inn", "grammar school"],
        "clock" => &["five minutes slow", "a little fast", "to its own hours"],
        "signs" => &["swung and creaked", "hung still", "dripped", "rattled in the gusts"],
        "river" => &["brown and quick", "low and clear", "high and loud", "slow and green"],
        "goods" => &["hot chestnuts", "oranges", "ribbons and laces", "mended umbrellas", "songs on printed sheets"],
        "bell_for" => &["dinner", "prayers", "no reason anyone could tell"],
        "show" => &["travelling circus", "lecture on electricity", "charity concert", "horse fair"],
        "farm_feature" => &[
            "The yard was loud with {yard}.",
            "Hay lay in long rows across the {field}.",
            "The barn door hung open, and {barn_birds} flew in and out.",
            "Cattle stood knee-deep in the pond beneath the {trees}.",
            "The plough lay where it had been left at the headland, {plough}.",
            "The farmhouse kitchen was warm and smelled of {kitchen}.",
            "Sheep drifted across the hillside like {sheep}.",
            "A cart stood in the lane with {cart}.",
            "The orchard grass was {orchard}.",
            "A scarecrow in a {coat} coat leaned over the {crop}.",
        ],
        "yard" => &["hens and the bark of a chained dog", "geese", "pigs at the trough", "the clatter of pails"],
        "field" => &["lower field", "high meadow", "long acre", "slope by the wood"],
        "barn_birds" => &["swallows", "martins", "sparrows"],
        "trees" => &["willows", "alders", "old oak"],
        "plough" => &["rusting a little", "furred with dew", "half buried in the furrow"],
        "kitchen" => &["bread", "bacon", "drying herbs", "wet dogs", "scalded milk"],
        "sheep" => &["slow clouds", "spilled wool", "grey stones come alive"],
        "cart" => &["one wheel off", "a broken shaft", "a sleeping dog under it"],
        "orchard" => &["long and wet", "full of windfalls", "silver with dew", "loud with wasps"],
        "coat" => &["borrowed", "moth-eaten", "red", "gentleman's"],
        "crop" => &["barley", "beans", "turnips", "young wheat"],
        "manor_feature" => &[
            "The long windows of the house {windows}.",
            "The gravel drive curved between {drive}.",
            "In the walled garden the {fruit} were heavy.",
            "Portraits watched from the panelled walls of the {manor_room}.",
            "The stables were quiet but for {stables}.",
            "Rooks quarrelled in the elms beyond the {grounds}.",
            "The library fire had been laid but not yet lit.",
            "Dust sheets still covered half the rooms of the {wing} wing.",
            "A peacock {peacock} on the terrace.",
            "The fountain in the forecourt {fountain}.",
        ],
        "windows" => &["caught the light", "stared blankly at the lawn", "were shuttered against the sun", "glowed one by one"],
        "drive" => &["clipped yews", "old limes", "overgrown laurels"],
        "fruit" => &["espaliered pears", "plums", "figs", "quinces"],
        "manor_room" => &["hall", "staircase", "long gallery"],
        "stables" => &["the stamp of a horse", "a groom whistling", "the drip of a tap"],
        "grounds" => &["lawn", "ha-ha", "kitchen garden"],
        "wing" => &["east", "west", "old"],
        "peacock" => &["screamed", "dragged its tail", "stood like an ornament"],
        "fountain" => &["had been dry for years", "played for no one", "was choked with leaves"],
        "abbey_feature" => &[
            "The ruined arches of the abbey stood open to the {sky_noun}.",
            "Ivy had climbed halfway up the {abbey_part}.",
            "The cloister was cool and smelled of {cloister}.",
            "Jackdaws nested in the broken tracery of the {abbey_window}.",
            "The monks' fishponds lay {fishponds} below the wall.",
            "Grass grew thick between the worn grave slabs, {graves}.",
            "The chapter house echoed with every {echo}.",
            "A single bell still rang the hours from the {abbey_part}.",
            "Visitors came now and then to {visitors}.",
            "In the nave a small bird {nave_bird}.",
        ],
        "abbey_part" => &["old bell tower", "gatehouse", "west front"],
        "cloister" => &["damp stone", "moss", "candle smoke"],
        "abbey_window" => &["great window", "east window", "rose window"],
        "fishponds" => &["green and still", "choked with reeds", "bright with lilies"],
        "graves" => &["and no one cut it", "starred with celandines", "wet with dew"],
        "echo" => &["footstep", "cough", "whisper"],
        "visitors" => &["sketch the ruins", "look for the old well", "wonder at the stonework"],
        "nave_bird" => &["battered at the glass", "sang as if it owned the place", "hopped along the altar step"],
        "mill_feature" => &[
            "The mill wheel turned and {wheel} in the race.",
            "Flour dust hung in the shafts of light {dust_where}.",
            "The millpond lay {millpond} above the sluice.",
            "Sacks were stacked to the rafters in the {mill_room}.",
            "The great stones rumbled somewhere below the floor, {stones}.",
            "Ducks argued in the reeds along the {stream}.",
            "The weir {weir}.",
            "A heron stood motionless at the edge of the {stream}.",
            "The mill cat {mill_cat} on the warm sacks.",
            "Carts waited in the yard for their grain to be ground.",
        ],
        "wheel" => &["dripped", "groaned", "shone"],
        "dust_where" => &["inside the mill", "along the stair", "by the hoist door"],
        "millpond" => &["smooth as glass", "brown after rain", "dimpled by rising fish"],
        "mill_room" => &["loft", "meal floor", "store"],
        "stones" => &["steady as a heartbeat", "like distant thunder", "felt more than heard"],
        "stream" => &["leat", "mill stream", "tail race"],
        "weir" => &["roared after the night's rain", "murmured to itself", "was almost silent"],
        "mill_cat" => &["slept", "stood guard", "washed itself"],
        "spring_weather" => &["{^season_when}, {spring_fact}.", "{^spring_fact}."],
        "summer_weather" => &["{^season_when}, {summer_fact}.", "{^summer_fact}."],
        "autumn_weather" => &["{^season_when}, {autumn_fact}.", "{^autumn_fact}."],
        "winter_weather" => &["{^season_when}, {winter_fact}.", "{^winter_fact}."],
        "season_when" => &["that week", "by then", "in those days", "all that month", "for days on end", "that season", "every morning now", "this year"],
        "spring_fact" => &[
            "the blackthorn was in flower at last",
            "showers swept through every hour or so, and then the sun again",
            "lambs called from every field",
            "the hedges were loud with nesting birds",
            "there was warmth in the sun, though not in the shade",
            "primroses crowded the banks of the lanes",
            "the beech leaves were new and almost too green to look at",
            "a cold wind still came off the hills",
            "the rooks were building in the elms",
            "the ditches ran full and noisy",
        ],
        "summer_fact" => &[
            "the heat lay heavy over everything by mid-morning",
            "dust rose behind every cart on the road",
            "the evenings stretched on almost until midnight",
            "thunder grumbled somewhere far off but never came nearer",
            "bees worked the lime trees from dawn until dusk",
            "the grass had burned to straw on the high ground",
            "even the dogs lay in the shade and would not move",
            "the nights were short and warm and full of moths",
            "the elder was in flower along every hedge",
            "the haymakers were out until the light failed",
        ],
        "autumn_fact" => &[
            "the leaves had begun to turn",
            "a mist lay in the hollows until well past breakfast",
            "gales came in from the west and stripped the orchards",
            "the light was thin and golden, and did not last",
            "blackberries hung heavy and dark in the hedges",
            "the first frosts silvered the grass overnight",
            "geese went over in long wavering lines",
            "rain came and went, and the lanes never quite dried",
            "the smell of bonfires hung over the gardens",
            "the apples were in, and the lofts smelled sweet",
        ],
        "winter_fact" => &[
            "a hard frost lay over everything",
            "snow had settled in the ruts of the lanes and frozen there",
            "the wind came off the hills with an edge like a blade",
            "icicles hung from the eaves, dripping at noon and hard again by dusk",
            "fires were kept in all day, and still no one was warm",
            "the days were short and grey, and the nights very long",
            "sleet rattled against the windows in the afternoons",
            "the puddles wore a skin of ice until noon",
            "the robins came right up to the doors",
            "breath hung in the air like smoke",
        ],
        "sense" => &[
            "Somewhere {near_far} a dog barked and was answered.",
            "The air smelled of {smell}.",
            "A {vehicle} went by, and then the silence closed again.",
            "From an open window came the sound of {sound}.",
            "The {clock_tower} clock struck the hour, {clock_manner}.",
            "Far off, someone was {far_off}.",
            "A cat {cat} a wall, {cat_mood}.",
            "The wind brought the smell of {smell} and the sound of {sound}.",
            "{^birds} {birds_did} overhead.",
            "Now and then a {banging} banged in the wind.",
        ],
        "clock_tower" => &["church", "market", "stable", "chapel"],
        "clock_manner" => &["a little out of time with its neighbour", "slowly, as if unwilling", "and a dog howled at every stroke", "though no one was listening"],
        "near_far" => &["close by", "down the lane", "beyond the last houses", "across the water"],
        "vehicle" => &["cart", "carriage", "wagon", "handcart", "trap"],
        "sound" => &["a violin being tuned", "children chanting a lesson", "someone beating a rug", "a pan rattling on the stove", "an argument that stopped as suddenly as it began", "a hymn practised badly", "a baby crying", "laughter"],
        "far_off" => &["singing", "chopping wood", "hammering at something", "calling a dog home"],
        "cat" => &["watched from", "dozed on", "stretched along", "picked its way along"],
        "cat_mood" => &["unimpressed", "half asleep", "tail twitching", "ignoring everyone"],
        "birds" => &["starlings", "swifts", "jackdaws", "a pair of crows"],
        "birds_did" => &["wheeled", "screamed and dived", "chattered", "went over, calling"],
        "banging" => &["door", "shutter", "gate"],
        "townsfolk" => &[
            "{^townsperson} {townsperson_did}.",
            "{^townsperson} and {townsperson} {pair_did}.",
        ],
        "townsperson" => &["an old woman with a basket", "two boys with a hoop", "a carter", "a tinker", "the post boy", "a girl driving geese", "a pedlar", "an old man on a bench", "a dog with no owner", "the curate", "a pair of sisters in matching bonnets", "a man with a barrow", "a child with a kite"],
        "townsperson_did" => &["passed without looking up", "stopped to talk to nobody in particular", "hummed a tune", "waited for something that did not come", "shaded their eyes against the light", "went slowly about some errand", "sat for a while in the sun", "complained about the weather to anyone who would listen"],
        "pair_did" => &["exchanged a few words about the weather", "argued amiably in the street", "nodded to each other and went on", "stood a while comparing notes on nothing"],
        "time_passing" => &[
            "The days went by, one much like another.",
            "A week passed without anything worth telling.",
            "Time moved as it does in such places, slowly and then all at once.",
            "The season wore on.",
            "For a while nothing happened, and everyone was glad of it.",
            "There followed a stretch of ordinary days.",
            "{^span} went by {quietly}.",
        ],
        "span" => &["the days", "a week or two", "a fortnight", "the weeks"],
        "quietly" => &["quietly", "and nobody marked them", "with nothing worth the telling", "in the usual round of work and sleep"],
        "person_opening" => &[
            "{a} spent the {daypart} {task}.",
            "{a} sat by the window, {task}.",
            "Most of that day {a} was {task}, and glad of the quiet.",
            "{a} was up before anyone else, {task}.",
            "In the afternoon {a} abandoned {task} and simply sat.",
            "{a} passed the hours {task}.",
        ],
        "task" => &[
            "mending a torn sleeve",
            "going over old accounts",
            "shelling peas into a bowl",
            "reading the same page over and over",
            "writing a reply that would never be sent",
            "polishing boots",
            "sorting seeds for the spring",
            "darning stockings",
            "repairing a chair",
            "scrubbing the step",
            "peeling apples",
            "copying out a recipe",
            "untangling a skein of wool",
            "cleaning the windows",
            "splitting kindling",
            "baking bread",
            "trimming the lamp wicks",
            "folding linen",
            "sketching the view",
            "hemming a curtain",
        ],
        "person_detail" => &[
            "{^a_his} hands {hands}.",
            "{^a_he} hummed {tune} while {a_he} worked.",
            "The {light} moved slowly across the {surface}.",
            "A {cup} went cold at {a_his} elbow.",
            "Outside, the {daypart} went on without {a_him}.",
        ],
        "light" => &["light", "sunlight", "square of light", "lamplight"],
        "surface" => &["floor", "table", "wall", "boards"],
        "cup" => &["cup of tea", "bowl of broth", "mug of cocoa", "cup of milk"],
        "hands" => &["moved without thinking", "were never still", "ached a little in the cold", "knew the work better than {a_his} head did"],
        "tune" => &["a hymn", "something half remembered", "an old marching song", "the same three notes"],
        "thought" => &[
            "{^a_he} found {a_self} thinking of {memory}.",
            "Now and then {a_his} mind wandered to {memory}.",
            "{^a_he} could not stop thinking about {memory}, though {a_he} tried.",
            "It was strange, {a_he} thought, how often {memory} came back.",
            "{^memory} kept returning to {a_him}, unasked.",
        ],
        "memory" => &[
            "a summer long ago",
            "the sea as it had looked in childhood",
            "a tune {a_his} mother used to hum",
            "the first winter {a_he} could remember",
            "a face {a_he} had not seen in years",
            "the house {a_he} had been born in",
            "a promise {a_he} had not kept",
            "a quarrel that had never quite ended",
            "an afternoon of rain and card games",
            "the smell of {a_his} grandfather's pipe",
        ],
        "habit" => &[
            "It was like {a}, {a_trait} as {a_he} was, to {habit_verb}.",
            "Those who knew {a_him} said {a_he} was {a_trait}, and this was the proof of it.",
            "{^a_he} had always been {a_trait}, and age had not changed that.",
            "Being {a_trait2}, {a_he} let the {daypart} go by without complaint.",
        ],
        "habit_verb" => &[
            "notice what others missed",
            "leave nothing half done",
            "rise before the birds",
            "keep {a_his} own counsel",
            "worry at a thing until it came loose",
            "count things without meaning to",
        ],
        "person_looking" => &[
            "{a} stood for a while by the {spot}, watching {sight}.",
            "{a} took a turn about {place}, {turn}.",
            "From the {spot}, {a} could see {sight}.",
        ],
        "spot" => &["gate", "open window", "low wall", "corner of the lane", "doorway"],
        "sight" => &["the light change", "the clouds go over", "children at a game of tag", "the smoke from the chimneys", "a dog asleep in the sun", "the rain come on"],
        "turn" => &["nodding to those {a_he} knew", "in no hurry", "hands behind {a_his} back", "stopping now and then to look at nothing"],
        "conversation_opening" => &[
            "{a} and {b} sat together a while.",
            "Later {a} found {b} by the fire, and they talked.",
            "{b} and {a} had a few words over the garden wall.",
            "That evening {a} and {b} shared a pot of tea.",
            "{a} and {b} walked a little way together, talking.",
            "It was {a} who spoke first, when {b} sat down.",
        ],
        "exchange" => &[
            "\"Will the rain hold off, do you think?\" {a} asked. \"It never has yet,\" said {b}.",
            "\"Did you sleep at all?\" asked {a}. \"Not a wink,\" {b} admitted.",
            "\"You're quiet today,\" {a} said. \"I've a lot on my mind,\" said {b}.",
            "\"Is it always this cold here?\" {a} asked. \"Colder, some years,\" {b} said.",
            "\"I heard the bells again last night,\" said {a}. \"So did I,\" said {b}.",
            "\"We should have been born somewhere warmer,\" said {a}. {b} laughed at that.",
            "\"What are you thinking about?\" asked {a}. \"Nothing worth the telling,\" said {b}.",
            "\"The bread was better last year,\" {a} said. \"Everything was better last year,\" said {b}.",
            "\"Do you ever miss being young?\" {a} asked. {b} took a long time to answer: \"No.\"",
            "\"There's a storm coming,\" said {a}. \"There's always a storm coming,\" {b} said.",
            "\"Have you eaten?\" {a} asked. \"Enough,\" said {b}, which meant no.",
            "\"I used to know every tree on this road,\" said {a}. \"And now?\" asked {b}. \"Now they know me.\"",
            "\"Tell me something cheerful,\" said {a}. {b} thought about it and could not.",
            "\"The days are drawing in,\" {a} said. \"Or drawing out,\" said {b}. \"I lose track.\"",
            "\"You look well,\" said {a}. \"I look tired,\" said {b}, \"but thank you.\"",
            "\"Do you believe in luck?\" {a} asked. \"Only the bad kind,\" said {b}.",
            "\"Listen to that wind,\" said {a}. {b} listened, and said nothing.",
            "\"I had the strangest dream,\" said {a}. \"Don't tell me,\" {b} said, smiling. \"They never come true.\"",
        ],
        "conversation_close" => &[
            "After that they {sat_on} without speaking, which suited them both.",
            "Neither of them said anything more of importance {close_time}.",
            "The talk drifted, as talk does, and then {talk_end}.",
            "Then the {fire} settled, and they let the silence be.",
            "They laughed, and the {daypart} seemed a little shorter.",
            "It was the most either of them had said in {close_span}.",
            "{^close_time_cap}, they {parted}.",
        ],
        "sat_on" => &["sat on", "sat a while longer", "stayed where they were", "walked on"],
        "close_time" => &["that day", "that evening", "for the rest of the hour", "after that"],
        "talk_end" => &["stopped", "turned to the weather", "ran out", "wandered off altogether"],
        "fire" => &["fire", "lamp", "house", "wind"],
        "close_span" => &["days", "a week", "a long while", "months"],
        "close_time_cap" => &["soon after", "a little later", "when the light went", "before long"],
        "parted" => &["went back to their work", "parted with a nod", "let the matter drop", "found other things to do"],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::names::{FAMILY, GIVEN_FEMALE, GIVEN_MALE, NICKNAMES, PLACES, ROLES, THINGS};
    use super::super::world::{Size, World};
    use super::*;

    /// Words that would move the plot, or name a thing a claim could be about.
    const PLOT_WORDS: &[&str] = &[
        " gave ",
        " give ",
        " stole",
        " steal",
        " married",
        " wed ",
        " died",
        " dead",
        " travelled",
        " journey",
        " arrived",
        " left for",
        " set out",
        " inherit",
    ];

    #[test]
    fn filler_moves_no_plot_and_names_no_thing() {
        for seed in 0..10 {
            let mut rng = SeededRng::new(seed);
            let w = World::simulate(&mut rng, Size::for_tokens(40_000));
            let present: Vec<usize> = (0..w.people.len()).collect();
            for i in 0..300 {
                let scene = Scene {
                    place: i % w.places.len(),
                    season: i % 4,
                    present: &present[i % 3..(i % 3) + (i % 3)],
                };
                let text = paragraph(&w, &scene, &mut rng);
                assert!(!text.contains('{'), "{text}");
                let lower = format!(" {} ", text.to_lowercase());
                for word in PLOT_WORDS {
                    assert!(!lower.contains(word), "{word} in {text}");
                }
                let words: Vec<&str> = lower
                    .split(|c: char| !c.is_alphanumeric() && c != '-')
                    .collect();
                for thing in THINGS {
                    let noun = thing.rsplit(' ').next().unwrap_or(thing);
                    assert!(!words.contains(&noun), "{thing} in {text}");
                }
                for role in ROLES {
                    assert!(!lower.contains(role), "{role} in {text}");
                }
                // No capitalised word is a name, a nickname or another place.
                let scene_place = w.places[scene.place].name;
                for word in text.split(|c: char| !c.is_alphanumeric()) {
                    let named = GIVEN_FEMALE.contains(&word)
                        || GIVEN_MALE.contains(&word)
                        || FAMILY.contains(&word)
                        || NICKNAMES.contains(&word)
                        || PLACES.iter().any(|p| {
                            p.0.split(' ').any(|x| x == word) && !scene_place.contains(word)
                        });
                    let present = scene.present.iter().any(|&p| w.people[p].given == word);
                    assert!(!named || present, "{word} in {text}");
                }
                assert!(!repeats_a_sentence(&text), "a sentence repeats: {text}");
                // Whoever is said to speak first speaks the first line.
                if let Some(at) = text.find(" who spoke first") {
                    let first = text[..at].rsplit(' ').next().unwrap_or("");
                    let line = &text[at..];
                    let tag = line.split('"').nth(2).unwrap_or("");
                    assert!(tag.contains(first), "{text}");
                }
                // No one joined to themselves: "a carter and a carter".
                let lower = text.to_lowercase();
                for who in lists("townsperson").unwrap() {
                    assert!(!lower.contains(&format!("{who} and {who}")), "{text}");
                }
            }
        }
    }
}
