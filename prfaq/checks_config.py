"""Every word list and threshold the writing checks use: tune them here.

docs/WRITING-CHECKS.md explains each rule and what changing these values does.
"""

from __future__ import annotations

# Press release: about one page. Errors block submission.
PRESS_RELEASE_WORD_BUDGET = 600
# A sentence longer than this is hard to follow aloud.
MAX_SENTENCE_WORDS = 30
# Flesch reading ease below this (0-100, higher is easier) is flagged, for paragraphs
# long enough for the score to mean something.
MIN_READING_EASE = 30.0
READABILITY_MIN_WORDS = 25
# FAQ entries each audience should have at least.
MIN_EXTERNAL_FAQ = 3
MIN_INTERNAL_FAQ = 3

# Hyperbole: adjectives that claim instead of show. Replace with data.
HYPERBOLE = [
    "revolutionary", "revolutionize", "revolutionise", "world-class", "world class",
    "best-in-class", "best in class", "state-of-the-art", "state of the art",
    "cutting-edge", "cutting edge", "next-generation", "next generation", "game-changing",
    "game changer", "game-changer", "groundbreaking", "ground-breaking", "industry-leading",
    "industry leading", "market-leading", "seamless", "seamlessly", "effortless",
    "effortlessly", "unparalleled", "unprecedented", "incredible", "incredibly", "amazing",
    "awesome", "magical", "best-ever", "innovative", "disruptive", "robust", "powerful",
    "exceptional", "unmatched", "blazing", "lightning-fast", "first-class", "superior",
]  # fmt: skip

# Weasel words: vague quantities and intensifiers that hide the number.
WEASEL = [
    "very", "many", "significantly", "significant", "substantially", "substantial",
    "dramatically", "greatly", "vastly", "hugely", "massively", "extremely", "several",
    "various", "numerous", "countless", "a lot of", "lots of", "tons of", "a number of",
    "arguably", "virtually", "basically", "really", "quite",
]  # fmt: skip
# Phrases where a listed word is not vague ("how many" asks for the number).
WEASEL_EXCEPTIONS = ["how many", "very first", "very last", "most recent", "at most"]

# Metric names that describe work shipped (output), not a change for the customer.
OUTPUT_METRIC_PATTERNS = [
    r"^(launch|ship|release|deliver|build|complete|finish|implement|roll out|rollout|"
    r"migrate|deploy|publish|create|add|integrate|hire|go live|start|begin|develop|"
    r"write|design|run)\b",
    r"\b(features?|projects?|milestones?|tickets?|stories|sprints?|releases?)"
    r" (shipped|delivered|launched|completed|released|built|closed)\b",
    r"\b(number|count|#) of (features|releases|sprints|launches|tickets)\b",
    r"\bon (time|schedule)\b",
]

# A customer quote that talks like the company.
COMPANY_VOICE = [
    r"\bwe(?:'re| are) (?:so |very |really )?(?:excited|thrilled|proud|delighted|pleased|happy)\b",
    r"\bproud to (?:announce|launch|introduce)\b",
    r"\b(?:delighted|excited|pleased|thrilled) to (?:announce|launch|introduce)\b",
    r"\bour (?:customers|users|clients|team|company|product|platform|solution|mission)\b",
    r"\bwe (?:built|designed|created|launched|developed|engineered)\b",
    r"\b(?:leverag\w*|synerg\w*|best-in-class|world-class|solution)\b",
]
# Leader quote: share of the headline's content words it repeats before it counts as
# restating the headline.
LEADER_QUOTE_HEADLINE_OVERLAP = 0.6

# Upper-case words that need no spelling out.
KNOWN_ACRONYMS = {
    "FAQ", "FAQS", "PR", "US", "USA", "UK", "EU", "UN", "OK", "TV", "ID", "PDF", "CEO",
    "CTO", "CFO", "VP", "AM", "PM", "UTC", "GMT", "HTML", "URL", "FAQ's", "I", "A", "AI",
    "SMS", "GPS", "PIN", "ATM", "VAT", "NHS", "BBC", "CSV", "DIY", "ASAP", "IT", "B2B", "B2C",
}  # fmt: skip

# Proselint checks we run, by their path prefix (the rest are off: they serve fiction
# and essays more than launch documents).
PROSELINT_CHECKS = {
    "cliches": True,
    "hedging": True,
    "industrial_language": True,
    "redundancy": True,
    "uncomparables": True,
    "skunked_terms": True,
}
