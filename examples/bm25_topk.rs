//! Scores a corpus with longforge's BM25 for the peer test (`tests/peers/bm25.py`, run by
//! `just peers`): reads `{"documents": [...], "queries": [...], "k": K}` and writes each
//! document's and query's words, every document's score per query and the top k per query.
//!
//! `cargo run --example bm25_topk -- CORPUS.json OUT.json`

use longforge_retrieval::{tokenize, top_k_of, Bm25Index, Bm25Params};
use serde_json::{json, Value};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        anyhow::bail!("usage: bm25_topk CORPUS.json OUT.json");
    };
    let corpus: Value = serde_json::from_str(&std::fs::read_to_string(input)?)?;
    let strings = |key: &str| -> anyhow::Result<Vec<String>> {
        corpus[key]
            .as_array()
            .ok_or_else(|| anyhow::anyhow!("{input}: `{key}` is not a list"))?
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| anyhow::anyhow!("{input}: `{key}` holds a non-string"))
    };
    let documents = strings("documents")?;
    let queries = strings("queries")?;
    let k = corpus["k"]
        .as_u64()
        .ok_or_else(|| anyhow::anyhow!("{input}: `k` is not a count"))? as usize;
    let index = Bm25Index::new(&documents, Bm25Params::default())?;
    let mut scores = Vec::new();
    let mut top = Vec::new();
    for q in &queries {
        let s = index.scores(q);
        let hits: Vec<Value> = top_k_of(&s, k)
            .iter()
            .map(|h| json!({"doc": h.doc, "score": h.score}))
            .collect();
        assert_eq!(index.top_k(q, k), top_k_of(&s, k));
        scores.push(s);
        top.push(hits);
    }
    let out = json!({
        "document_words": documents.iter().map(|d| tokenize(d)).collect::<Vec<_>>(),
        "query_words": queries.iter().map(|q| tokenize(q)).collect::<Vec<_>>(),
        "scores": scores,
        "top": top,
    });
    std::fs::write(output, serde_json::to_string(&out)?)?;
    Ok(())
}
