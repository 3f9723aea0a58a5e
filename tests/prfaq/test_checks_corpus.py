"""Precision and recall of each writing-check rule on our labelled corpus."""

from collections import Counter

from prfaq import checks, document
from tests.prfaq.checks_corpus import CORPUS, HEADLINE

# Rules that judge a piece of text; the rest judge the document as a whole.
TEXT_RULES = [
    checks.rule_hyperbole,
    checks.rule_weasel,
    checks.rule_numbers,
    checks.rule_output_metrics,
    checks.rule_long_sentences,
    checks.rule_readability,
    checks.rule_acronyms,
    checks.rule_quotes,
]
MIN_PRECISION = 0.9
SCORES: dict[str, tuple[float, float, int]] = {}


def document_with(field: str, text: str) -> tuple[dict, str]:
    d = document.empty_document()
    if field == "metric":
        d["benefit"]["metrics"] = [
            {"id": "m1", "name": text, "kind": "output", "unit": "%", "baseline": "1",
             "target": "2", "due": "2027-01-01"}
        ]  # fmt: skip
        return d, "benefit.metrics.m1"
    if field.startswith("faq."):
        _, row, key = field.split(".")
        d["faq"]["entries"] = [{"id": row, "question": "Q?", "answer": "", "audience": "external"}]
        d["faq"]["entries"][0][key] = text
        return d, field
    step, key = field.split(".")
    d[step][key] = text
    if field == "press_release.leader_quote":
        d["press_release"]["headline"] = HEADLINE
    return d, field


def predicted(field: str, text: str) -> set[str]:
    d, path = document_with(field, text)
    return {f.rule for f in checks.run(d, rules=TEXT_RULES) if f.field == path}


def test_corpus_is_big_enough_and_balanced():
    assert len(CORPUS) >= 60
    assert sum(1 for _, _, rules in CORPUS if not rules) >= 25  # plenty of clean text


def test_every_rule_is_precise_on_the_corpus():
    tp, fp, fn = Counter(), Counter(), Counter()
    misses = []
    for field, text, expected in CORPUS:
        got = predicted(field, text)
        for rule in got & expected:
            tp[rule] += 1
        for rule in got - expected:
            fp[rule] += 1
            misses.append(f"false {rule}: {text[:70]}")
        for rule in expected - got:
            fn[rule] += 1
            misses.append(f"missed {rule}: {text[:70]}")
    for rule in sorted(set(tp) | set(fp) | set(fn)):
        precision = tp[rule] / (tp[rule] + fp[rule]) if tp[rule] + fp[rule] else 1.0
        recall = tp[rule] / (tp[rule] + fn[rule]) if tp[rule] + fn[rule] else 1.0
        SCORES[rule] = (precision, recall, tp[rule] + fn[rule])
    low = {rule: s[0] for rule, s in SCORES.items() if s[0] < MIN_PRECISION}
    assert not low, (low, misses)
    weak_recall = {rule: s[1] for rule, s in SCORES.items() if s[1] < 0.8}
    assert not weak_recall, (weak_recall, misses)
