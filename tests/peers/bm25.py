"""BM25 scores checked against rank_bm25's BM25Okapi (0.2.2) on a generated corpus.

  python bm25.py make CORPUS.json          writes documents and queries (seeded, deterministic)
  python bm25.py check CORPUS.json OUT.json
      OUT.json is what `cargo run --example bm25_topk -- CORPUS.json OUT.json` writes: longforge's
      words per document and per query, every document's score and the top k per query.

The check: longforge's words equal re.findall(r"[^\\W_]+", text.lower()) (the corpus has no
combining marks, where the two tokenisers part); BM25Okapi(k1=1.5, b=0.75, epsilon=0.25) over
those same words scores every document within 1e-9 of longforge; and longforge's top k equals
the top k of rank_bm25's scores ordered by score descending, then document order.
"""
import json
import random
import re
import sys

from rank_bm25 import BM25Okapi

K = 5


def make(path):
    rng = random.Random(15)
    # A Zipf-like vocabulary: a few words in most documents (negative IDF, floored), a long tail.
    vocab = [f"w{i}" for i in range(400)] + ["Oven", "RIVER", "café", "Straße", "1987", "x2", "北京"]
    weights = [1.0 / (i + 1) for i in range(len(vocab))]
    punctuation = [" ", " ", " ", ", ", ". ", "; ", " - ", "'s ", "_", "\n\n"]
    documents = []
    for d in range(300):
        n = rng.choice([0, 1, 3]) if d % 50 == 7 else rng.randint(5, 120)
        words = rng.choices(vocab, weights, k=n)
        documents.append("".join(w + rng.choice(punctuation) for w in words))
    # Exact duplicates and punctuation-only documents, for ties and zero lengths.
    documents[40] = documents[10]
    documents[41] = documents[10]
    documents[90] = "... -- !!"
    queries = ["w0", "w0 w1 w2", "oven river", "café straße 1987", "北京 x2 w399",
               "nothing here", "w17 w17 w17", "W3, w250; w301"]
    for _ in range(40):
        queries.append(" ".join(rng.choices(vocab, k=rng.randint(1, 6))))
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"documents": documents, "queries": queries, "k": K}, f, ensure_ascii=False)


def words(text):
    return re.findall(r"[^\W_]+", text.lower())


def check(corpus_path, out_path):
    with open(corpus_path, encoding="utf-8") as f:
        corpus = json.load(f)
    with open(out_path, encoding="utf-8") as f:
        out = json.load(f)
    doc_words = out["document_words"]
    assert doc_words == [words(t) for t in corpus["documents"]], "document words differ"
    assert out["query_words"] == [words(q) for q in corpus["queries"]], "query words differ"
    bm25 = BM25Okapi(doc_words, k1=1.5, b=0.75, epsilon=0.25)
    worst = 0.0
    for qi, query in enumerate(out["query_words"]):
        ours = out["scores"][qi]
        theirs = [float(x) for x in bm25.get_scores(query)]
        assert len(ours) == len(theirs)
        for d, (a, b) in enumerate(zip(ours, theirs)):
            worst = max(worst, abs(a - b))
            assert abs(a - b) <= 1e-9, f"query {qi} document {d}: {a} vs {b}"
        expected = sorted(range(len(theirs)), key=lambda d: (-theirs[d], d))[: corpus["k"]]
        got = [hit["doc"] for hit in out["top"][qi]]
        assert got == expected, f"query {qi}: top {got} vs {expected}"
    n = len(out["query_words"]) * len(doc_words)
    print(f"bm25: {len(out['query_words'])} queries x {len(doc_words)} documents: scores equal "
          f"rank_bm25 {n} times (largest difference {worst:.1e}), top {corpus['k']} equal")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    elif sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: bm25.py make CORPUS.json | check CORPUS.json OUT.json")
