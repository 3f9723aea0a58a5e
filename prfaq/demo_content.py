"""Demo PR/FAQ documents for the two demo teams, loaded by the demo command.

Each item names its team (by slug), its owner (by email), a title, how far along the
writing is (``stage``) and a full document in the shape defined by ``prfaq.document``.
The shop in all of them is Harbour Market, a made-up online grocer.

The set is deliberately uneven: one showcase PR/FAQ, one shorter complete one, two
half-written drafts (one of them weak on purpose, so the writing checks have something
to catch) and one early sketch.
"""

from __future__ import annotations

from typing import Any

# --------------------------------------------------------------------------------------
# 1. Checkout, complete: the showcase.
# --------------------------------------------------------------------------------------

_SLOT_HOLD: dict[str, Any] = {
    "customer": {
        "who": (
            "Households that do **one planned weekly grocery shop** with us and need it "
            "delivered on a weekday evening, between 17:00 and 21:00. That is the only "
            "time someone is at home.\n\n"
            "They build the basket in one sitting of 20 to 40 minutes, usually from a list, "
            "and today they can only choose a delivery slot when they pay. In our October "
            "2026 customer survey, 58% of them work full time and 64% order for three or "
            "more people."
        ),
        "how_many": (
            "184,000 active customers take weekday-evening delivery at least twice a month "
            "(orders data, Aug-Oct 2026); 61,000 of them lost a slot at checkout in that "
            "period."
        ),
        "evidence": (
            "- **Checkout funnel, Aug-Oct 2026:** of 1.1 million sessions that reached the "
            "delivery step for a weekday-evening slot, 9.4% were shown *This slot is no "
            "longer available*. 38% of those sessions ended without an order.\n"
            "- **Placeholder orders:** 31,000 evening orders that quarter were paid at the "
            "£40 minimum, then edited to more than twice their value within 48 hours. "
            "Customers are paying for a basket they do not want yet, only to lock the "
            "slot.\n"
            "- **Support contacts:** 2,300 a month tagged *slot gone* or *wrong slot*, the "
            "third-largest checkout reason after failed payments and substitutions.\n"
            "- **Interviews:** 14 customers in Leeds and Bristol in September 2026. 11 of "
            "the 14 brought up losing a slot without being asked; 9 place placeholder "
            "orders on purpose."
        ),
    },
    "problem": {
        "statement": (
            '> "I do the big shop on a Tuesday night once the kids are in bed. It takes me '
            "half an hour going through the cupboards, and when I get to the end Thursday "
            "evening's gone. So it's Saturday at eight in the morning, when we're at "
            'swimming, or I shut the app and drive to the supermarket."\n'
            ">\n"
            "> -- interview, Leeds, September 2026\n\n"
            '> "Now I put forty quid of anything in the basket first and pay for it, just '
            "to grab the slot, then fix the order the next day. It's daft, but it's the "
            'only way I get Thursday."\n'
            ">\n"
            "> -- interview, Bristol, September 2026\n\n"
            "Put plainly: the slot they plan their week around is the last thing we let "
            "them choose, and it is open to everyone else while they shop."
        ),
        "today": (
            "- **Pay for a placeholder basket** of £40 to lock the slot, then edit the order "
            "before the cut-off. About 31,000 orders a quarter look like this, and 6% of "
            "them reach the cut-off with the placeholder items still in them.\n"
            "- **Shop at 07:00**, when slots for the day a week ahead open. 19% of "
            "weekday-evening slots are gone by 09:00.\n"
            "- **Take a worse slot:** 62% of customers who lose a slot pick another one, "
            "and 41% of those end up with a weekend morning.\n"
            "- **Leave:** 38% of affected sessions end without an order. 5 of the 14 people "
            "we interviewed said they had then ordered from another grocer."
        ),
    },
    "benefit": {
        "benefit": (
            "Customers who pick their delivery slot before they shop still have that slot "
            "when they pay."
        ),
        "metrics": [
            {
                "id": "m1",
                "name": (
                    "Weekday-evening checkouts where the customer gets the slot they picked first"
                ),
                "kind": "output",
                "unit": "%",
                "baseline": "90.6",
                "target": "98.5",
                "due": "2027-06-30",
            },
            {
                "id": "m2",
                "name": (
                    "Weekday-evening sessions that reach the delivery step and end without an order"
                ),
                "kind": "output",
                "unit": "%",
                "baseline": "11.2",
                "target": "8.0",
                "due": "2027-09-30",
            },
            {
                "id": "m3",
                "name": "New orders that start by holding a slot",
                "kind": "input",
                "unit": "%",
                "baseline": "0",
                "target": "50",
                "due": "2027-06-30",
            },
        ],
    },
    "press_release": {
        "headline": "Harbour Market holds your delivery slot while you shop",
        "subheading": (
            "Customers who plan their weekly grocery order around an evening delivery can "
            "now pick a slot first and keep it for 60 minutes while they fill their basket."
        ),
        "summary": (
            "LEEDS, 15 March 2027 -- From today, Harbour Market customers can choose their "
            "delivery slot before they add a single item. We hold it for them for 60 "
            "minutes while they shop. The hold is free and commits them to nothing. Until "
            "now a slot was only reserved at payment, and on weekday evenings 1 in 11 "
            "customers who reached that step found their slot had gone."
        ),
        "problem": (
            "A weekly shop on Harbour Market takes a median of 23 minutes to build. During "
            "those minutes the slot a customer has in mind is open to everyone else. Last "
            "autumn, 9.4% of customers who reached the delivery step for a weekday evening "
            "were told *This slot is no longer available*. 38% of them left without "
            "ordering, and 41% of the rest settled for a weekend morning. Others had learned "
            "to pay for a £40 placeholder basket first, only to lock the slot, and fix the "
            "order later."
        ),
        "solution": (
            "When a customer starts a new order, the first screen now shows the week's "
            "delivery slots. Picking one starts a hold:\n\n"
            "- the slot is kept for that customer for 60 minutes, with the time left shown "
            "at the top of the basket;\n"
            "- 10 minutes before the hold ends, a reminder arrives, and one tap adds 30 "
            "minutes, once per order;\n"
            "- if the hold ends, the basket stays as it is and the slot goes back on sale;\n"
            "- customers who prefer to shop first can still pick a slot at payment, as "
            "before.\n\n"
            "Each customer can hold one slot at a time, so holds cannot be used to block "
            "an evening for others."
        ),
        "leader_quote": (
            '"Our customers plan their week around the delivery, not the other way '
            'round," said Maya Okafor, who leads Checkout at Harbour Market. "We asked them '
            "to fill a basket first and only then told them whether we could bring it. "
            "Holding the slot first puts that right. It costs us some unused capacity, and "
            'we measured it before launch: 2.4% of evening slots."'
        ),
        "getting_started": (
            "The slot picker appears for every customer on the website, and in the Harbour "
            "Market app from version 8.4. Customers with a saved regular slot see it "
            "already selected and confirm it with one tap. There is nothing to switch on."
        ),
        "customer_quote": (
            "\"Thursday's the only evening we're all in, so that's when the shopping "
            'comes," said Aisha Rahman, a nurse in Leeds who orders for a family of five '
            'every week. "I used to do the whole list on my break and then find Thursday '
            "had gone by the time I paid. Or I'd pay forty quid for random stuff just to "
            'grab it. Now I pick Thursday first and take my time."'
        ),
        "call_to_action": (
            "Start your next order at harbourmarket.example or in the app and tap **Choose "
            "your slot**. Answers about holds are at harbourmarket.example/help/slot-holds."
        ),
    },
    "faq": {
        "entries": [
            {
                "id": "f1",
                "question": "Does holding a slot cost anything?",
                "answer": (
                    "No. The hold is free. The delivery charge for the slot is shown when "
                    "you pick it and is the same as if you had chosen it at payment. You "
                    "pay nothing until you check out, and if you never do, the slot is "
                    "released and nothing else happens."
                ),
                "audience": "external",
            },
            {
                "id": "f2",
                "question": "What happens if I have not finished my shop when the hour is up?",
                "answer": (
                    "Ten minutes before the hold ends we send a reminder: a notification in "
                    "the app, or a banner on the website. Tap **Keep my slot** to add 30 "
                    "minutes; you can do this once per order. If the hold ends anyway, your "
                    "basket stays exactly as it was and you can pick any slot that is "
                    "still free."
                ),
                "audience": "external",
            },
            {
                "id": "f3",
                "question": "Can I hold more than one slot, say Thursday and Friday?",
                "answer": (
                    "No, one at a time. Choosing a different slot releases the first one "
                    "straight away. If every customer could hold two slots, evening slots "
                    "would look full to others while half of those holds went unused."
                ),
                "audience": "external",
            },
            {
                "id": "f4",
                "question": "Do I have to choose a slot before I shop?",
                "answer": (
                    "No. If you prefer to shop first, skip the slot picker and choose at "
                    "payment, as you do today. The only difference is that your slot is not "
                    "held while you shop."
                ),
                "audience": "external",
            },
            {
                "id": "f5",
                "question": "Are prices or offers held along with the slot?",
                "answer": (
                    "No. The hold covers the delivery slot only. Prices and offers are the "
                    "ones shown when you pay, exactly as today."
                ),
                "audience": "external",
            },
            {
                "id": "f6",
                "question": "I pay for a small basket first to get my slot. Do I still need to?",
                "answer": (
                    "No. A hold gives you the slot without paying for anything. Orders you "
                    "have already placed can still be changed until 22:00 the night before "
                    "delivery, as before."
                ),
                "audience": "external",
            },
            {
                "id": "f7",
                "question": "What evidence do we have that customers want this?",
                "answer": (
                    "Four sources point the same way:\n\n"
                    "1. **Funnel data:** 9.4% of weekday-evening sessions that reach the "
                    "delivery step lose their slot, and 38% of those end without an order.\n"
                    "2. **Behaviour:** 31,000 placeholder orders a quarter. Customers are "
                    "already building this feature themselves, at the cost of paying early.\n"
                    "3. **Interviews:** 11 of 14 customers raised lost slots unprompted.\n"
                    "4. **Fake-door test:** for two weeks in November 2026, 5% of Leeds "
                    "customers (6,200 sessions) saw a *Hold a slot first* button that "
                    "explained the feature was coming. 48% clicked it; among customers who "
                    "had lost a slot in the previous 90 days, 67% did.\n\n"
                    "What we do not have yet is proof that holds bring back the customers "
                    "who already left. The m2 metric is there to show whether they do."
                ),
                "audience": "internal",
            },
            {
                "id": "f8",
                "question": "How big is the opportunity?",
                "answer": (
                    "Over the last 12 months about 414,000 weekday-evening sessions hit a "
                    "lost slot, and 38% of them (157,000) ended without an order. At our "
                    "average evening basket of £74, that is £11.6 million of sales.\n\n"
                    "We assume holds recover half of those orders: about £5.8 million of "
                    "sales and £280,000 of contribution a year at our 4.8% margin. This "
                    "leaves out retention. Customers who lost a slot twice in one quarter "
                    "were 1.6 times as likely to stop ordering within 6 months. If holds "
                    "change that, retention is worth more than the recovered orders."
                ),
                "audience": "internal",
            },
            {
                "id": "f9",
                "question": "What are the biggest risks?",
                "answer": (
                    "1. **Capacity lost to unused holds.** We replayed Aug-Oct 2026 sessions "
                    "with a 60-minute hold. 2.4% of evening slot capacity would have been "
                    "held by customers who did not order and released too late to be sold "
                    "again. We will track this weekly and shorten the hold to 45 minutes if "
                    "it passes 3%.\n"
                    "2. **Peak weeks.** In the two weeks before Christmas, evening slots sell "
                    "out within 3 hours of opening. Holds could make them look full sooner, "
                    "so in those weeks holds may take at most 80% of a slot's free "
                    "capacity.\n"
                    "3. **Held read as booked.** Some customers will think a held slot is "
                    "theirs for good. We tested the timer, the reminder and the wording with "
                    "8 customers on a clickable prototype; 7 of 8 explained the hold "
                    "correctly afterwards. The one who did not is the reason the reminder "
                    "now says *not booked yet*."
                ),
                "audience": "internal",
            },
            {
                "id": "f10",
                "question": "What do we depend on?",
                "answer": (
                    "- **Fulfilment Planning** owns the slot capacity service. It knows "
                    "*free* and *booked*; it needs a third state, *held*, with an expiry "
                    "time. They have put it in their January-March 2027 plan, at about 3 "
                    "engineer-weeks.\n"
                    "- **Customer Notifications** sends the 10-minute reminder from their "
                    "existing templates; no new channel is needed.\n"
                    "- **App release 8.4**, due on 3 March 2027. The website can launch "
                    "without it if the app release slips."
                ),
                "audience": "internal",
            },
            {
                "id": "f11",
                "question": "What will it cost?",
                "answer": (
                    "Two Checkout engineers and one designer for 8 weeks, plus 3 "
                    "engineer-weeks in Fulfilment Planning: about £95,000 of people time. "
                    "The hold state lives in the existing capacity database, so there is no "
                    "new infrastructure to run.\n\n"
                    "The ongoing cost is capacity lost to unused holds. It only matters in "
                    "evening slots that would otherwise have sold out, about 35% of them. In "
                    "the replay that is roughly 670 deliveries a week, or 35,000 a year, "
                    "against the 78,000 orders a year we expect to recover."
                ),
                "audience": "internal",
            },
            {
                "id": "f12",
                "question": "What are we not building?",
                "answer": (
                    "- **Paid or guaranteed slots**, such as a slot pass. That is a pricing "
                    "decision and needs its own PR/FAQ.\n"
                    "- Holds longer than 90 minutes in total, or holds on more than one "
                    "slot.\n"
                    "- Holding prices, offers or stock along with the slot.\n"
                    "- More delivery capacity. This proposal changes who gets the slots we "
                    "have, not the number of slots."
                ),
                "audience": "internal",
            },
            {
                "id": "f13",
                "question": "Which decisions are hard to reverse?",
                "answer": (
                    "The feature itself is a two-way door: one switch turns holds off and "
                    "checkout goes back to today's flow. Two things are harder to undo.\n\n"
                    "**The promise.** Once customers plan around a held slot, cutting the "
                    "hour to 20 minutes would feel like something taken away. So we launch "
                    "with a hold length we can keep, not the most generous one we could "
                    "offer.\n\n"
                    "**The meaning of *held*.** Fulfilment Planning's van routing will read "
                    "the new state. Once it does, changing what *held* means needs both "
                    "teams, so we will agree the definition in writing before they build it."
                ),
                "audience": "internal",
            },
            {
                "id": "f14",
                "question": "Why 60 minutes?",
                "answer": (
                    "92% of weekly shops are paid within 55 minutes of the first item going "
                    "into the basket. A 60-minute hold covers them; the one-off 30-minute "
                    "extension, asked for by the customer, brings that to 97%. In the "
                    "replay, a fixed 90-minute hold for everyone raised unused capacity from "
                    "2.4% to 4.1%; the extension adds 0.3 points."
                ),
                "audience": "internal",
            },
        ],
    },
}

# --------------------------------------------------------------------------------------
# 2. Search & Discovery, complete but shorter.
# --------------------------------------------------------------------------------------

_DIETARY_NEEDS: dict[str, Any] = {
    "customer": {
        "who": (
            "Customers who shop for a **dietary need in their household**, such as coeliac "
            "disease, a nut allergy or a vegan diet. They filter their searches for it "
            "every time they shop."
        ),
        "how_many": (
            "47,000 active customers applied a dietary filter in 3 or more sessions between "
            "Aug and Oct 2026 (search logs), 11% of active customers."
        ),
        "evidence": (
            "- They re-apply the same filter in 71% of their sessions, 6 times per session "
            "on average.\n"
            "- 9 interviews in October 2026, 6 of them with coeliac households. All 9 still "
            "read the label of every product, because our filter has been wrong before.\n"
            "- 420 support contacts last quarter about products shown under a dietary "
            "filter that did not meet it; 212 were about gluten."
        ),
    },
    "problem": {
        "statement": (
            '> "Every time I search I have to tick gluten-free again, and even then I turn '
            "the pack over, because last month it showed me a soy sauce with wheat in "
            'it."\n'
            ">\n"
            "> -- coeliac customer, Manchester, October 2026\n\n"
            "The filter forgets them, and when it does work they cannot trust it."
        ),
        "today": (
            "They tick the filter on every search and read ingredient lists on product "
            "pages. 7 of 9 interviewees keep a favourites list of products they know are "
            "safe and shop only from it, so they rarely see anything new. 4 of 9 buy their "
            "free-from products at a specialist shop instead."
        ),
    },
    "benefit": {
        "benefit": (
            "Customers with a dietary need see only products that meet it, on every search, "
            "and can trust what they see."
        ),
        "metrics": [
            {
                "id": "m1",
                "name": (
                    "Searches by customers with saved dietary needs that end in an add to basket"
                ),
                "kind": "output",
                "unit": "%",
                "baseline": "41",
                "target": "55",
                "due": "2027-09-30",
            },
            {
                "id": "m2",
                "name": "Products with a dietary label checked against supplier ingredient data",
                "kind": "input",
                "unit": "%",
                "baseline": "68",
                "target": "97",
                "due": "2027-05-31",
            },
        ],
    },
    "press_release": {
        "headline": "Harbour Market search now remembers your dietary needs",
        "subheading": (
            "Shoppers who avoid gluten, nuts, dairy or meat save their needs once, and every "
            "search, aisle and offer shows only products that meet them."
        ),
        "summary": (
            "MANCHESTER, 10 May 2027 -- Harbour Market customers can now save their "
            "household's dietary needs, and search applies them to every result without "
            "being asked again. Every product shown as gluten-free, nut-free, dairy-free, "
            "vegetarian or vegan has been checked against its supplier's ingredient data. "
            "Products we cannot check are not shown as meeting a need."
        ),
        "problem": (
            "47,000 of our customers filter for a dietary need in 71% of their shops. They "
            "had to tick the filter on every search, 6 times per visit on average. And they "
            "could not rely on it: last year 420 customers told us about a product listed "
            "as free-from that was not."
        ),
        "solution": (
            "Customers save their needs once, under **My dietary needs**. From then on:\n\n"
            "- search results, aisles and offers show only matching products, with a count "
            "of the ones hidden and a link to see them;\n"
            "- every matching product shows where its label came from and when we last "
            "checked it;\n"
            "- when a supplier changes a recipe, the product leaves matching results until "
            "it has been checked again."
        ),
        "leader_quote": (
            '"A filter you have to set six times a visit, and then double-check, is not '
            'doing its job," said Priya Natarajan, who leads Search & Discovery at Harbour '
            'Market. "We spent two thirds of this project on product data, not the search box, '
            'because one wrong result costs more trust than a slow one."'
        ),
        "getting_started": (
            "Open **Account > My dietary needs** on the website or in the app, tick what "
            "applies, and save. It applies from the next search."
        ),
        "customer_quote": (
            '"I used to spend longer reading the backs of packets than shopping," said Tom '
            "Hughes, whose daughter has coeliac disease. \"Now I search for pasta and it's "
            "only pasta she can eat, and it says when they last checked. I found three new "
            'things for her lunchbox in the first week."'
        ),
        "call_to_action": "Set your dietary needs at harbourmarket.example/account/diet.",
    },
    "faq": {
        "entries": [
            {
                "id": "f1",
                "question": "Which dietary needs can I save?",
                "answer": (
                    "Gluten-free, nut-free, dairy-free, vegetarian and vegan, in any "
                    "combination. Each member of the household does not need their own "
                    "account: the needs you save apply to everything you shop for. We will "
                    "add more needs only when we can check them against supplier data to "
                    "the same standard."
                ),
                "audience": "external",
            },
            {
                "id": "f2",
                "question": "Can I switch it off for one search?",
                "answer": (
                    "Yes. Every results page has a **Show everything** switch that lasts "
                    "for that search only. Your saved needs stay as they are. Products that "
                    "do not meet them are marked with the need they fail, so you can still "
                    "buy for a guest without changing your settings."
                ),
                "audience": "external",
            },
            {
                "id": "f3",
                "question": "Does this mean I no longer need to read the label?",
                "answer": (
                    "If an allergy is serious, please keep reading the pack: it is the "
                    "manufacturer's label that counts. We show where each label came from "
                    "and when we checked it. A product leaves matching results as soon as "
                    "its supplier tells us the recipe has changed."
                ),
                "audience": "external",
            },
            {
                "id": "f4",
                "question": "How do we get from 68% to 97% checked labels, and what if we miss?",
                "answer": (
                    "Of 38,000 products, 68% already arrive with supplier ingredient data. "
                    "The Product Data team will request the rest from 410 suppliers; the 40 "
                    "largest cover 71% of the gap. Products without checked data are left "
                    "out of matching results rather than guessed, so missing the target "
                    "means fewer products shown, not wrong ones.\n\n"
                    "If we reach only 85% by the due date, customers with a saved need "
                    "would see about 1 in 7 products hidden. We will then launch to the "
                    "needs that have passed 95% and hold back the others."
                ),
                "audience": "internal",
            },
            {
                "id": "f5",
                "question": "What happens if a product is shown as safe and is not?",
                "answer": (
                    "This is the largest risk. Legal have reviewed the wording: we say a "
                    "product's label *was checked*, not that it is safe. A customer report "
                    "removes the product from matching results within 15 minutes while we "
                    "investigate, and every case goes to the food safety team the same day.\n\n"
                    "Before launch, the Product Data team will hand-check a random sample of "
                    "1,000 labelled products against the packs in our Manchester site. We "
                    "launch only if no more than 2 of the 1,000 are wrong."
                ),
                "audience": "internal",
            },
            {
                "id": "f6",
                "question": "What are we not building?",
                "answer": (
                    "- Ranking results by diet beyond hiding what does not match.\n"
                    "- Recipe or meal suggestions.\n"
                    "- Free-text allergens such as sesame or mustard. They need supplier "
                    "data we do not yet receive.\n"
                    "- Anything that looks like medical advice."
                ),
                "audience": "internal",
            },
        ],
    },
}

# --------------------------------------------------------------------------------------
# 3a. Checkout, partial and deliberately weak: vague words, an output "metric", no
#     baseline. The writing checks should have plenty to say about this one.
# --------------------------------------------------------------------------------------

_EXPRESS_CHECKOUT: dict[str, Any] = {
    "customer": {
        "who": "Returning customers who want a faster, seamless checkout experience.",
        "how_many": "Most of our orders come from returning customers (roughly 70%, to check).",
        "evidence": (
            "Customers often tell us that checkout takes too long. Several competitors have "
            "launched express checkouts and an industry article says this significantly "
            "improves conversion."
        ),
    },
    "problem": {
        "statement": (
            "Checkout has too many steps and customers find it frustrating. It should be "
            "quick and easy, like other leading apps."
        ),
        "today": (
            "They go through all five checkout steps (basket, slot, substitutions, payment, "
            "review) every time, even when nothing has changed since last week."
        ),
    },
    "benefit": {
        "benefit": (
            "A seamless, best-in-class one-tap checkout that significantly improves the "
            "experience for returning customers."
        ),
        "metrics": [
            {
                "id": "m1",
                "name": "Launch express checkout",
                "kind": "output",
                "unit": "",
                "baseline": "0",
                "target": "1",
                "due": "2027-03-31",
            },
            {
                "id": "m2",
                "name": "Checkout conversion",
                "kind": "output",
                "unit": "%",
                "baseline": "",
                "target": "+5",
                "due": "2027-06-30",
            },
        ],
    },
    "press_release": {
        "headline": (
            "Introducing Express Checkout: the revolutionary new way to pay at Harbour Market"
        ),
        "subheading": "Returning customers can now check out in one tap.",
        "summary": (
            "Harbour Market is excited to announce Express Checkout, a seamless new "
            "experience that makes paying for your groceries faster and easier than ever "
            "before. Returning customers will love how simple it is, and we believe it will "
            "significantly improve satisfaction across the board."
        ),
        "problem": "",
        "solution": "",
        "leader_quote": "",
        "getting_started": "",
        "customer_quote": "",
        "call_to_action": "",
    },
    "faq": {
        "entries": [
            {
                "id": "f1",
                "question": "Is Express Checkout secure?",
                "answer": "Yes, it uses the same payment provider as today.",
                "audience": "external",
            },
        ],
    },
}

# --------------------------------------------------------------------------------------
# 3b. Search & Discovery, partial: sound thinking, press release half written.
# --------------------------------------------------------------------------------------

_RECIPE_TO_BASKET: dict[str, Any] = {
    "customer": {
        "who": (
            "Home cooks who choose the week's meals from online recipes or cookbooks, then "
            "type each ingredient into our search one at a time."
        ),
        "how_many": (
            "About 29,000 customers a month run 8 or more ingredient-like searches in a row "
            "(search logs, Oct 2026; an estimate, method under evidence)."
        ),
        "evidence": (
            "- We counted sessions with 8 or more consecutive searches for single "
            "ingredients (onion, garlic, chopped tomatoes). 29,000 customers a month do "
            "this, and they spend 14 minutes on average searching.\n"
            "- 7% of searches are pasted lists with commas, such as *onion, 2 garlic "
            "cloves, 400g chopped tomatoes*. 83% of those return no results.\n"
            "- 6 interviews in November 2026: 5 plan meals from recipe websites on their "
            "phone while shopping on the laptop."
        ),
    },
    "problem": {
        "statement": (
            '> "I find a recipe, then I flip between the two tabs typing in every '
            "ingredient, and half the time I search garlic and get garlic bread. By the "
            'third recipe I give up and write a list."\n'
            ">\n"
            "> -- interview, November 2026"
        ),
        "today": (
            "Type each ingredient into search, one by one. Some write a paper list and buy "
            "the rest in a local shop. 2 of the 6 people we interviewed use a meal-kit "
            "service in their busiest weeks, at about twice the cost per meal."
        ),
    },
    "benefit": {
        "benefit": (
            "Home cooks can turn a recipe into a basket of the right ingredients in under "
            "two minutes."
        ),
        "metrics": [
            {
                "id": "m1",
                "name": "Median time from pasting a recipe to having its ingredients in the basket",
                "kind": "output",
                "unit": "minutes",
                "baseline": "14",
                "target": "2",
                "due": "2027-10-31",
            },
            {
                "id": "m2",
                "name": "Recipe lines matched to the right product first time (500-line sample)",
                "kind": "input",
                "unit": "%",
                "baseline": "54",
                "target": "90",
                "due": "2027-08-31",
            },
        ],
    },
    "press_release": {
        "headline": "Paste a recipe, get the shopping: Harbour Market turns recipes into baskets",
        "subheading": (
            "Home cooks who plan meals from recipes can paste an ingredient list or a recipe "
            "link and get every ingredient into their basket in one step."
        ),
        "summary": (
            "From today, Harbour Market customers can paste a recipe into search and get a "
            "basket back. Each ingredient line becomes a product, in a pack size that covers "
            "the amount the recipe needs. Ingredients already in the cupboard can be "
            "skipped with one tap."
        ),
        "problem": (
            "29,000 of our customers a month shop from recipes by typing in one ingredient "
            "after another, 14 minutes of searching on average. Search treats each line as "
            "a separate question, so *garlic* brings back garlic bread, and a pasted list "
            "brings back nothing at all."
        ),
        "solution": "",
        "leader_quote": "",
        "getting_started": "",
        "customer_quote": "",
        "call_to_action": "",
    },
    "faq": {
        "entries": [
            {
                "id": "f1",
                "question": "What if I already have some of the ingredients?",
                "answer": (
                    "Every matched line has a tick box. Untick the ones you have and only "
                    "the rest go into your basket."
                ),
                "audience": "external",
            },
            {
                "id": "f2",
                "question": "Are we allowed to read recipes from other websites?",
                "answer": "",
                "audience": "internal",
            },
        ],
    },
}

# --------------------------------------------------------------------------------------
# 4. Checkout, early: customer and problem only, rough notes.
# --------------------------------------------------------------------------------------

_SPLIT_THE_BILL: dict[str, Any] = {
    "customer": {
        "who": (
            "People in shared houses (flatmates, students) who put one delivery together "
            "and split the cost. Maybe also couples who keep separate accounts?"
        ),
        "how_many": (
            "Not known yet. Ask the data team for orders to addresses with 3+ adults on "
            "the account."
        ),
        "evidence": (
            "- Support tickets asking to pay with two cards (need to count them).\n"
            "- Community forum thread about splitting payment, 40 replies.\n"
            "- Sam's flat does this every week."
        ),
    },
    "problem": {
        "statement": (
            '"One of us orders, pays the whole ninety quid, and then spends the week '
            'chasing everyone in the group chat for their share." Also nobody can see who '
            "added what."
        ),
        "today": (
            "One person pays and the others send bank transfers, sometimes with a shared "
            "spreadsheet. Some flats place separate orders and pay two delivery charges."
        ),
    },
    "benefit": {"benefit": "", "metrics": []},
    "press_release": {
        "headline": "",
        "subheading": "",
        "summary": "",
        "problem": "",
        "solution": "",
        "leader_quote": "",
        "getting_started": "",
        "customer_quote": "",
        "call_to_action": "",
    },
    "faq": {"entries": []},
}


# The demo's complete, clean PR/FAQ, named so tests and the bench seed need not find it
# by its title.
SHOWCASE = _SLOT_HOLD

DEMO_PROPOSALS: list[dict[str, Any]] = [
    {
        "team": "checkout",
        "owner": "maya@example.com",
        "title": "Hold the delivery slot while the customer shops",
        "stage": "complete",
        "faq_author": "li@example.com",
        "document": _SLOT_HOLD,
    },
    {
        "team": "search",
        "owner": "priya@example.com",
        "title": "Dietary needs that stay on in every search",
        "stage": "complete",
        "document": _DIETARY_NEEDS,
    },
    {
        "team": "checkout",
        "owner": "sam@example.com",
        "title": "Express checkout for returning customers",
        "stage": "partial",
        "document": _EXPRESS_CHECKOUT,
    },
    {
        "team": "search",
        "owner": "jonas@example.com",
        "title": "Turn a recipe into a basket",
        "stage": "partial",
        "document": _RECIPE_TO_BASKET,
    },
    {
        "team": "checkout",
        "owner": "li@example.com",
        "title": "Split the bill for shared households",
        "stage": "early",
        "document": _SPLIT_THE_BILL,
    },
]
