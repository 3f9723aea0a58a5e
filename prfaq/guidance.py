"""Writing guidance for each PR/FAQ step, with worked examples and a checklist of FAQ questions."""

from __future__ import annotations

# Every example follows one imaginary product: Dock Hold, a feature of the CityCycle
# bike-share app that lets a rider reserve a free dock at their destination when they
# unlock a bike. Weak examples are deliberately bad; strong ones are what we ask for.

GUIDANCE: dict[str, dict] = {
    "customer": {
        "intro": (
            "Name the one group of people this is for, say how many there are, and show how "
            "you know. Every later step is written for this person."
        ),
        "good": [
            "A group narrow enough that you could book five of them for interviews next week.",
            "A count with its source and date, even if it is an estimate.",
            "Evidence you gathered: interviews, support tickets, usage data. Team opinion is "
            "not evidence.",
            "One primary customer. If two groups need different things, write two PR/FAQs.",
        ],
        "weak": (
            "Our customers are urban commuters and anyone who wants a better bike-share "
            "experience. It is a huge market, and everyone we talked to loved the idea."
        ),
        "strong": (
            "Weekday commuters in Lisbon who ride CityCycle to work between 7:30 and 9:30. "
            "In October 2026, 41,200 riders made at least eight such trips. We interviewed 14 "
            "of them; 11 named a full dock near the office as their main complaint. Support "
            "logged 2,380 tickets about full docks in the same month."
        ),
    },
    "problem": {
        "intro": (
            "Describe the problem as the customer lives it, and what they do about it today. "
            "If you cannot state it without naming your product, you have a solution looking "
            "for a problem."
        ),
        "good": [
            "In the customer's words, the way they would tell a friend; quote an interview "
            "if you can.",
            "Shows what it costs them: minutes, money, missed meetings, worry.",
            "Names today's workaround or competitor honestly, including living with it.",
            "Says nothing about your solution.",
        ],
        "weak": (
            "Users struggle with a frustrating, broken docking experience. The current app "
            "is not good enough and lacks the real-time features customers want."
        ),
        "strong": (
            '"The dock by my office is full, so I ride around looking for another one and '
            'walk back. Twice a month it makes me late." In October 2026, 18% of morning peak '
            "trips ended at a full dock. Those riders spent 7 minutes on average finding a "
            "free one. Today they check the station map before leaving, but it shows free "
            "docks now, not when they arrive. On days they cannot risk it, they take the metro."
        ),
    },
    "benefit": {
        "intro": (
            "Choose the single most important thing the customer gets, and decide how you "
            "will measure that it arrived. The rest of the document supports this one "
            "sentence."
        ),
        "good": [
            "One sentence. If it needs an 'and', you have not chosen yet.",
            "An outcome the customer feels, not an output the team ships: 'arrive on time', "
            "not 'launch reservations'.",
            "Every metric has a name, a baseline, a target and a date.",
            "Pair the outcome metric with an input metric the team controls, such as the "
            "share of trips that start with a hold.",
        ],
        "weak": (
            "Dock Hold will significantly improve the rider experience and make commuting "
            "seamless. Success metric: launch Dock Hold in Q3."
        ),
        "strong": (
            "Commuters who hold a dock when they unlock a bike have a free dock waiting at "
            "their destination for the next 30 minutes. Output metric: morning peak trips "
            "that end at a full dock, from 18% (October 2026) to under 3% by 30 September "
            "2027. Input metric: morning peak trips that start with a hold, from 0% to 40% "
            "by 30 June 2027."
        ),
    },
    "press_release": {
        "intro": (
            "Announce the launch as if it happened today, in about one page. A reader who "
            "stops after the headline and first sentence should know who it is for and what "
            "they get."
        ),
        "good": [
            "The headline names the product and the benefit in words a customer uses; no "
            "internal jargon.",
            "The first sentence says who, what, where and when. The rest of the page backs it up.",
            "Numbers instead of adjectives: each claim should survive a reporter's follow-up "
            "question.",
            "Quotes sound like people: the leader says why, the customer describes a morning "
            "that changed.",
        ],
        "weak": (
            "CityCycle Launches Revolutionary Smart Docking. CityCycle is excited to announce "
            "Dock Hold, a game-changing, next-generation solution that leverages real-time "
            "data to transform urban mobility for everyone."
        ),
        "strong": (
            "CityCycle riders can now reserve a dock at their destination before they ride. "
            "LISBON, 1 June 2027: From today, CityCycle riders in Lisbon can hold a free dock "
            "at any station when they unlock a bike. The hold lasts 30 minutes and costs "
            "nothing extra, so a morning ride no longer ends with a search for a space."
        ),
    },
    "faq": {
        "intro": (
            "Answer the questions customers and stakeholders will ask, starting with the ones "
            "you would rather avoid. The FAQ is where the hard thinking shows, and it is "
            "usually longer than the press release."
        ),
        "good": [
            "The hardest questions come first: cost, risks, and how this could fail.",
            "The first sentence of each answer is the answer: yes, no, a number, or 'we do "
            "not know yet, and this is how we will find out'.",
            "Both audiences are covered: customers (price, getting started, limits) and "
            "stakeholders (evidence, cost, dependencies).",
            "It says what you are not building and which decisions are hard to reverse.",
        ],
        "weak": (
            "Q: Will this be expensive? A: We are confident the cost will be very reasonable "
            "and the benefits will significantly outweigh the investment."
        ),
        "strong": (
            "Q: What does it cost to build and run? A: About EUR 310,000 to build: six "
            "engineers for four months. Running it costs EUR 4,000 a month. Each hold also "
            "takes a dock out of use for up to 30 minutes. In a six-week pilot at 12 "
            "stations, holds cut free docks at peak by 4%, so we cap holds at 25% of each "
            "station's docks."
        ),
    },
}

FAQ_CHECKLIST: dict[str, list[str]] = {
    "external": [
        "How much does it cost, and what exactly am I paying for?",
        "How do I get started, and how soon will I see a difference?",
        "Who is this for, and who is it not for?",
        "How is this different from what I use today, and why should I switch?",
        "What data do you collect about me, who can see it, and how do I delete it?",
        "When and where is it available, and on which devices?",
        "Where do I get help if something goes wrong?",
        "What does it not do yet, and what are its known limitations?",
    ],
    "internal": [
        "What evidence do we have that customers have this problem and want this solution?",
        "How big is the market (TAM), and how did we calculate it?",
        "Why now? What has changed that makes this the right time?",
        "What are the biggest risks, and what could make this fail?",
        "What do we depend on from other teams, partners or vendors?",
        "What will it cost to build, and what will it cost to run each year?",
        "What are we deliberately not building in the first version?",
        "Which decisions are one-way doors that would be costly to reverse?",
        "Which metrics will show success, and how will we measure them?",
        "What happens if we do nothing?",
    ],
}
