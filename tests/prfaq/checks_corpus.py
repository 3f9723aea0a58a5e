"""A labelled corpus for the writing checks, written for these tests.

Each entry: (field, text, the rules a careful editor would flag there). For metric
names the field is "metric"; for a leader quote the headline it is compared with is
the HEADLINE below. Weak and strong lines sit side by side on purpose.
"""

HEADLINE = "Harbour Market holds your delivery slot while you shop"

CORPUS: list[tuple[str, str, set[str]]] = [
    # --- Press release lines: hyperbole and weasel words --------------------------------
    (
        "press_release.summary",
        "Harbour Market launches a revolutionary way to shop.",
        {"hyperbole"},
    ),
    (
        "press_release.summary",
        "From today, customers choose a delivery slot before they add a single item.",
        set(),
    ),
    ("press_release.summary", "Our seamless checkout makes ordering effortless.", {"hyperbole"}),
    ("press_release.summary", "Checkout now takes 3 taps instead of 9.", set()),
    ("press_release.summary", "Many customers lose their slot before they pay.", {"weasel"}),
    (
        "press_release.summary",
        "9.4% of weekday evening customers lost their slot before paying last autumn.",
        set(),
    ),
    ("press_release.summary", "Holds significantly reduce abandoned baskets.", {"weasel"}),
    ("press_release.summary", "Abandoned evening baskets fell from 14% to 6% in the pilot.", set()),
    (
        "press_release.summary",
        "This is a world-class experience for very busy parents.",
        {"hyperbole", "weasel"},
    ),
    (
        "press_release.summary",
        "Parents who shop after 21:00 can now finish their order in one sitting.",
        set(),
    ),
    (
        "press_release.solution",
        "A cutting-edge, next-generation engine powers the feature.",
        {"hyperbole"},
    ),
    ("press_release.solution", "The hold lasts 60 minutes and ends when the customer pays.", set()),
    (
        "press_release.solution",
        "We offer various options for several kinds of households.",
        {"weasel"},
    ),
    (
        "press_release.solution",
        "Customers pick one of four windows: 17:00, 18:00, 19:00 or 20:00.",
        set(),
    ),
    ("press_release.solution", "It is an innovative, robust and powerful platform.", {"hyperbole"}),
    ("press_release.solution", "It works on the website and in version 8.4 of the app.", set()),
    ("press_release.problem", "Shoppers face a lot of frustration at checkout.", {"weasel"}),
    (
        "press_release.problem",
        "Shoppers spend 23 minutes building a basket, then find their slot gone.",
        set(),
    ),
    ("press_release.problem", "The current process is extremely slow.", {"weasel"}),
    (
        "press_release.problem",
        "Choosing a slot currently happens on the last screen, after payment details.",
        set(),
    ),
    ("press_release.getting_started", "Getting started is incredibly easy.", {"hyperbole"}),
    (
        "press_release.getting_started",
        "Open the app and tap Choose your slot on the first screen.",
        set(),
    ),
    ("press_release.call_to_action", "Try our game-changing holds today!", {"hyperbole"}),
    ("press_release.call_to_action", "Start your next order at harbourmarket.example.", set()),
    # Words that look like the lists but are not vague in context.
    ("press_release.summary", "Customers tell us how many items they need for the week.", set()),
    ("press_release.summary", "The very first screen now shows the slots.", set()),
    ("press_release.summary", "Use the `seamless` flag only in the test build.", set()),
    (
        "press_release.summary",
        "See [the seamless guide](https://example.com/very-seamless) for set-up.",
        {"hyperbole"},
    ),
    (
        "press_release.summary",
        "Read the guide at https://example.com/revolutionary-offers before you start.",
        set(),
    ),
    # --- Long sentences and readability --------------------------------------------------
    (
        "press_release.summary",
        "Customers who plan their weekly grocery order around an evening delivery can now pick a slot first and keep it for sixty minutes while they build their basket, which means they no longer lose the slot they wanted to someone who happened to pay a little faster.",
        {"long-sentence"},
    ),
    (
        "press_release.summary",
        "Customers can now pick a slot first. The slot is kept for sixty minutes while they shop. Nobody else can take it.",
        set(),
    ),
    (
        "press_release.solution",
        "Notwithstanding the aforementioned organisational considerations, comprehensive operationalisation of the reservation methodology necessitates substantive infrastructural modifications, particularly regarding synchronisation of inventory allocation mechanisms, capacity utilisation optimisation, and contemporaneous prioritisation of heterogeneous fulfilment dependencies.",
        {"readability", "long-sentence"},
    ),
    (
        "press_release.solution",
        "When you start an order, you pick a slot. We keep it for an hour. If the hour ends, the slot goes back. Your basket stays as it is, so you can pick again. Nothing is charged until you pay. You can change the slot at any time before you pay.",
        set(),
    ),
    (
        "faq.f1.answer",
        "The hold is free, it commits the customer to nothing, it ends after sixty minutes or when they pay, and if it ends the basket stays exactly as it was so they can pick another slot and carry on shopping.",
        {"long-sentence"},
    ),
    (
        "faq.f1.answer",
        "The hold is free. It ends after 60 minutes or at payment. The basket stays as it was.",
        set(),
    ),
    # --- Acronyms --------------------------------------------------------------------------
    ("press_release.summary", "The AOV of evening orders rose by 4%.", {"acronym"}),
    ("press_release.summary", "The average order value (AOV) of evening orders rose by 4%.", set()),
    ("press_release.summary", "Our NPS went up after the pilot.", {"acronym"}),
    (
        "press_release.summary",
        "Our net promoter score (NPS) went up after the pilot. NPS is now 41.",
        set(),
    ),
    (
        "press_release.summary",
        "LEEDS, 15 March 2027 — Harbour Market customers can now hold a slot.",
        set(),
    ),
    (
        "press_release.summary",
        "The FAQ below answers questions about the PR and the US launch.",
        set(),
    ),
    ("faq.f1.answer", "We will track it in the CRM and report it to the SLT.", {"acronym"}),
    ("faq.f1.answer", "Support logs it in our customer relationship manager.", set()),
    ("faq.f1.answer", "Run `SELECT COUNT(*) FROM holds` to see the numbers.", set()),
    (
        "press_release.summary",
        "Les clients de Leeds réservent leur créneau avant de faire leurs courses.",
        set(),
    ),
    ("press_release.summary", "顧客は買い物の前に配達時間を予約できます。", set()),
    # --- Quotes ----------------------------------------------------------------------------
    (
        "press_release.customer_quote",
        '"We are excited to bring this best-in-class solution to our customers," said a shopper.',
        {"company-voice"},
    ),
    (
        "press_release.customer_quote",
        "\"Thursday is the only evening we're all in, so that's when the shopping comes,\" said Aisha Rahman, a nurse in Leeds.",
        set(),
    ),
    (
        "press_release.customer_quote",
        '"Our team designed it to leverage the platform," said Tom, a customer.',
        {"company-voice"},
    ),
    (
        "press_release.customer_quote",
        '"I used to do the list on my break and find Thursday gone by the time I paid," said Tom Hale.',
        set(),
    ),
    (
        "press_release.customer_quote",
        '"We\'re thrilled with it," said the Patel family.',
        {"company-voice"},
    ),
    (
        "press_release.customer_quote",
        '"I picked Thursday at seven and it was still mine when I paid," said Priya Shah.',
        set(),
    ),
    (
        "press_release.leader_quote",
        '"Harbour Market now holds your delivery slot while you shop," said Maya Okafor.',
        {"quote-restates-headline"},
    ),
    (
        "press_release.leader_quote",
        '"Our customers plan their week around the delivery, not the other way round," said Maya Okafor.',
        set(),
    ),
    (
        "press_release.leader_quote",
        '"We hold your delivery slot while you shop at Harbour Market," said the director.',
        {"quote-restates-headline"},
    ),
    (
        "press_release.leader_quote",
        '"We asked them to fill a basket before we told them whether we could bring it," said Maya Okafor.',
        set(),
    ),
    # --- Benefit numbers -------------------------------------------------------------------
    ("benefit.benefit", "Customers keep the slot they chose.", {"benefit-number"}),
    (
        "benefit.benefit",
        "Customers keep the slot they chose for 60 minutes while they shop.",
        set(),
    ),
    ("benefit.benefit", "Shoppers save time at checkout.", {"benefit-number"}),
    ("benefit.benefit", "Shoppers finish checkout in 2 minutes instead of 9.", set()),
    ("benefit.benefit", "B2B customers get a better experience.", {"benefit-number"}),
    ("benefit.benefit", "Shoppers find a gluten-free dinner in half the searches.", set()),
    # --- Metrics: outputs and outcomes -----------------------------------------------------
    ("metric", "Launch slot holds", {"output-metric"}),
    ("metric", "Orders delivered in the slot the customer chose", set()),
    ("metric", "Ship 3 checkout features", {"output-metric"}),
    ("metric", "Evening baskets abandoned after a slot was lost", set()),
    ("metric", "Complete the payments migration", {"output-metric"}),
    ("metric", "Customers who reorder within 14 days", set()),
    ("metric", "Number of features released", {"output-metric"}),
    ("metric", "Median minutes from first item to payment", set()),
    ("metric", "Roll out holds to all regions", {"output-metric"}),
    ("metric", "Share of searches ending in an add to basket", set()),
    ("metric", "Milestones delivered on time", {"output-metric"}),
    ("metric", "Support contacts about lost slots per 1,000 orders", set()),
    ("metric", "Build the recipe importer", {"output-metric"}),
    ("metric", "Recipes turned into a basket per week", set()),
]
