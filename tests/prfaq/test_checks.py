"""Each writing-check rule: what it must catch and what it must leave alone."""

import copy

import pytest

from prfaq import checks, checks_config, document
from prfaq.demo_content import SHOWCASE


def doc_with(**fields):
    d = document.empty_document()
    for path, value in fields.items():
        step, key = path.split("__")
        d[step][key] = value
    return d


def rules_for(d, field=None):
    return [(f.rule, f.excerpt) for f in checks.run(d) if field is None or f.field == field]


def complete():
    # A copy: tests change it, and the demo content is shared by the whole run.
    return copy.deepcopy(SHOWCASE)


def test_a_strong_complete_prfaq_has_no_errors():
    findings = checks.run(complete())
    assert [f for f in findings if f.severity == checks.ERROR] == []
    assert len(findings) <= 3


def test_every_span_points_at_the_flagged_words():
    d = doc_with(
        press_release__summary="A truly seamless and very fast flow. The NPS rose.",
        customer__who="Many households",
    )
    for f in checks.run(d):
        if f.end > f.start:
            step, _, key = f.field.partition(".")
            assert d[step][key][f.start : f.end] == f.excerpt[: f.end - f.start]


def test_missing_sections_are_errors_naming_the_field():
    findings = checks.run(document.empty_document())
    missing = {f.field for f in findings if f.rule == "missing"}
    assert {
        "customer.who",
        "problem.statement",
        "press_release.headline",
        "benefit.metrics",
        "faq",
    } <= missing
    assert all(f.severity == checks.ERROR for f in findings if f.rule == "missing")
    d = complete()
    d["faq"]["entries"][0]["answer"] = "  "
    assert ("missing", "") in rules_for(d, f"faq.{d['faq']['entries'][0]['id']}.answer")


def test_press_release_word_budget_is_an_error_and_configurable(monkeypatch):
    d = complete()
    assert not any(f.rule == "press-release-length" for f in checks.run(d))
    monkeypatch.setattr(checks_config, "PRESS_RELEASE_WORD_BUDGET", 100)
    found = [f for f in checks.run(d) if f.rule == "press-release-length"]
    assert len(found) == 1
    assert found[0].severity == checks.ERROR
    assert "Cut" in found[0].suggestion


def test_faq_shorter_than_press_release_and_too_few_entries_warn():
    d = complete()
    d["faq"]["entries"] = d["faq"]["entries"][:1]
    rules = {f.rule for f in checks.run(d)}
    assert {"faq-shorter", "few-faq"} <= rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our revolutionary app.", ["revolutionary"]),
        ("REVOLUTIONARY pricing", ["REVOLUTIONARY"]),
        ('The customer said "it is revolutionary" twice.', []),  # quoted speech
        ("Set `seamless=true` in config.", []),  # code span
        ("```\nseamless\n```", []),  # code block
        ("See [docs](https://x.example/seamless).", []),  # link target
        ("A seamlessness test.", []),  # part of another word
        ("Ein nahtloses Erlebnis für alle.", []),  # other languages: no crash, no finding
    ],
)
def test_hyperbole(text, expected):
    d = doc_with(press_release__summary=text)
    assert [e for r, e in rules_for(d, "press_release.summary") if r == "hyperbole"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Many customers complain.", ["Many"]),
        ("Tell us how many you need.", []),
        ("It improved significantly.", ["significantly"]),
        ("It rose by a lot of orders.", ["a lot of"]),
        ("The very first screen.", []),
    ],
)
def test_weasel_words(text, expected):
    d = doc_with(press_release__solution=text)
    assert [e for r, e in rules_for(d, "press_release.solution") if r == "weasel"] == expected


@pytest.mark.parametrize(
    ("benefit", "flagged"),
    [
        ("Customers keep their slot.", True),
        ("Customers keep their slot for 60 minutes.", False),
        ("Checkout takes half the time.", False),
        ("B2B buyers get a better flow.", True),  # a digit inside a word is not a number
        ("Save £4.50 a week.", False),
    ],
)
def test_benefit_needs_a_number(benefit, flagged):
    d = doc_with(benefit__benefit=benefit)
    assert ("benefit-number" in {r for r, _ in rules_for(d, "benefit.benefit")}) is flagged


def test_metrics_need_baseline_target_and_date_as_errors():
    d = document.empty_document()
    d["benefit"]["metrics"] = [
        {"id": "m1", "name": "Orders in slot", "kind": "output", "unit": "%", "baseline": "",
         "target": "95", "due": ""},
        {"id": "m2", "name": "Holds placed", "kind": "input", "unit": "", "baseline": "0",
         "target": "1000", "due": "2027-01-01"},
    ]  # fmt: skip
    found = [f for f in checks.run(d) if f.rule == "metric-incomplete"]
    assert [(f.field, f.severity) for f in found] == [("benefit.metrics.m1", checks.ERROR)]
    assert "baseline or due" in found[0].message


def test_long_sentences_count_words_not_characters():
    thirty = " ".join(["word"] * 30) + "."
    thirty_one = " ".join(["word"] * 31) + "."
    assert not any(
        r == "long-sentence" for r, _ in rules_for(doc_with(press_release__summary=thirty))
    )
    assert any(
        r == "long-sentence" for r, _ in rules_for(doc_with(press_release__summary=thirty_one))
    )
    # Abbreviations do not end a sentence early; list items do.
    text = "We ship e.g. holds. " + "\n".join(f"- item {i}" for i in range(40))
    assert not any(
        r == "long-sentence" for r, _ in rules_for(doc_with(press_release__summary=text))
    )


def test_acronyms_spelled_out_once_are_fine_everywhere_after():
    d = doc_with(
        press_release__summary="Average order value (AOV) rose.",
        press_release__solution="AOV matters. The SKU count did not.",
    )
    flagged = [e for r, e in rules_for(d) if r == "acronym"]
    assert flagged == ["SKU"]


def test_customer_quote_in_company_voice_and_leader_quote_echoing_headline():
    d = doc_with(
        press_release__headline="Harbour Market holds your delivery slot while you shop",
        press_release__leader_quote=(
            '"Harbour Market holds your delivery slot while you shop," said Maya.'
        ),
        press_release__customer_quote='"We are excited to offer this to our customers," said Sam.',
    )
    rules = {r for r, _ in rules_for(d)}
    assert {"company-voice", "quote-restates-headline"} <= rules


def test_proselint_style_findings_map_back_to_their_field():
    d = doc_with(
        press_release__summary="Plain words here.",
        press_release__solution="At the end of the day, it is very unique.",
    )
    style = [f for f in checks.run(d) if f.rule == "style"]
    assert style
    assert all(f.field == "press_release.solution" for f in style)
    assert any("unique" in f.excerpt for f in style)


@pytest.mark.parametrize(
    "text",
    ["", " ", "\x00", "🙂" * 500, "a" * 20_000, "<script>x</script>", "((((((", "[](", "```"],
)
def test_odd_input_never_crashes(text):
    d = doc_with(press_release__summary=text, customer__who=text, benefit__benefit=text)
    checks.run(d)


def test_finding_keys_survive_unrelated_edits():
    d = doc_with(press_release__summary="A seamless flow.")
    key = next(f.key for f in checks.run(d) if f.rule == "hyperbole")
    d["press_release"]["summary"] = "Today: a seamless flow."
    assert key in {f.key for f in checks.run(d)}


def test_full_prfaq_check_speed(benchmark):
    """Timed by pytest-benchmark (make bench), never asserted."""
    d = complete()
    checks.run(d)  # load dictionaries once, as a running server has
    benchmark(checks.run, d)
