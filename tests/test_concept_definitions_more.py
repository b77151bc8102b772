"""The twelve CX concepts added after the first twenty (RACI, ADKAR, the service recovery paradox, first response time,
average speed of answer, occupancy, shrinkage, containment rate, cost to serve, omnichannel, moments of truth,
personas), checked with the real model on sentences written for this test and kept out of content/cx_concepts.yml: what
a good candidate says must count as using the concept and never be taken for a misdefinition; a confident wrong
definition (other errors than the file's misconceptions) must be caught; a name in another meaning must not count."""

from pathlib import Path

import pytest

from coach.cx_concepts import load_cx_concepts
from tests.test_concept_definitions import (
    FLOOR,
    MARGIN,
    assess,
    correct_statements_check,
    misdefined,
    wrong_definitions_check,
)

PROJECT_CONTENT = Path(__file__).resolve().parent.parent / "content"

NEW_CONCEPTS = ("raci", "adkar", "service_recovery_paradox", "first_response_time", "average_speed_of_answer",
                "occupancy", "shrinkage", "containment_rate", "cost_to_serve", "omnichannel", "moments_of_truth",
                "customer_personas")

# A story, a terse note, non-native English, a plain statement: none of them misdefines the concept.
CORRECT = {
    "raci": [
        "On the billing migration I set up a RACI so that finance was accountable for the refund rules, my team was "
        "responsible for applying them, legal was consulted and the store managers were informed.",
        "RACI: R does it, A owns it (one only), C gives input, I gets told.",
        "RACI is a table where for every task you write who make the work, who is final owner, who we ask opinion and "
        "who we only tell.",
        "A RACI chart makes clear who owns each decision, which stops two teams each thinking the other one is "
        "handling an escalation.",
        "In our RACI the head of support was accountable for the complaint policy and the team leads were responsible "
        "for running it day to day.",
        "The RACI matrix we agreed with IT meant outages had one accountable owner instead of three managers all "
        "waiting for each other.",
        "RACI stands for responsible, accountable, consulted and informed, and I use it whenever a process crosses "
        "more than one team.",
        "RACI means you avoid the trap where several people are accountable for one task.",
    ],
    "adkar": [
        "When we rolled out the new knowledge base I used ADKAR: the agents understood why and most wanted it, but "
        "the knowledge and ability steps needed floor walkers for two weeks.",
        "ADKAR = Awareness, Desire, Knowledge, Ability, Reinforcement, per person, in that order.",
        "ADKAR is model from Prosci, it say people need first to be aware and want the change, after that learn it, "
        "be able to do it, and then it must be reinforced.",
        "The ADKAR model reminds me that a project can go live on time while the people in it keep working the old "
        "way.",
        "With ADKAR you find the first stage where a person is stuck, for example they know the new process but "
        "still resist it, and you work on that stage.",
        "We added the reinforcement part of ADKAR by celebrating the first agents who closed tickets in the new tool, "
        "and usage kept climbing.",
        "ADKAR is about knowledge and adoption of the new way of working, one person at a time.",
    ],
    "service_recovery_paradox": [
        "A hotel guest whose room was double-booked got an upgrade, a handwritten note and dinner on us, and she "
        "became one of our most loyal regulars; that is the service recovery paradox.",
        "Service recovery paradox: great fix after a failure -> loyalty above baseline, but only once.",
        "Service recovery paradox is when client have problem, we solve it very good and fast, and after he is more "
        "happy than before the problem.",
        "The recovery paradox is real but fragile, so I treat it as a bonus and not a strategy; a second failure "
        "erases it.",
        "The service recovery paradox tells you that a complaint handled well is a chance to earn more loyalty than "
        "you had before it.",
        "I have seen the service recovery paradox with delayed flights: passengers rebooked quickly with a voucher "
        "rated us higher than passengers whose flights left on time.",
    ],
    "first_response_time": [
        "At the e-commerce company our first response time on email was 14 hours, and after we added a morning "
        "triage rota it fell to 3.",
        "FRT = ticket created -> first human reply; auto-acks excluded.",
        "First response time is how much time customer wait until somebody from team write him the first answer.",
        "First response time tells customers someone is on it, which cuts the chaser emails, but resolving the issue "
        "is a separate measure.",
        "We report FRT as a median because a few weekend tickets made the average look far worse than a typical "
        "customer's wait.",
        "Our first reply time on social media was under 30 minutes, which mattered because complaints there are "
        "public.",
        "First response time measures the wait between a customer's message and the first reply from an agent.",
    ],
    "average_speed_of_answer": [
        "In the energy company's call centre our ASA was over four minutes in January, so we moved back-office staff "
        "onto the phones at peak times and got it under a minute.",
        "ASA = total wait of answered calls / answered calls.",
        "ASA is how many seconds in average the caller wait in queue before agent take the call.",
        "Average speed of answer tells you how long a typical caller waits, but I always check the longest waits too, "
        "since an average hides them.",
        "Our average speed of answer on chat was 25 seconds, measured from the moment the chat entered the queue.",
        "ASA measures the average time callers spend waiting in the queue until someone answers.",
        "We watched ASA next to abandonment, because when the wait went past two minutes people started hanging up.",
    ],
    "occupancy": [
        "At the insurer our occupancy ran at 92 percent all winter, agents were going call to call with no breathing "
        "space, and attrition jumped.",
        "Occupancy = handle time / (handle time + available idle time).",
        "Occupancy is how much of logged time the agent is really busy with customers and not waiting for call.",
        "Agent occupancy tells you whether people get any recovery time between contacts, which is why I watch it "
        "during peaks.",
        "Occupancy measures the share of an agent's available, logged-in time spent on calls, including hold and "
        "after-call work.",
        "We set a ceiling of 85 percent occupancy and brought in part-timers for the peaks when forecasts went above "
        "it.",
        "High occupancy looks efficient on paper, but above 90 percent our quality scores and sick days got worse.",
    ],
    "shrinkage": [
        "When I took over planning, shrinkage was assumed at 20 percent but training days and sickness pushed it to "
        "35, which is why the queues kept building.",
        "Shrinkage: % paid hours off the queue (breaks, training, leave, sick).",
        "Shrinkage is time when agent is paid but not available for customers, like in break, meeting or holiday.",
        "Shrinkage tells the planners how many extra people to schedule, because a paid day is never all spent on "
        "the phones.",
        "We split shrinkage into planned items like coaching and team huddles and unplanned ones like sickness, and "
        "tracked both weekly.",
        "Shrinkage measures the share of scheduled hours agents spend off the phones for breaks, training, meetings "
        "and absence.",
        "Unplanned shrinkage went up every Monday, so we moved training off Mondays to keep enough people on the "
        "queue.",
    ],
    "containment_rate": [
        "After we taught our chatbot to handle order tracking, containment rate rose from 22 to 41 percent and the "
        "agents had more time for complex returns.",
        "Containment rate = bot-completed sessions / all bot sessions (need met, no handoff).",
        "Containment rate is the percent of calls that IVR finish alone, the customer don't need to talk with agent.",
        "Containment rate tells you how much the bot really handles, provided you check the customers got what they "
        "came for.",
        "Our IVR containment looked great at 60 percent until we saw that many of those callers simply hung up and "
        "rang again later.",
        "Containment rate measures the share of conversations that the virtual agent completes from start to finish.",
        "We reported bot containment every week together with the bot's CSAT, so a rise in one at the cost of the "
        "other would show.",
    ],
    "cost_to_serve": [
        "At the telecom we worked out cost to serve per segment and found prepaid customers cost more in calls than "
        "they earned us, so we built an app flow for top-ups.",
        "Cost per contact = total service cost / contacts handled.",
        "Cost to serve is all money company spend to take care of customer after he buy, like support, delivery and "
        "returns.",
        "Cost to serve shows which customers are profitable once you take their support, delivery and returns into "
        "account.",
        "Our cost per call was around six pounds against under one pound per chat, which made the case for moving "
        "simple questions to chat.",
        "Cost to serve measures what it costs us to look after a customer or a segment over a year.",
        "Knowing the cost to serve each channel helped me argue for self-service while keeping a person for the "
        "customers who needed one.",
    ],
    "omnichannel": [
        "At the retailer we went omnichannel: a customer could start a return online, drop it in any store, and the "
        "store staff saw the whole order history.",
        "Omnichannel = connected channels, shared context; multichannel = many separate channels.",
        "Omnichannel means the customer can go from chat to phone and the agent already sees everything, he not need "
        "to explain again.",
        "Omnichannel tells customers they are dealing with one company rather than a set of separate departments.",
        "Omnichannel is the idea that every channel shares the same customer history, so a conversation can move "
        "between them.",
        "Our omnichannel platform passed the chat transcript to the phone agent, and repeat explanations dropped "
        "sharply.",
        "Omnichannel is more than multichannel, because the channels are joined up around one record of the "
        "customer.",
    ],
    "moments_of_truth": [
        "At the airline, moments of truth were things like a cancelled flight at the gate, so we trained gate staff "
        "to rebook on the spot.",
        "Moments of truth: the few contacts that make or break the customer's opinion.",
        "Moment of truth is the moment when customer decide what he think about company, for example first delivery "
        "or first problem.",
        "Moments of truth tell you where a bad experience costs you the most, so that is where I would spend the "
        "budget first.",
        "The zero moment of truth is when people read reviews and compare options online before they contact you.",
        "For our bank the first moment of truth was opening the account and the second was the first time a card was "
        "blocked abroad.",
        "Moments of truth are the points in the journey where the customer's opinion of us is made or changed.",
    ],
    "customer_personas": [
        "We interviewed 25 customers and built four personas; one of them only shops on Sunday night on her phone, "
        "which changed when we staffed chat.",
        "Persona = research-based archetype: goals, needs, pains, channels.",
        "Persona is like an imaginary customer made from real data, who represent a group with same needs.",
        "Personas keep the team designing for customers' real goals instead of for themselves.",
        "Our personas came from survey data and call recordings, and each had its own journey map.",
        "A customer persona describes a typical customer's goals, frustrations and habits, standing for many real "
        "people.",
        "Personas are built from research, so we updated ours every year as customer behaviour changed.",
    ],
}

# Confident and wrong: a wrong formula, a wrong purpose, another metric's meaning, a wrong spelling-out. Each is caught.
WRONG = {
    "raci": [
        "RACI is a survey that asks customers to rate our response, accuracy, courtesy and integrity.",
        "RACI stands for Resolve, Acknowledge, Close, Inform, the steps for handling a ticket.",
    ],
    "adkar": [
        "ADKAR is a marketing funnel that goes from attention to desire to action.",
        "ADKAR measures how many days a team takes to adopt new software.",
        "ADKAR stands for Awareness, Decision, Knowledge, Action and Results.",
    ],
    "service_recovery_paradox": [
    ],
    "first_response_time": [
        "First response time is how many tickets an agent answers in their first hour on shift.",
        "First response time is the average length of the first phone call with a new customer.",
        "FRT stands for Fast Reply Target, the number of replies we promise per day.",
    ],
    "average_speed_of_answer": [
        "ASA is the percentage of customers who say the agent answered all their questions.",
        "Average speed of answer measures how fast an agent types during a chat.",
        "ASA is the time an agent takes to find the answer in the knowledge base.",
        "ASA stands for Agent Service Assessment, the monthly review of each agent.",
    ],
    "occupancy": [
        "Occupancy is the share of calls that are answered within the target time.",
        "Agent occupancy is the percentage of agents who come into the office rather than working from home.",
        "Occupancy measures how long a customer occupies the line, so it's the same as call length.",
        "Occupancy is the number of customers in the queue divided by the number of agents.",
    ],
    "shrinkage": [
        "Shrinkage is the share of calls that drop before an agent answers.",
        "Shrinkage is the number of customer accounts closed for unpaid bills.",
        "Shrinkage means reducing the size of the support team to save money.",
        "Shrinkage is the part of the forecast we cut because calls are expected to fall.",
    ],
    "containment_rate": [
        "Containment rate is the share of complaints we keep inside the company instead of letting them reach the "
        "ombudsman.",
        "Containment rate measures how long customers stay in the chatbot conversation.",
    ],
    "cost_to_serve": [
        "Cost to serve is the salary we pay the most senior agent.",
        "Cost to serve is the discount we give customers who complain.",
        "Cost per contact is the number of contacts each customer makes per year.",
        "Cost to serve measures how much revenue a customer brings in over their lifetime.",
    ],
    "omnichannel": [
        "Omnichannel means we answer every channel within the same target time.",
        "Omnichannel is the marketing team's plan to post on every social network daily.",
    ],
    "moments_of_truth": [
        "A moment of truth is when the customer admits the mistake was theirs.",
        "Moments of truth are the figures in our monthly report that show how we really performed.",
        "The moment of truth is the final delivery date we promise a customer.",
        "Moments of truth measure how many customers lie in surveys.",
    ],
    "customer_personas": [
        "A persona is the fake name an agent uses on chat to protect their privacy.",
        "Personas are the satisfaction scores of each customer segment.",
        "A customer persona is the customer's credit score.",
    ],
}

# The concept described without its name: it still counts.
DESCRIBED = {
    "raci":
        "For the refund process we agreed that billing does the work, the head of finance signs it off, legal is "
        "consulted beforehand and the shops are informed afterwards.",
    "adkar":
        "We first made agents aware why the tool was changing and built their desire to use it, then trained them, "
        "gave them time to practise until they were able, and reinforced it with recognition.",
    "service_recovery_paradox":
        "A customer whose broken fridge we replaced the next day with an apology became more loyal than she had "
        "been before the fault.",
    "first_response_time":
        "Emails waited around five hours for the first reply from an agent, so we added a morning shift.",
    "average_speed_of_answer":
        "Callers waited on average two minutes in the queue before an agent picked up.",
    "occupancy":
        "Agents were handling calls for 94 percent of their logged-in time, with almost no idle time between "
        "contacts.",
    "shrinkage":
        "Training, holidays, meetings and sickness took about a third of paid agent hours, so we rostered more "
        "people than the forecast said.",
    "containment_rate":
        "Around a third of chats that started with the bot were completed there, never handed to an agent.",
    "cost_to_serve":
        "We added up the support, delivery and returns costs for each segment and found small accounts cost more "
        "to serve than they paid.",
    "omnichannel":
        "Customers could start in chat and carry on by phone, and the agent saw the whole history, so nobody had "
        "to repeat themselves.",
    "moments_of_truth":
        "We found that the first bill was the make-or-break moment that shaped how customers judged us for the "
        "rest of the year.",
    "customer_personas":
        "From 20 interviews we wrote profiles of three typical customers, each with their goals, frustrations and "
        "preferred channels.",
}

# Why a wrong statement goes uncaught today, besides FLOOR and MARGIN (coach/misdefinitions.py reads a definition only
# where a verb such as 'is', 'means' or 'measures' follows the name).
FORM = "not said as a definition: no 'is', 'means' or 'measures' right after the name, so nothing is compared"
# A description that counts only for a description close enough by embedding (content/scoring.yml).
FAR = ("under description_threshold: the sentence reads closer to its own topic (refunds, a new tool) than to any of "
       "the concept's descriptions")

# Descriptions above the coach misses today.
NOT_FOUND_BY_DESCRIPTION = ("raci", "adkar")

# Confident wrong definitions the check misses today: kept here so that each one that starts being caught is noticed.
MISSED = [
    ("raci", "In a RACI, the informed person has the final say on the decision.", FORM),
    ("raci", "A RACI matrix is a way to rank agents by how reliable and committed they are.", FLOOR),
    ("adkar", "ADKAR is the approval a change must get from the change advisory board.", FLOOR),
    ("service_recovery_paradox",
     "The service recovery paradox means customers forget how you fixed a problem and only remember that it "
     "happened.", MARGIN),
    ("service_recovery_paradox",
     "The service recovery paradox is about giving every customer compensation up front, before they complain.",
     MARGIN),
    ("service_recovery_paradox",
     "The service recovery paradox measures how long it takes to win back a lost customer account.", FLOOR),
    ("service_recovery_paradox",
     "The service recovery paradox says that the faster you reply, the angrier customers get.", FORM),
    ("first_response_time", "FRT is the time between an agent's first reply and the ticket being closed.", MARGIN),
    ("containment_rate",
     "Containment rate is the percentage of agents who stay in the support team after training.", FLOOR),
    ("containment_rate", "Containment rate is the share of calls that the IVR sends to an agent.", MARGIN),
    ("omnichannel", "Omnichannel is a single phone line that handles all our products.", FLOOR),
    ("omnichannel", "Omnichannel means closing the smaller channels so we only run email and phone.", MARGIN),
    ("customer_personas", "Personas are the list of our top ten customers by revenue.", FLOOR),
]

# Correct statements the check takes for a misdefinition today.
FALSE_ALARMS = []

# A name in another meaning: not the concept, and nothing to correct.
OTHER_MEANINGS = [
    ("The ASA, the Advertising Standards Authority, banned the airline's advert for misleading prices.",
     "average_speed_of_answer"),
    ("She presented her survey sampling paper at the American Statistical Association (ASA) meeting.",
     "average_speed_of_answer"),
    ("Several cities paused their use of facial recognition technology (FRT) after the audit.", "first_response_time"),
    ("Room occupancy at the hotel was 95 percent over the festival weekend.", "occupancy"),
    ("The store's shrinkage from shoplifting was almost two percent of sales.", "shrinkage"),
    ("My wool jumper suffered serious shrinkage in the wash.", "shrinkage"),
    ("The outbreak containment rate in the region improved after the vaccination drive.", "containment_rate"),
    ("The moment of truth came when the exam results were posted on the board.", "moments_of_truth"),
    ("The new chatbot persona was called Max and used a friendly, casual tone.", "customer_personas"),
    ("After the scandal the former minister became persona non grata in the party.", "customer_personas"),
]

# Two concepts in one sentence, said correctly: neither is a misdefinition.
CONTRASTS = [
    "ASA is the average wait, and service level is the share of calls answered within the target.",
    "Occupancy is busy time out of logged-in time, while shrinkage is paid time spent off the phones.",
    "Containment happens inside the bot, whereas ticket deflection happens before a ticket is opened.",
    "FRT is the wait for the first reply, and AHT is how long the whole handling takes.",
    "Cost to serve is what keeping a customer costs us each year, and CLV is what they bring in over the whole "
    "relationship.",
    "Omnichannel means the channels are connected, and journey mapping shows where customers switch between them.",
]


test_a_correct_statement_counts_and_is_not_a_misdefinition = correct_statements_check(CORRECT, FALSE_ALARMS)
test_a_confident_wrong_definition_is_caught = wrong_definitions_check(WRONG, MISSED)


@pytest.mark.parametrize("concept_id, sentence", [
    pytest.param(c, s, marks=pytest.mark.xfail(strict=True, reason=FAR)) if c in NOT_FOUND_BY_DESCRIPTION else (c, s)
    for c, s in DESCRIBED.items()])
def test_the_concept_described_without_its_name_counts(coach, concept_id, sentence):
    result = assess(coach, sentence)
    assert misdefined(result) == set()
    assert concept_id in result.concepts_found and result.concepts_found[concept_id].how == "description"


@pytest.mark.parametrize("sentence, concept_id", OTHER_MEANINGS)
def test_another_meaning_is_not_the_concept(coach, sentence, concept_id):
    result = assess(coach, sentence)
    assert concept_id not in result.concepts_found
    assert misdefined(result) == set()


@pytest.mark.parametrize("sentence", CONTRASTS)
def test_two_concepts_said_correctly_are_not_misdefinitions(coach, sentence):
    assert misdefined(assess(coach, sentence)) == set()


def test_every_new_concept_is_complete():
    concepts = {c.id: c for c in load_cx_concepts(PROJECT_CONTENT / "cx_concepts.yml")}
    assert set(NEW_CONCEPTS) == set(CORRECT) == set(WRONG)
    for concept_id in NEW_CONCEPTS:
        concept = concepts[concept_id]
        assert len(concept.descriptions) >= 4 and len(concept.definitions) >= 4, concept_id
        assert 6 <= len(concept.misconceptions) <= 8, concept_id
        assert concept.meaning, concept_id
