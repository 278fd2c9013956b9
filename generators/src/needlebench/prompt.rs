//! The prompts a model receives. Written for longforge (the originals' wording is not reused);
//! every prompt ends by asking for the answer inside `\boxed{}`, which the scorer extracts.

use crate::haystack::Lang;

pub fn retrieval(lang: Lang, context: &str, question: &str, many: bool) -> String {
    match (lang, many) {
        (Lang::En, false) => format!(
            "Below is a long text. One of its sentences answers the question that follows it.\n\n<text>\n{context}\n</text>\n\nQuestion: {question}\nAnswer from the text above only. Put the final answer inside \\boxed{{}}, for example \\boxed{{the answer}}."
        ),
        (Lang::En, true) => format!(
            "Below is a long text. Some of its sentences answer the questions that follow it.\n\n<text>\n{context}\n</text>\n\nQuestions:\n{question}\nAnswer from the text above only. Put all the answers inside one \\boxed{{}}, in the order asked and separated by semicolons, for example \\boxed{{first answer; second answer}}."
        ),
        (Lang::Zh, false) => format!(
            "下面是一段长文本，其中有一句话可以回答文后的问题。\n\n<text>\n{context}\n</text>\n\n问题：{question}\n请只根据上面的文本回答，并把最终答案写在 \\boxed{{}} 中，例如 \\boxed{{答案}}。"
        ),
        (Lang::Zh, true) => format!(
            "下面是一段长文本，其中有几句话可以回答文后的问题。\n\n<text>\n{context}\n</text>\n\n问题：\n{question}\n请只根据上面的文本回答，按提问顺序把所有答案写在同一个 \\boxed{{}} 中，用分号隔开，例如 \\boxed{{答案一; 答案二}}。"
        ),
    }
}

pub fn kinship(
    lang: Lang,
    context: &str,
    question: &str,
    in_filler: bool,
    numeric: bool,
) -> String {
    match lang {
        Lang::En => {
            let intro = if in_filler {
                "Below is a long text. Scattered through it are statements about how some people are related."
            } else {
                "Below are statements about how some people are related."
            };
            let example = if numeric { "3" } else { "First Last" };
            format!(
                "{intro} Use only these statements.\n\n<text>\n{context}\n</text>\n\nQuestion: {question}\nYou may reason step by step. Put the final answer inside \\boxed{{}}, for example \\boxed{{{example}}}."
            )
        }
        Lang::Zh => {
            let intro = if in_filler {
                "下面是一段长文本，其中散布着一些人之间亲属关系的陈述。"
            } else {
                "下面是一些人之间亲属关系的陈述。"
            };
            let example = if numeric { "3" } else { "姓名" };
            format!(
                "{intro}请只根据这些陈述回答。\n\n<text>\n{context}\n</text>\n\n问题：{question}\n可以逐步推理。请把最终答案写在 \\boxed{{}} 中，例如 \\boxed{{{example}}}。"
            )
        }
    }
}
