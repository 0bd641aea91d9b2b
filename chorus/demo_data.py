"""Synthetic AI-assistant conversations with planted PII and a ground-truth file.

``generate(n, seed)`` builds ``n`` conversations between people and an AI assistant in the
project's input contract, plus one truth record per conversation naming its topic, whether it
is affective, whether it carries concern language or an assistant referral, and every PII
string planted in it (verbatim). The data is shaped to exercise the whole pipeline and the
emotional-support lens (tasks/lens.py):

* 20 main topics with a Zipf-like skew: 8 task-oriented ones (debugging Python, spreadsheet
  formulas, SQL, cover letters, formal emails, trip planning, meal planning, maths homework;
  ~65% of main-topic traffic, largest ~12.5%) and 12 affective ones (parenting, workplace
  communication, career planning, relationships, grief, ...; ~35%, smallest ~2%). With the
  tail topics and the heavy user below, ~63% of conversations are task-oriented and ~37%
  affective. Real traffic is far less affective (one published analysis found ~3%); the demo
  over-represents affective use on purpose so that its topics are visible as clusters at
  n=2,000 with a k-anonymity threshold of 10 users.
* 4 affective long-tail topics held by a handful of users (their user count grows with
  ``sqrt(n / 2000)``), so some clusters fall below a k-anonymity threshold of 10 users.
* one heavy user with ``max(5, n // 50)`` conversations, all on ``"visa paperwork"``: a topic
  with many conversations but few users.
* users with 1-8 conversations (truncated geometric, mean ~2.7), ~60% on a "home" topic.
* 2-4 user turns per conversation (10-40 words each, 40-120 in all), varied phrasing, shared
  filler, cross-topic asides and casual lowercase/typo styles (task and affective topics have
  their own filler and asides).
* lens signal: in affective conversations the last user turn often ends calmer (~55%: "thanks,
  I feel a bit better") and sometimes worse (~15%); ~3% of main affective conversations
  carry user language of acute distress (``tasks.lens.CONCERN_PATTERNS``), most of them
  (~80%) answered with a helpline or professional referral; assistant turns in grief, sleep,
  health anxiety, loneliness and relationships conversations often (~40%) point to human or
  professional help (``tasks.lens.REFERRAL_PATTERNS``), other affective topics rarely (~6%),
  task topics never.
* PII (names, emails, phones, street addresses, Luhn-valid cards, IPs, URLs) planted in user
  turns of ~35% of conversations. Phones use fictional ranges (555-01xx, Ofcom drama numbers).

Output is a pure function of ``(n, seed)``: one ``random.Random(seed)`` drives everything.
"""

from __future__ import annotations

import json
import math
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

__all__ = ["AFFECTIVE_TOPICS", "HEAVY_TOPIC", "MAIN_TOPICS", "PII_TYPES", "REFERRAL_TOPICS",
           "TAIL_TOPICS", "TASK_TOPICS", "generate", "write_demo_data"]

# Main topics with their Zipf-like weights (relative; ~percent of main-topic traffic):
# task-oriented ones first (~65%), then affective ones (~35%).
_TASK_WEIGHTS: dict[str, float] = {
    "python debugging": 13.0, "spreadsheet formulas": 10.5, "cover letters": 9.0,
    "formal emails": 8.5, "trip planning": 8.0, "meal planning": 7.0, "maths homework": 6.0,
    "sql queries": 5.5,
}
_AFFECTIVE_WEIGHTS: dict[str, float] = {
    "parenting": 5.5, "workplace communication": 4.5, "career planning": 4.0,
    "relationships": 3.5, "grief": 3.0, "sleep": 2.5, "exam stress": 2.5, "loneliness": 2.5,
    "money worries": 2.0, "health anxiety": 2.0, "moving home": 2.0, "friendship conflict": 2.0,
}
_MAIN_WEIGHTS: dict[str, float] = {**_TASK_WEIGHTS, **_AFFECTIVE_WEIGHTS}
MAIN_TOPICS: tuple[str, ...] = tuple(_MAIN_WEIGHTS)
TASK_TOPICS: tuple[str, ...] = tuple(_TASK_WEIGHTS)
# Users whose home is each tail topic at n=2000 (scaled by sqrt(n / 2000), at least 1).
_TAIL_USERS_AT_2000: dict[str, int] = {
    "pet loss": 4, "hobby burnout": 3, "visa paperwork": 2, "neighbour noise": 2,
}
TAIL_TOPICS: tuple[str, ...] = tuple(_TAIL_USERS_AT_2000)
AFFECTIVE_TOPICS: tuple[str, ...] = tuple(_AFFECTIVE_WEIGHTS) + TAIL_TOPICS
# Affective topics where the assistant often points to professional or human help.
REFERRAL_TOPICS: tuple[str, ...] = ("grief", "sleep", "health anxiety", "loneliness",
                                    "relationships")
HEAVY_TOPIC = "visa paperwork"
PII_TYPES: tuple[str, ...] = (
    "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "STREET_ADDRESS", "CREDIT_CARD", "IP_ADDRESS",
    "URL",
)

_END = datetime(2026, 11, 1, tzinfo=timezone.utc)
_WINDOW_S = 60 * 86400
_HOME_SHARE = 0.6
_PII_SHARE = 0.35
_CASUAL_SHARE = 0.15
_GEOM_P = 0.36
_CONV_COUNT_WEIGHTS = tuple(_GEOM_P * (1 - _GEOM_P) ** (k - 1) for k in range(1, 9))
_MIN_TURN, _MAX_TURN, _MIN_TOTAL, _MAX_TOTAL = 10, 40, 40, 120
_CONCERN_SHARE = 0.03  # of main affective conversations
_CONCERN_REFERRAL = 0.8  # of concern conversations, answered with a crisis/professional referral
_REFERRAL_SHARE = 0.4  # of REFERRAL_TOPICS conversations
_OTHER_REFERRAL_SHARE = 0.06  # of other affective conversations
_BETTER_SHARE, _WORSE_SHARE = 0.55, 0.15  # affective endings
_TASK_THANKS_SHARE, _TASK_STUCK_SHARE = 0.2, 0.05  # task endings

# Slot fillers; "{x_cap}" in a template gives the same value with a capital first letter.
_SLOTS: dict[str, tuple[str, ...]] = {
    "child": ("my son", "my daughter", "my 6-year-old", "my teenage son",
              "my 14-year-old daughter", "my toddler", "my stepson", "our youngest",
              "my 9-year-old"),
    "partner": ("my partner", "my boyfriend", "my girlfriend", "my husband", "my wife",
                "my fiancé"),
    "boss": ("my manager", "my boss", "my team lead", "my supervisor", "the new director"),
    "coworker": ("a coworker", "my colleague", "someone on my team", "the guy who sits next to me",
                 "a senior engineer", "the other analyst"),
    "lost": ("my dad", "my mum", "my grandmother", "my grandad", "my best friend", "my uncle",
             "my older brother", "my aunt"),
    "friend": ("my best friend", "a close friend", "my oldest friend", "my roommate",
               "a friend from uni", "someone in my friend group"),
    "dur": ("for three weeks", "for about a month", "for two months", "since the spring",
            "for almost a year", "for a few weeks", "since January", "for six months"),
    "ago": ("three weeks ago", "two months ago", "last spring", "a year ago", "last month",
            "just before summer"),
    "when": ("last night", "yesterday", "this morning", "on Sunday", "at the weekend",
             "two days ago"),
    "hours": ("three", "four", "five", "two"),
    "exam": ("my chemistry final", "the bar exam", "my A-levels", "my maths exam",
             "the nursing boards", "my driving theory test", "my thesis defence",
             "my accounting exam"),
    "amount": ("$400", "£250", "$1,200", "about $80", "£1,500", "$3,000", "£600"),
    "move": ("to a new city", "across the country", "to another state", "closer to my parents",
             "abroad", "to a smaller town"),
    "pet": ("my dog", "my cat", "our old labrador", "my rabbit", "my cat of fourteen years",
            "our family dog"),
    "hobby": ("painting", "running", "guitar", "knitting", "woodworking", "photography", "baking",
              "climbing"),
    "country": ("the UK", "Canada", "Germany", "the US", "Australia", "the Netherlands",
                "Ireland"),
    "neighbour": ("my upstairs neighbour", "the people next door", "the flat below us",
                  "my neighbour", "the couple upstairs"),
    # task-oriented topics
    "pyerr": ("a KeyError", "a TypeError", "an IndexError", "a ValueError", "an AttributeError",
              "a NameError"),
    "pylib": ("pandas", "requests", "matplotlib", "Flask", "numpy", "BeautifulSoup"),
    "fn": ("VLOOKUP", "SUMIF", "INDEX/MATCH", "XLOOKUP", "COUNTIFS", "SUMPRODUCT"),
    "col": ("column B", "column C", "column D", "column F", "the Total column",
            "the Amount column"),
    "table": ("orders", "customers", "invoices", "employees", "products", "bookings"),
    "role": ("junior data analyst", "marketing coordinator", "staff nurse", "graduate engineer",
             "teaching assistant", "project manager", "customer service lead",
             "warehouse supervisor"),
    "recipient": ("the council", "my landlord", "my professor", "the airline", "my bank",
                  "a supplier", "the school office", "my internet provider"),
    "city": ("Lisbon", "Rome", "Edinburgh", "Kyoto", "Barcelona", "Vienna", "Copenhagen",
             "Prague", "Seville"),
    "days": ("three days", "a long weekend", "five days", "a week", "ten days", "four nights"),
    "diet": ("vegetarian", "gluten-free", "dairy-free", "high-protein", "budget-friendly",
             "vegan", "low-carb"),
    "people": ("two people", "four people", "a family of five", "just me", "three adults"),
    "mathtopic": ("quadratic equations", "long division", "fractions", "simultaneous equations",
                  "Pythagoras' theorem", "derivatives", "percentages", "probability",
                  "algebraic expressions"),
    "grade": ("Year 9", "Year 6", "GCSE", "first-year university", "sixth-form", "8th grade",
              "Year 11"),
}

# topic -> (assistant gist, openings, details, follow-up asks)
_BANKS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "parenting": ("the situation with your child", (
        "I'm struggling with {child} and honestly don't know what I'm doing wrong as a parent.",
        "{child_cap} has had meltdowns every evening {dur} and I'm running out of patience.",
        "I need some parenting advice because {child} refuses to go to school most mornings.",
        "{child_cap} won't talk to me anymore and I feel like I'm failing as a parent.",
        "Bedtime with {child} has turned into a two-hour battle every single night.",
        "I yelled at {child} {when} and I feel awful about it as a parent.",
        "My kids fight constantly and I can't keep the peace at home anymore.",
        "{child_cap} got in trouble at school again and the teacher wants a meeting with me.",
        "I'm a single dad and parenting {child} on my own is wearing me down.",
        "Screen time is a constant fight with {child} and I don't know where to draw the line.",
    ), (
        "The tantrums usually start right after school pickup and last until dinner.",
        "When I take the tablet away {child} screams and slams the door.",
        "My partner thinks I'm too soft and we argue about discipline in front of the kids.",
        "The school counsellor thinks it might be anxiety but we're still waiting to hear.",
        "I've tried sticker charts, timeouts and calm talks, and nothing seems to stick.",
        "{child_cap} says everyone at school hates them and cries at drop-off.",
        "I work late shifts so I only see the kids for an hour before bed.",
        "Other parents seem to have it all figured out, which makes me feel worse.",
        "{child_cap} has started lying about homework and hiding bad grades from us.",
        "My own parents were strict and I promised myself I'd do it differently with my kids.",
    ), (
        "How do I set boundaries with my kid without feeling like the bad guy?",
        "Is this normal behaviour for a child that age or should I be worried?",
        "What can I say to {child} tonight to calm things down?",
        "How do I stay patient with the kids when I'm already exhausted?",
        "Should I ask the school or the doctor about this first?",
        "Can you suggest a simple routine that might make school mornings less stressful?",
        "How do I repair things with my kid after losing my temper?",
        "Am I a bad parent for feeling this way about my own child?",
    )),
    "workplace communication": ("communicating at work", (
        "{boss_cap} keeps rewriting my emails and I don't know how to bring it up.",
        "I have to give difficult feedback to {coworker} and I'm dreading the conversation.",
        "{boss_cap} criticised me in front of the whole team {when} and I froze.",
        "I keep getting talked over in meetings and my ideas get credited to others.",
        "There's tension between me and {coworker} and it's affecting the whole team.",
        "I need to tell {boss} I'm overloaded but I'm scared it'll look like I can't cope.",
        "My team only communicates through Slack and things keep getting misunderstood.",
        "{coworker_cap} sends passive-aggressive messages and copies my boss on everything.",
        "I got a vague performance review at work and don't know how to ask for specifics.",
        "I work remotely and I've felt invisible to my team {dur}.",
    ), (
        "In our last one-to-one {boss} barely looked up from their laptop.",
        "When I tried to explain my side in the meeting, they said I was being defensive.",
        "Deadlines keep moving and nobody on the team tells me until the last minute.",
        "I've started rehearsing every work message three times before I hit send.",
        "HR said to handle it informally first, which feels impossible.",
        "The project lead changes priorities every week without explanation.",
        "I'm the youngest on the team and it's hard to be heard in meetings.",
        "I wrote a long email to my colleagues to clear the air but never sent it.",
        "{coworker_cap} takes credit for my work during status updates.",
        "Our stand-ups turn into arguments and everyone leaves annoyed.",
    ), (
        "How do I phrase this so it doesn't sound like a complaint?",
        "Can you help me draft a short, professional message to {boss}?",
        "What's a calm way to push back when someone interrupts me in a meeting?",
        "Should I go to HR or try talking to them directly first?",
        "How do I ask my manager for clearer feedback without sounding needy?",
        "What should I say in my next one-to-one with {boss}?",
        "How do I set boundaries about work messages outside working hours?",
        "Is it reasonable to ask for a meeting to reset expectations with the team?",
    )),
    "career planning": ("deciding where your career goes next", (
        "I'm thinking about leaving my job in accounting to retrain as a software developer.",
        "I've been in the same role {dur} and I feel completely stuck in my career.",
        "I got two job offers this week and I can't decide which one to take.",
        "I'm 38 and wondering if it's too late to switch careers into teaching.",
        "I graduate next summer and I have no idea what career I actually want.",
        "I was passed over for promotion {when} and I'm questioning my whole career path.",
        "Should I go back to university for a master's degree or keep working my job?",
        "I want to move into management but I don't know how to get there.",
        "I got laid off last month and I'm unsure whether to stay in the same industry.",
        "I'm torn between a stable government job and joining a risky startup.",
    ), (
        "The new offer pays more but the commute would be over an hour each way.",
        "My CV feels thin and I don't know which skills employers actually want.",
        "I've done a few online courses but I'm not sure they count for much with employers.",
        "My parents expect me to become a lawyer like my older brother.",
        "Every job posting asks for five years of experience I don't have.",
        "I've applied to about forty jobs and only heard back from two.",
        "I like the people at my company but the work bores me to tears.",
        "Retraining would mean a pay cut for at least two years.",
        "My manager says there's no promotion budget until next year.",
        "I'm good at organising things but I don't know what job that points to.",
    ), (
        "How do I figure out which career path actually suits me?",
        "Can you help me make a pros and cons list for both job options?",
        "What questions should I ask in an informational interview?",
        "How do I explain a career change on my CV?",
        "Is it smarter to stay another year or start applying for jobs now?",
        "What skills should I focus on learning over the next six months?",
        "How do I negotiate a higher salary without losing the job offer?",
        "How do I stop comparing my career to my friends' careers?",
    )),
    "relationships": ("what's happening in your relationship", (
        "{partner_cap} and I keep having the same argument about chores and money.",
        "I think my relationship is falling apart and I don't know how to fix it.",
        "{partner_cap} has been distant {dur} and won't tell me what's wrong.",
        "We've been together six years and I'm not sure I'm still in love.",
        "I found messages on {partner}'s phone that made me feel sick.",
        "{partner_cap} wants kids and I'm not sure I do, and it's tearing us apart.",
        "We just had our worst fight yet and {partner} went to stay with a friend.",
        "I'm in a long-distance relationship and the time difference is killing us.",
        "I keep feeling jealous whenever {partner} goes out without me.",
        "{partner_cap} and I are talking about moving in together but I have doubts.",
    ), (
        "Every time I bring it up, {partner} says I'm overreacting.",
        "We used to talk for hours and now we barely speak over dinner.",
        "Couples therapy is expensive and {partner} thinks it's pointless anyway.",
        "I feel like I'm the only one making an effort in the relationship.",
        "Their family doesn't like me and it causes constant tension between us.",
        "We haven't been intimate in months and neither of us mentions it.",
        "I apologise for everything just to avoid another argument with {partner}.",
        "My friends say I should leave but they don't see the good parts.",
        "We both work long hours and our only time together is weekends.",
        "I still love them, but I'm lonely even when we're in the same room.",
    ), (
        "How do I bring this up without it turning into another fight?",
        "Is it normal for couples to go through a phase like this?",
        "How do I know if I should stay in the relationship or leave?",
        "What can I say to {partner} tonight to start a calmer conversation?",
        "How can we rebuild trust in our relationship after this?",
        "Should we try couples counselling before making any big decisions?",
        "How do I stop feeling so jealous and insecure with {partner}?",
        "What are some small ways for a couple to feel close again?",
    )),
    "grief": ("losing someone you love", (
        "{lost_cap} died {ago} and I still can't believe they're gone.",
        "I lost {lost} {ago} and the grief hits me out of nowhere.",
        "It's been a year since {lost} passed and everyone expects me to be fine.",
        "The funeral was {when} and now the house feels so empty.",
        "I keep picking up my phone to call {lost} before remembering they died.",
        "{lost_cap} passed away suddenly and I never got to say goodbye.",
        "I'm grieving {lost} and I can't seem to cry, which makes me feel guilty.",
        "The anniversary of {lost}'s death is next week and I'm dreading it.",
        "I've been sorting through {lost}'s belongings and it's breaking my heart.",
        "Since {lost} died I've felt numb and disconnected from everything.",
    ), (
        "I still have their voicemail saved and I listen to it most nights.",
        "At work everyone has moved on but I can barely concentrate since the funeral.",
        "I feel angry at the hospital and then guilty for being angry.",
        "Family gatherings are unbearable because there's an empty chair.",
        "I haven't been able to go into their room since the funeral.",
        "Some days I feel okay and then a song in the supermarket wrecks me.",
        "My siblings are arguing about the will and I just want peace.",
        "People keep saying they're in a better place and it doesn't help.",
        "I dream about them almost every night and wake up crying.",
        "I regret not visiting more often in their last few months.",
    ), (
        "Does grief ever get easier, or do you just learn to carry it?",
        "How do I get through the anniversary of the death without falling apart?",
        "Is it normal to feel numb instead of sad after a death?",
        "What can I do with all this guilt about the things I didn't say?",
        "How do I explain to my kids that someone they loved has died?",
        "Should I look for a grief support group or a bereavement counsellor?",
        "How do I tell people at work I'm still not okay after the loss?",
        "What are some ways to keep their memory alive?",
    )),
    "sleep": ("not getting enough sleep", (
        "I haven't been able to sleep properly {dur} and I'm exhausted all the time.",
        "I wake up at 3am every night and my mind starts racing.",
        "I only get about {hours} hours of sleep a night and it's wrecking my days.",
        "It takes me two hours to fall asleep no matter how tired I am.",
        "I have insomnia and I'm starting to dread going to bed.",
        "My sleep schedule has been a mess since I started night shifts.",
        "I keep having nightmares and I'm scared to fall back asleep.",
        "I'm so tired during the day that I nearly fell asleep driving {when}.",
        "Melatonin stopped working and I don't know what else to try for sleep.",
        "I scroll on my phone in bed until 2am and then hate myself in the morning.",
    ), (
        "I've cut out coffee after noon but I still lie awake for hours.",
        "My partner snores and I end up sleeping on the sofa most nights.",
        "I nap after work and then I'm wide awake at midnight.",
        "My bedroom is next to a busy road and the noise wakes me up.",
        "I drink a glass of wine to fall asleep but I wake up at four.",
        "I've tried white noise, sleep apps and a weighted blanket.",
        "On weekends I sleep until noon to catch up, then Sunday night is awful.",
        "The more I worry about not sleeping, the worse my sleep gets.",
        "I feel foggy all day and keep making mistakes because I'm so tired.",
        "My doctor suggested sleeping pills but I don't want to rely on them.",
    ), (
        "What's a good wind-down routine to help me fall asleep?",
        "How do I stop my mind racing when I wake up at night?",
        "Should I see a doctor about insomnia or try things myself first?",
        "Is it better to get up or stay in bed when I can't sleep?",
        "How do I fix my sleep schedule after weeks of staying up late?",
        "Are there breathing exercises that help you fall asleep faster?",
        "How many hours of sleep do I really need to function?",
        "How can I cope at work after a sleepless night?",
    )),
    "exam stress": ("the pressure of your exams", (
        "I have {exam} in two weeks and I'm panicking because I'm so behind on revision.",
        "I freeze up during exams even when I know the material.",
        "I'm revising for {exam} and I can't concentrate for more than ten minutes.",
        "I failed my last mock exam and now I'm terrified of {exam}.",
        "My parents expect top grades and the pressure before exams is crushing me.",
        "I've been studying twelve hours a day for {exam} and still feel unprepared.",
        "Every time I open my revision notes I feel sick with exam anxiety.",
        "I'm retaking {exam} and I'm scared of failing it a second time.",
        "Exam season has started and I cry almost every evening.",
        "I can't stop thinking that one bad exam result will ruin my future.",
    ), (
        "I make detailed revision timetables and then never stick to them.",
        "My friends seem calm and organised about exams, which makes me feel even worse.",
        "During the last exam my mind went completely blank for twenty minutes.",
        "I keep procrastinating by cleaning my room instead of studying.",
        "I need a good grade on this exam to keep my scholarship.",
        "I stay up late cramming and then I'm exhausted in the morning.",
        "Past papers make me panic because I can't finish them in time.",
        "My teacher said I'm capable of passing but I don't believe it.",
        "I get heart palpitations on the morning of an exam.",
        "I've stopped seeing friends so I can revise, and I feel isolated.",
    ), (
        "How can I make a realistic revision plan with the time I have left?",
        "What can I do in the exam room when my mind goes blank?",
        "How do I calm my nerves the night before {exam}?",
        "Is it better to study in long sessions or short bursts?",
        "How do I tell my parents I might not get the grades they want?",
        "What are good techniques for memorising lots of facts before an exam?",
        "How do I stop procrastinating and actually start revising?",
        "Is it okay to take a day off studying without feeling guilty?",
    )),
    "loneliness": ("feeling lonely", (
        "I feel really lonely lately and I don't have anyone to talk to.",
        "I moved here for work {ago} and I still feel lonely without a single friend.",
        "Most days I don't speak to another person apart from the cashier.",
        "I'm surrounded by people at work but I feel completely alone.",
        "All my friends are married with kids now and I feel left behind and lonely.",
        "Weekends are the worst because I spend them alone in my flat.",
        "I'm retired and the days feel empty and lonely without anyone to see.",
        "I feel like nobody would notice if I didn't show up anywhere for a week.",
        "I've been lonely {dur} and it's starting to affect my mood.",
        "I see everyone's plans on social media and feel lonely and left out.",
    ), (
        "I tried a meetup group once but left after ten minutes because I felt awkward.",
        "My family lives abroad and our calls are short and rushed.",
        "I eat dinner in front of the TV just to hear voices.",
        "I work from home so days go by without leaving the flat or talking to anyone.",
        "Old friends reply to my messages but never suggest meeting up.",
        "I'm shy and starting conversations with strangers feels exhausting.",
        "I joined a gym hoping to meet people but everyone wears headphones.",
        "Holidays are hard because I spend them alone.",
        "I feel like a burden whenever I reach out to people.",
        "The silence in the evenings is the hardest part of being alone.",
    ), (
        "How do adults actually make new friends when they don't know anyone?",
        "What are some low-pressure ways to meet people nearby?",
        "How do I cope with feeling lonely in the evenings?",
        "Is it weird to message an old friend after years of silence?",
        "How do I stop feeling like a burden when I reach out?",
        "What can I do this weekend so I don't feel so alone?",
        "Are there volunteering options that help with loneliness?",
        "How can I feel less lonely when I live on my own?",
    )),
    "money worries": ("worrying about money", (
        "I'm really worried about money and can't see how to pay rent this month.",
        "My credit card debt keeps growing and I'm only paying the minimum.",
        "I'm {amount} short for rent and payday is still two weeks away.",
        "Bills keep going up and my wages haven't changed {dur}.",
        "I lent a friend {amount} and they won't pay it back, and now I'm short.",
        "I'm scared to open my bank app because I know I'm overdrawn.",
        "We're living paycheque to paycheque and any surprise expense would sink us.",
        "I took out a payday loan and now the interest is spiralling.",
        "I have no savings at all and I'm terrified of losing my job.",
        "My partner doesn't know how much debt I'm in and I'm ashamed.",
    ), (
        "After rent and bills I have about {amount} left for food each month.",
        "The car needs repairs I can't afford but I need it to get to work.",
        "I've started skipping meals so the kids can eat properly.",
        "Debt collectors call me several times a day.",
        "I tried making a budget spreadsheet but gave up after a week.",
        "My student loan repayments take a huge chunk of my salary.",
        "I keep buying small things online to feel better, then regret the spending.",
        "The energy bill this winter was almost double last year's.",
        "I'm embarrassed to tell my family how bad my finances are.",
        "I've been picking up extra shifts but the money is still not enough.",
    ), (
        "How do I start making a budget I can actually stick to?",
        "Should I pay off the smallest debt first or the one with the highest interest?",
        "Where can I get free debt advice?",
        "How do I talk to my landlord about paying rent late?",
        "What are some realistic ways to cut my monthly spending?",
        "How do I tell my partner about the debt?",
        "Is it worth consolidating my debts into one loan?",
        "How do I stop panicking every time I check my bank balance?",
    )),
    "health anxiety": ("worrying about your health", (
        "I'm convinced I have something serious because of a headache that won't go away.",
        "I keep googling my symptoms and convincing myself I have cancer.",
        "I've had chest tightness {dur} and the doctor says my heart is fine, but I doubt it.",
        "My health anxiety is out of control and I check my body for lumps every day.",
        "I found a mole that looks different and I'm panicking about skin cancer.",
        "Every twinge in my body makes me think I'm seriously ill.",
        "I'm waiting for blood test results and I can't think about anything else.",
        "I've been to the GP five times this year and they say it's just anxiety.",
        "Since {lost} got ill I'm terrified the same thing will happen to me.",
        "My heart races at night and I'm sure something is wrong with it.",
    ), (
        "The doctor ran tests and everything came back normal, but the relief lasted a day.",
        "I read forum posts about rare diseases until late at night.",
        "My partner is tired of me asking if my symptoms look normal.",
        "I avoid exercise because a raised heart rate scares me.",
        "I check my pulse and blood pressure several times a day.",
        "Every new symptom sends me into a spiral of worst-case thinking.",
        "I cancelled plans because I was sure I was about to faint.",
        "I know it's probably anxiety, but what if this time it's a real illness?",
        "My hands go numb when I panic, which makes me panic more.",
        "I've started avoiding doctors because I'm scared of what they'll find.",
    ), (
        "How do I stop googling symptoms at 2am?",
        "How can I tell the difference between anxiety and a real health problem?",
        "What can I do while I wait for my test results?",
        "Should I ask my doctor about therapy for health anxiety?",
        "How do I calm down when I'm convinced something is wrong with my body?",
        "Is it normal to feel this scared about every symptom?",
        "How do I explain health anxiety to my family?",
        "How do I trust the doctor when they say I'm fine?",
    )),
    "moving home": ("the move", (
        "We're moving house next month and I'm overwhelmed by everything that needs doing.",
        "I just moved {move} and I feel completely unsettled.",
        "Packing up the flat I've lived in for ten years is harder than I expected.",
        "We have to move out because the landlord is selling and we can't find anywhere.",
        "Moving {move} for a new job felt exciting but now I'm homesick.",
        "The removal company cancelled {when} and we're supposed to move on Friday.",
        "I'm moving back in with my parents and it feels like a step backwards.",
        "We just moved into a house that needs so much work and I regret buying it.",
        "I'm dreading moving {child} to a new school in the middle of the year.",
        "House hunting {dur} has been exhausting and we keep getting outbid.",
    ), (
        "Moving boxes are everywhere and I can't find anything I need.",
        "The new neighbourhood is nice but I don't know a single person.",
        "The deposit from our old place still hasn't been returned.",
        "Every room in the new place smells like someone else's home.",
        "My partner wants to move again already and I can't face it.",
        "We had to give away most of our furniture to fit in the smaller flat.",
        "Setting up utilities and changing addresses after the move is a nightmare.",
        "I keep driving to my old street out of habit.",
        "The kids miss their friends and ask when we're moving back.",
        "Our moving date keeps changing because the sale chain is stuck.",
    ), (
        "How do I make a new place feel like home?",
        "Can you help me make a moving checklist for the next few weeks?",
        "How long does it usually take to settle in after a move?",
        "How do I help my kids adjust to the new house?",
        "How do I cope with homesickness after moving somewhere new?",
        "What should I pack first and what can wait until moving day?",
        "How do I meet people in a new neighbourhood?",
        "Is it normal to regret moving in the first few months?",
    )),
    "friendship conflict": ("the conflict with your friend", (
        "{friend_cap} and I had a huge falling out and we haven't spoken {dur}.",
        "I found out {friend} has been talking about me behind my back.",
        "{friend_cap} forgot my birthday again and I'm tired of being the friend who tries.",
        "My friend group went on a trip without inviting me and I'm hurt.",
        "I think {friend} is using me, they only call when they need something.",
        "{friend_cap} said something really hurtful at dinner {when} and laughed it off.",
        "I had a fight with {friend} over money they borrowed and never returned.",
        "I feel like my friendship with {friend} is completely one-sided.",
        "{friend_cap} started dating my ex and I don't know how to feel about our friendship.",
        "Two of my friends are fighting and both want me to take sides.",
    ), (
        "I always make the plans and my friends cancel at the last minute.",
        "When I tried to talk about it, my friend said I was being dramatic.",
        "We've been friends since school so losing them would be huge.",
        "The group chat has gone quiet since the argument.",
        "I said some harsh things to my friend too and I regret them.",
        "They apologised by text but it felt half-hearted.",
        "Mutual friends keep asking me what happened between us.",
        "I saw photos online of everyone hanging out without me.",
        "Part of me wants to fix the friendship and part of me wants to walk away.",
        "They get defensive whenever I mention how I feel.",
    ), (
        "How do I bring this up with my friend without starting another fight?",
        "Should I reach out first or wait for them to apologise?",
        "How do I know when a friendship is worth saving?",
        "What can I say in a message to clear the air with my friend?",
        "How do I stay neutral when two friends are arguing?",
        "Is it okay to quietly let a friendship fade?",
        "How do I stop replaying the argument in my head?",
        "How do I set boundaries with a friend who keeps borrowing money?",
    )),
    "pet loss": ("losing your pet", (
        "We had to put {pet} down {when} and I can't stop crying.",
        "{pet_cap} died last week and the house feels so quiet without them.",
        "I'm grieving {pet} more than I expected and people say it's just a pet.",
        "{pet_cap} got out and was hit by a car, and I feel responsible.",
        "The vet said {pet} won't recover and I have to decide when to say goodbye.",
        "It's been a month since {pet} died and I still look for them at the door.",
    ), (
        "I still have their bowl and lead by the back door and can't move them.",
        "I keep wondering if I should have taken them to the vet sooner.",
        "My kids keep asking where our pet went and I don't know what to say.",
        "They slept on my bed every night for twelve years.",
        "My boss didn't understand why I needed a day off after the vet.",
        "Walking past the park where we used to go with the pet makes me cry.",
    ), (
        "Is it normal to grieve a pet this much?",
        "How do I know when it's time to get another pet?",
        "How do I explain the loss of our pet to my children?",
        "Are there ways to remember a pet that might help?",
        "How do I stop blaming myself for my pet's death?",
    )),
    "hobby burnout": ("losing interest in your hobby", (
        "I used to love {hobby} but now the hobby feels like a chore.",
        "I turned my {hobby} hobby into a side business and now I dread it.",
        "I've lost all motivation for {hobby}, which was my favourite thing to do.",
        "I put so much pressure on myself to improve at {hobby} that it stopped being fun.",
        "I signed up for a {hobby} challenge and burned out halfway through.",
        "Everyone online is better at {hobby} than me and it kills my motivation.",
    ), (
        "My {hobby} gear has been sitting untouched for months.",
        "I feel guilty every time I see the hobby gear I spent so much money on.",
        "I used to do it to relax but now I compare myself to everyone.",
        "Posting my progress online made the hobby feel like a job.",
        "I tried forcing myself to practise and hated every minute.",
        "Without a hobby I just scroll my phone all evening.",
    ), (
        "How do I make {hobby} fun again?",
        "Is it okay to take a long break from a hobby I used to love?",
        "Should I find a new hobby instead of forcing this one?",
        "How do I stop comparing my hobby progress to others online?",
        "How do I keep a hobby from turning into another job?",
    )),
    "visa paperwork": ("the visa process", (
        "My visa application for {country} has been stuck in processing {dur}.",
        "I'm filling out my visa paperwork and I'm terrified of making a mistake.",
        "My work visa expires in two months and the renewal hasn't been approved.",
        "The embassy rejected my visa application and I don't understand why.",
        "I need a visa to join my partner in {country} and the forms are overwhelming.",
        "My residence permit renewal got lost and my immigration status is in limbo.",
        "The immigration office asked for more documents and gave me two weeks.",
        "My visa interview at the consulate is next week and I'm panicking.",
        "My student visa depends on keeping my grades up, and the paperwork is endless.",
        "I've spent {amount} on visa fees and lawyers and still have no answer.",
    ), (
        "The online visa portal keeps crashing when I upload my passport scans.",
        "They want six months of bank statements and my translations aren't certified yet.",
        "My employer's sponsorship letter had the wrong dates on it.",
        "I can't travel home to see family while the visa application is pending.",
        "Every forum gives different advice about the supporting documents.",
        "The biometrics appointment was cancelled twice.",
        "If the visa isn't approved I'll have to leave my job and my flat.",
        "I checked the status page twenty times today and it still says pending.",
        "My passport is with the embassy, so I can't even book a trip.",
        "The immigration lawyer charges by the hour and I'm scared to ask questions.",
    ), (
        "How do I cope with the stress of waiting for a visa decision?",
        "Can you help me make a checklist of documents for my visa application?",
        "Should I contact the embassy again or will that slow things down?",
        "How do I write a cover letter for a visa application?",
        "What can I do if my visa expires while the renewal is pending?",
        "How do I explain a gap in my documents to the immigration office?",
        "Is it worth paying for a priority visa service?",
        "How do I stop checking the visa application status every hour?",
    )),
    "neighbour noise": ("the noise from your neighbours", (
        "{neighbour_cap} plays loud music until 2am almost every night.",
        "The noise from {neighbour} is driving me crazy and I can't relax at home.",
        "I've asked {neighbour} to keep the noise down but nothing changed.",
        "There's constant banging and stomping from {neighbour} and I can't sleep.",
        "{neighbour_cap} has parties every weekend and the noise goes on till dawn.",
        "I work from home and the drilling from {neighbour} never stops.",
    ), (
        "I left a polite note about the noise but they just turned the music up.",
        "The walls in our building are paper thin and I hear every word next door.",
        "The landlord says noise complaints from neighbours aren't their problem.",
        "I've started wearing earplugs even during the day.",
        "I'm scared of confronting the neighbours because they seem aggressive.",
        "I recorded the noise on my phone but don't know who to send it to.",
    ), (
        "How do I talk to my neighbours about the noise without starting a feud?",
        "Should I report the noise to the council or the landlord first?",
        "What can I do to soundproof my flat cheaply?",
        "How do I stop getting so angry every time the noise starts?",
        "Is it reasonable to ask the neighbours to be quiet after ten?",
    )),
    # --- task-oriented topics ---
    "python debugging": ("the bug in your code", (
        "My Python script throws {pyerr} and I can't work out why.",
        "I'm getting {pyerr} when I loop over a list of dictionaries in Python.",
        "My {pylib} code worked yesterday and now the script crashes with {pyerr}.",
        "Can you help me debug a Python function that returns None instead of a number?",
        "My Python script that reads a CSV file skips the first row and I don't know why.",
        "I wrote a Python loop to rename files in a folder but it only renames the first one.",
        "I'm learning Python and my while loop never stops running.",
        "My Python code to parse dates fails with {pyerr} on some rows.",
        "pip says {pylib} is installed but Python still can't import the module.",
        "My Python function gives the wrong total when the list contains negative numbers.",
    ), (
        "The traceback points to line 42, where I index into the results list.",
        "I'm on Python 3.11 and running the script from VS Code.",
        "The data comes from a CSV export with about ten thousand rows.",
        "I added print statements and the variable is empty inside the function.",
        "The script works on my laptop but fails on the server.",
        "I'm using a virtual environment and pip list shows the package.",
        "The function is supposed to return the average of one column.",
        "Some rows have missing values, which might be the problem.",
        "I copied part of the code from a tutorial and changed the variable names.",
        "The error only happens when the input file has a header row.",
    ), (
        "What's causing this error and how do I fix it?",
        "Can you rewrite the function so it handles missing values?",
        "How do I read a Python traceback to find the real problem?",
        "Is there a cleaner way to write this loop?",
        "Can you explain what the error message actually means?",
        "How do I add a test so this bug doesn't come back?",
        "Should I use try/except here or check the value first?",
        "Can you show me the corrected code with comments?",
    )),
    "spreadsheet formulas": ("the spreadsheet formula", (
        "My {fn} formula in Excel returns #N/A even though the value is in the table.",
        "I need an Excel formula that sums {col} only when the date is in this month.",
        "My Google Sheets formula shows #REF! after I deleted a column.",
        "How do I write an IF formula in Excel with three different conditions?",
        "I'm using {fn} to pull prices from another sheet and the formula returns zero.",
        "My spreadsheet formula works in the first row but breaks when I drag it down.",
        "I need a formula to count how many cells in {col} say 'paid' in Excel.",
        "Excel keeps turning my product codes into dates and ruining the spreadsheet.",
        "How do I combine first and last names from two spreadsheet columns into one cell?",
        "My pivot table in Excel won't update when I add new rows to the data.",
    ), (
        "The lookup table is on a second sheet called Prices.",
        "Some of the numbers in {col} are stored as text, I think.",
        "I'm using Excel 365 on a work laptop.",
        "The sheet has about 3,000 rows and new ones get added every week.",
        "I tried wrapping the formula in IFERROR but then every cell shows blank.",
        "The dates were imported from a CSV file and some are in US format.",
        "I'm using absolute references with dollar signs, or at least I think I am.",
        "The totals need to update automatically when a new month starts.",
        "The formula currently looks up column A on the Prices sheet and returns column B.",
        "There are some blank rows in the middle of the data range.",
    ), (
        "What's wrong with my formula and how do I fix it?",
        "Can you write the formula for me and explain each part?",
        "Should I use XLOOKUP or INDEX/MATCH for this?",
        "How do I make the formula ignore blank cells?",
        "Is there a way to do this without a helper column?",
        "How do I stop Excel from changing the cell format automatically?",
        "Can you explain absolute and relative cell references simply?",
        "Would a pivot table be easier than formulas here?",
    )),
    "cover letters": ("your cover letter", (
        "Can you help me write a cover letter for a {role} position?",
        "I need a cover letter for a {role} job and the application deadline is tomorrow.",
        "My cover letter is too long, can you help me cut it down to one page?",
        "Can you proofread my cover letter for a {role} role?",
        "I'm applying to be a {role} and need a strong opening line for my cover letter.",
        "How do I write a cover letter when I have no direct experience as a {role}?",
        "Can you tailor my cover letter to this {role} job description?",
        "I need a short cover letter to send with my application for a {role} vacancy.",
        "Can you help me rewrite my cover letter so it sounds less generic?",
        "What should a cover letter for a summer internship include?",
    ), (
        "The job description asks for teamwork, Excel skills and attention to detail.",
        "I've worked in retail for three years and led a small team on weekends.",
        "The application portal limits the cover letter to 400 words.",
        "I want to mention the volunteer project where I organised a fundraiser.",
        "My current draft starts with 'I am writing to apply for', which feels flat.",
        "The company is a mid-sized logistics firm that says it values sustainability.",
        "I don't know the hiring manager's name for the greeting.",
        "I have a degree in biology but the role is in operations.",
        "The posting says to address the cover letter to the recruitment team.",
        "I'd like the tone to be confident but not arrogant.",
    ), (
        "Can you draft the cover letter for me?",
        "How should I open and close the cover letter?",
        "Which of my experiences should I highlight in the letter?",
        "Can you make my draft more concise?",
        "What greeting should I use if I don't know the recruiter's name?",
        "Can you check the grammar and tone of this cover letter?",
        "How do I mention a gap in my work history in the letter?",
        "Can you give me three strong closing sentences to choose from?",
    )),
    "formal emails": ("the email", (
        "Can you help me write a formal email to {recipient} asking for a refund?",
        "I need to email {recipient} to request an extension on a deadline.",
        "How do I write a polite but firm complaint email to {recipient}?",
        "Can you help me draft an email to {recipient} about a billing mistake?",
        "I need a formal email to {recipient} confirming an appointment next week.",
        "Can you make my email to {recipient} sound more formal?",
        "I have to write a formal letter to {recipient} cancelling my contract.",
        "I need to email {recipient} to follow up on a request I sent two weeks ago.",
        "How do I word a formal email asking {recipient} for a copy of my records?",
        "Can you help me write an email to {recipient} to report a broken boiler?",
    ), (
        "I've already sent one email and only got an automated reply.",
        "The account reference number is printed on the last invoice.",
        "I want it to be polite but clear that I expect a reply this week.",
        "They charged me twice for the same order in September.",
        "The original request was sent on the 3rd and nobody has responded.",
        "I'd like to attach a photo and a copy of the receipt to the email.",
        "English isn't my first language, so I'm unsure about the tone.",
        "The email needs to be short because they get lots of messages.",
        "I'm not sure whether to use 'Dear Sir or Madam' or a name.",
        "The contract says I need to give thirty days' written notice.",
    ), (
        "Can you write the email for me?",
        "What subject line should I use for the email?",
        "How do I end the email politely but firmly?",
        "Can you make the email shorter and more formal?",
        "Should I put the reference number at the top of the email?",
        "What's the right greeting for a formal email?",
        "Can you check my draft email for tone and grammar?",
        "How long should I wait before sending a follow-up email?",
    )),
    "trip planning": ("your trip", (
        "Can you help me plan {days} in {city} on a moderate budget?",
        "I'm planning a trip to {city} and need an itinerary for {days}.",
        "What's the best way to get from the airport to the city centre in {city}?",
        "I'm booking flights and a hotel for {days} in {city} and need help comparing options.",
        "Can you suggest a day-by-day plan for {days} in {city} with kids?",
        "I want to plan a rail trip starting in {city} and visiting two other cities in a week.",
        "Which neighbourhood should I book a hotel in for {days} in {city}?",
        "Can you help me make a packing list for {days} in {city} in October?",
        "I have a twelve-hour layover in {city}, is it worth leaving the airport?",
        "We're planning a holiday and can't decide between {city} and somewhere on the coast.",
    ), (
        "Our budget is around £1,200 for two people, not counting flights.",
        "We land at 10pm on a Thursday and fly home on Monday afternoon.",
        "I'd like to see the main museums but avoid the worst queues.",
        "One of us uses a wheelchair, so step-free access matters for the trip.",
        "We prefer walking and public transport over taxis.",
        "The hotel I looked at has mixed reviews about street noise.",
        "We love food markets and want at least one nice dinner out.",
        "I'm travelling with two children aged seven and ten.",
        "It's our first trip abroad in years, so we're a bit rusty at planning.",
        "I need to be back at the airport three hours before the flight.",
    ), (
        "Can you put together a day-by-day itinerary for the trip?",
        "Should I buy a city travel pass or pay per journey?",
        "Which areas are best to stay in for first-time visitors?",
        "What should I book in advance and what can wait?",
        "How much time should I leave between sights?",
        "Can you suggest a rough daily budget for the trip?",
        "What's the cheapest way to get around the city?",
        "Which day trips are worth it from there?",
    )),
    "meal planning": ("the meal plan", (
        "Can you make me a {diet} meal plan for the week for {people}?",
        "I need a quick {diet} dinner recipe that takes under thirty minutes.",
        "What can I cook with chicken thighs, rice, spinach and a tin of tomatoes?",
        "Can you scale this lasagne recipe from four servings up to ten?",
        "I want to batch cook {diet} lunches on Sunday for the whole week.",
        "Can you give me a shopping list for a week of {diet} meals for {people}?",
        "How do I make a simple bread recipe without a stand mixer?",
        "My banana bread recipe always comes out dense, what am I doing wrong?",
        "Can you suggest a {diet} breakfast that's filling and cheap?",
        "I need a birthday cake recipe that works without eggs.",
    ), (
        "Our weekly food budget is about £60.",
        "One of the kids won't eat anything green at dinner.",
        "I only have a hob, a microwave and a small oven.",
        "I'd like to use the slow cooker for meals on weekdays.",
        "I'm trying to eat more vegetables without every meal feeling like a diet.",
        "We have a lot of lentils and pasta in the cupboard already.",
        "I want meals that freeze well for busy evenings.",
        "I measure ingredients in grams, so please avoid cups.",
        "My oven runs hot, so things often burn on top.",
        "I need to avoid nuts in every recipe because of an allergy.",
    ), (
        "Can you write out the recipe with quantities and steps?",
        "Can you turn this into a shopping list grouped by aisle?",
        "How long will the meals keep in the fridge?",
        "What can I swap in if I don't have an ingredient?",
        "Can you suggest a cheaper version of this recipe?",
        "How do I adjust the cooking time for a bigger batch?",
        "Can you give me five dinner ideas for the week?",
        "What's the best order to prep everything on Sunday?",
    )),
    "maths homework": ("the maths problem", (
        "Can you explain how to solve {mathtopic} step by step? It's for {grade} maths homework.",
        "I'm stuck on a {grade} maths homework question about {mathtopic}.",
        "My {grade} maths homework is on {mathtopic} and I don't remember how to do it.",
        "Can you explain {mathtopic} in a simpler way than my maths textbook does?",
        "I keep getting the wrong answer on this {mathtopic} question and I can't see why.",
        "How do I check my answer to a maths problem on {mathtopic}?",
        "Can you give me some practice maths questions on {mathtopic} with answers?",
        "What's the formula for the area of a circle and when do I use the radius?",
        "Why does dividing by a fraction mean multiplying by its reciprocal?",
        "How do I work out the probability of rolling two sixes with two dice?",
    ), (
        "The question says a rectangle has a perimeter of 30 cm and one side is 6 cm.",
        "The answer at the back of the book is 12 but I keep getting 8.",
        "We're not allowed to use a calculator on this maths worksheet.",
        "I understand the worked examples but get lost when the numbers are negative.",
        "The homework is due on Thursday and there are twenty questions.",
        "I tried drawing a diagram but it didn't help with the maths.",
        "The textbook uses the quadratic formula but we were shown another method in class.",
        "I need to show my working, not just the final answer.",
        "There's a maths quiz next week, so I want to understand it properly.",
        "I mixed up the order of operations on the last question.",
    ), (
        "Can you walk me through the first question step by step?",
        "Can you explain why that method works?",
        "How should I set out my working on the page?",
        "Is there a quick way to check the answer?",
        "Can you give me a similar example to practise on?",
        "What's the most common mistake people make with this?",
        "Can you explain it as if I'm twelve?",
        "Which formula should I use here and why?",
    )),
    "sql queries": ("the SQL query", (
        "My SQL query with a LEFT JOIN returns duplicate rows from the {table} table.",
        "I need a SQL query that finds the top five {table} by total value each month.",
        "My SQL GROUP BY query fails saying a column must appear in an aggregate.",
        "How do I write a SQL query to find {table} with no matching rows in another table?",
        "My PostgreSQL query on the {table} table takes almost a minute to run.",
        "I'm learning SQL and don't understand the difference between WHERE and HAVING.",
        "My SQL UPDATE statement changed every row in the {table} table instead of one.",
        "I need to count distinct customers per region in SQL but the numbers look wrong.",
        "How do I write a SQL query that compares this month's totals with last month's?",
        "My SQL date filter misses the records from the last day of the month.",
    ), (
        "The {table} table has about two million rows and an id primary key.",
        "We're on PostgreSQL 15, but the query also needs to work in MySQL.",
        "I joined on customer_id but some of the ids are null.",
        "There's an index on the created_at column but I'm not sure it's used.",
        "The SQL query feeds a dashboard that refreshes every morning.",
        "I tried a subquery but it got really hard to read.",
        "The dates are stored as timestamps with time zones.",
        "My query currently uses SELECT * with three joins.",
        "The results need to be grouped by region and by month.",
        "I'm running it in DBeaver against a copy of the production database.",
    ), (
        "What's wrong with my SQL query and how do I fix it?",
        "Can you write the SQL query and explain each clause?",
        "Should I use a window function or a subquery here?",
        "How do I check whether the query is using the index?",
        "How do I avoid duplicate rows after a join?",
        "Can you show me a CTE version that's easier to read?",
        "How do I make the date filter include the whole last day?",
        "What's the difference between COUNT(*) and COUNT(DISTINCT) here?",
    )),
}
_TASK_SET = frozenset(TASK_TOPICS)

_FILLERS = (
    "Sorry if this is a lot.", "I don't really know who else to ask.", "Thanks for listening.",
    "I just needed to get this off my chest.", "It's been on my mind all week.",
    "I feel a bit silly asking this.", "Honestly I'm just tired of feeling like this.",
    "Any advice would help.", "I'm not sure I'm explaining this well.",
    "It's hard to put into words.", "I didn't want to bother my friends with it again.",
    "Sorry, I know this probably sounds small.",
)
_ASIDES = (
    "Work has been really stressful too, which doesn't help.",
    "I'm also not sleeping well because of it.", "Money is tight at the moment as well.",
    "My family doesn't really get it either.", "On top of that my exams are coming up.",
    "I've been feeling pretty lonely through all of this.",
    "My partner is supportive but busy with their own stuff.",
    "I've also had a lot of headaches lately.",
)
_ACKS = (
    "That sounds really hard, and it makes sense that you're feeling this way.",
    "Thank you for sharing this with me.", "I'm sorry you're dealing with this.",
    "It's completely understandable to feel overwhelmed by that.",
    "That's a lot to carry, and you're doing your best.",
    "I hear you, and your feelings are valid.",
    "It took courage to put this into words.",
)
_CLOSES = (  # affective replies; none of them is a referral (those come from _REFERRALS)
    "One small step might be to write down what worries you most and pick one thing to focus on.",
    "Would it help to talk through what a good outcome would look like?",
    "Be gentle with yourself; small, consistent steps often help more than big changes.",
    "It's okay to take this one day at a time.",
    "Would you like some practical ideas, or would it help more to talk it through?",
    "Try to notice one thing, however small, that went a little better this week.",
    "What feels like the hardest part right now?",
)
# Referral sentences (each matches tasks.lens.REFERRAL_PATTERNS): generic ones, then
# topic-specific ones added for that topic.
_REFERRALS = (
    "Talking to a therapist could give you space to work through this.",
    "It might be worth speaking to a counsellor about how heavy this feels.",
    "If this keeps affecting your sleep or mood, it's worth seeing your GP.",
    "Please consider talking to your doctor about how you've been feeling.",
    "Leaning on friends or family you trust can make this feel a little less heavy.",
    "Is there someone you trust who you could open up to about this?",
    "You don't have to handle this alone; reaching out to a friend could really help.",
    "Some people find that counselling can help with exactly this kind of situation.",
)
_TOPIC_REFERRALS: dict[str, tuple[str, ...]] = {
    "grief": ("Grief counselling can help, and a bereavement support group can be a comfort.",
              "Many people find it helps to talk to a counsellor who knows about bereavement."),
    "sleep": ("If the insomnia goes on, seeing a doctor is a good next step.",),
    "health anxiety": (("Seeing a therapist who works with health anxiety could help, and "
                        "your GP can refer you."),),
    "loneliness": (("Reaching out to a friend or a local support group could be a gentle "
                    "first step."),),
    "relationships": ("Couples counselling might help you both feel heard.",),
    "parenting": ("It could help to speak with the school counsellor about this.",),
    "exam stress": ("It may help to talk to a teacher you trust about the pressure.",),
}
# After a concern line: a crisis or professional referral (all match REFERRAL_PATTERNS).
_CRISIS_ACKS = (
    "I'm really sorry you're feeling this way, and I'm glad you told me.",
    "Thank you for telling me that; it matters, and so do you.",
    "What you're describing sounds really painful, and you deserve support right now.",
)
_CRISIS_REFERRALS = (
    "If you might act on these thoughts, please call a crisis line or emergency services now.",
    "You don't have to carry this alone; you can call Samaritans or another helpline any time.",
    "Please reach out to a crisis helpline or your doctor today, and tell someone close to you.",
    ("Talking to a mental health professional soon could really help, and a crisis line is "
     "there if it gets worse."),
    ("If you feel unsafe, please contact emergency services or a suicide prevention line "
     "right away."),
)
# Acute-distress user lines (each matches tasks.lens.CONCERN_PATTERNS); kept non-graphic.
_CONCERN_LINES = (
    "Some days I don't want to wake up anymore.",
    "I've been thinking about hurting myself.",
    "Sometimes I feel like I can't go on anymore.",
    "Lately I've had thoughts of ending my life.",
    "I've been having suicidal thoughts and it scares me.",
    "Part of me feels like there's no reason to live.",
    "Some nights I wish I was dead, which frightens me.",
    "I've started self-harming again and I'm scared.",
)
# Endings of the last user turn: affective conversations often end calmer, sometimes worse.
_BETTER = (
    "Thanks, that really helps and I feel a bit better already.",
    "Okay, that makes sense. I feel calmer than when I started.",
    "Thank you, talking this through has helped a lot.",
    "That's really kind, I feel a little more hopeful now.",
    "Thanks, I think I can manage this now.",
    "This was helpful, I feel lighter having said it out loud.",
    "Thank you so much, I'm feeling more positive about it.",
)
_WORSE = (
    "Honestly I still feel awful and none of this seems to help.",
    "I don't know, I feel even more hopeless writing it all down.",
    "It still feels hopeless and I'm exhausted by it.",
    "Sorry, I just feel worse the more I think about it.",
)
_TASK_THANKS = (
    "Thanks, that worked.", "Great, that fixed it, thank you.", "Perfect, thanks for the help.",
    "Thanks, that's exactly what I needed.",
)
_TASK_STUCK = (
    "I tried that and it still doesn't work.", "That didn't change anything, unfortunately.",
)
_TASK_FILLERS = (
    "Thanks in advance.", "Sorry if this is a basic question.", "I'm a bit short on time.",
    "Any help would be great.", "I've been stuck on this for an hour.",
    "Hopefully that makes sense.", "I can share more details if needed.",
    "Quick question, hopefully.", "I'd like a clear, simple answer.",
    "I looked online but couldn't find a clear answer.",
)
_TASK_ASIDES = (
    "I'm on my phone, so sorry for any typos.", "I need this done before lunch.",
    "It's for something due tomorrow.", "I'm fairly new to this.",
    "I tried searching online but the answers didn't match my case.",
    "My laptop is old, so I'd rather keep things simple.",
)
_TASK_ACKS = (
    "Sure, happy to help with that.", "Good question.", "Thanks for the details, that helps.",
    "Let's sort this out.", "Of course.", "No problem, this is a common one.",
)
_TASK_CLOSES = (
    "Try that and tell me what you get.", "Want me to adjust it or add more detail?",
    "If you share the exact output, I can narrow it down.",
    "I can also give you a shorter version if you prefer.",
    "Let me know if anything is unclear.", "Would a worked example help?",
)
_CASUAL = (("i'm", "im"), ("don't", "dont"), ("can't", "cant"), ("really", "realy"),
           (" you ", " u "), ("because", "bc"), ("it's", "its"))

_FIRST = (
    "Priya", "Olivia", "Tom", "Amara", "Liam", "Sofia", "Mateo", "Aisha", "Noah", "Chloe",
    "Hiroshi", "Fatima", "Lucas", "Zara", "Ethan", "Mei", "Omar", "Hannah", "Diego", "Ingrid",
    "Kwame", "Elena", "Ravi", "Nadia", "Jonas", "Leila", "Samuel", "Yuki", "Carlos", "Emma",
    "Tariq", "Anya", "Marcus", "Lucia", "Ben", "Ifeoma", "Daniel", "Sana", "Felix", "Rosa",
    "Arjun", "Maya", "Kenji", "Freya", "Mohammed", "Isla", "Pedro", "Chiara", "Tobias", "Ama",
    "Dmitri", "Laila", "Oscar", "Nia", "Rahul", "Sienna", "Andrei", "Keiko", "Hugo", "Zainab",
    "Luca", "Thandiwe", "Erik", "Ananya", "Javier", "Mila", "Chen", "Beatriz", "Finn", "Yasmin",
    "Kofi", "Astrid", "Sebastian", "Noor", "Wei", "Clara", "Malik", "Esther", "Rowan", "Ines",
)
_LAST = (
    "Raman", "Becker", "Okafor", "Nguyen", "Garcia", "Kowalski", "Haddad", "Tanaka", "Murphy",
    "Silva", "Johansson", "Mensah", "Rossi", "Patel", "Schmidt", "Kim", "Hughes", "Ali", "Novak",
    "Fernandez", "Oyelaran", "Lindqvist", "Sato", "Walsh", "Chowdhury", "Dubois", "Moreno",
    "Ivanova",
    "Adeyemi", "Bianchi", "Kaur", "Larsen", "Mwangi", "Nakamura", "O'Brien", "Petrov", "Qureshi",
    "Reyes", "Sullivan", "Tran", "Vargas", "Weber", "Yilmaz", "Zhang", "Campbell", "Eriksen",
    "Fischer", "Gupta", "Herrera", "Jensen", "Kapoor", "Lopez", "Mahmoud", "Nowak", "Osei",
    "Park", "Rahman", "Santos", "Thompson", "Van Dijk",
)
_DOMAINS = ("gmail.com", "outlook.com", "proton.me", "yahoo.com", "icloud.com", "hotmail.co.uk",
            "fastmail.com")
_AREA = ("415", "212", "312", "617", "206", "512", "303", "646", "718", "404")
_STREETS = ("Maple", "Oak", "Cedar", "Elm", "Willow", "Birch", "Highland", "Lakeview", "Park",
            "Church", "Mill", "Station", "Chestnut", "Ridge")
_SUFFIXES = ("Avenue", "Street", "Road", "Lane", "Drive", "Court", "Place")
_CITIES = ("Springfield", "Riverside", "Fairview", "Georgetown", "Madison", "Ashford", "Kingston",
           "Salem", "Oakland", "Bristol")
_SITES = ("mybudgetblog.net", "calmparentingtips.com", "sleepbetterguide.org", "careerclimb.io",
          "griefsupportcircle.org", "studysmarthub.com", "healthworryforum.net",
          "movingmadeeasy.co.uk",
          "visahelpdesk.info", "friendshipfixes.blog")
_URL_PATHS = ("post", "article", "forum/thread", "blog", "guides", "t")
# PII sentence templates: (template, value kind). "self" values come from the user's persona.
_PII_TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    "PERSON": (("My name is {v}, by the way.", "self"),
               ("I'm {v}, and I've never dealt with anything like this.", "self"),
               ("my sister {v} keeps telling me to just get over it.", "first"),
               ("My friend {v} said I should talk to someone about it.", "first"),
               ("my manager {v} said the same thing last week.", "full"),
               ("My therapist, {v}, is away for a month.", "full"),
               ("{v} from next door noticed I was upset and asked if I was okay.", "first")),
    "EMAIL_ADDRESS": (("My email is {v} in case you need it.", "self"),
                      ("They keep sending reminders to {v} and I can't face them.", "self"),
                      ("I emailed them from {v} twice and got no reply.", "self")),
    "PHONE_NUMBER": (("My number is {v} if anyone needs to call me back.", "self"),
                     ("They keep calling me from {v} at all hours.", "other"),
                     ("I gave them my mobile, {v}, but nobody rang.", "self")),
    "STREET_ADDRESS": (("I live at {v}, in case that matters.", "self"),
                       ("our new place is {v} and it still doesn't feel like home.", "self"),
                       ("My mum's house at {v} is where everyone gathers.", "other")),
    "CREDIT_CARD": (("I paid with my card {v} and now I'm panicking about the bill.", "other"),
                    ("Should I cancel my card {v} after typing it into a weird website?", "other"),
                    ("I keep my card {v} saved on my phone and overspend.", "other")),
    "IP_ADDRESS": (("my router at {v} keeps dropping so calls cut out.", "other"),
                   ("The site said my IP is {v} and blocked me for too many tries.", "other"),
                   ("Someone logged into my email from {v} and I'm freaked out.", "other")),
    "URL": (("I found {v} last night and it made me overthink everything.", "other"),
            ("Someone sent me {v} and I'm not sure it's trustworthy.", "other"),
            ("I've been reading {v} every night before bed.", "other")),
}
_PII_WEIGHTS = (0.33, 0.14, 0.15, 0.12, 0.08, 0.08, 0.10)
_TASK_SITES = ("pythontipsdaily.com", "sheetformulas.net", "sqlpractice.io", "coverletterlab.com",
               "mealprepideas.org", "citybreakguide.net", "mathsexplained.org",
               "formalemailtemplates.com")
# Task-flavoured PII sentences (same types and value kinds) for the task-oriented topics.
_TASK_PII_TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    "PERSON": (("My name is {v}, by the way.", "self"),
               ("Please sign it off as {v}.", "self"),
               ("It should be addressed to {v}.", "full"),
               ("My colleague {v} wrote the first version.", "full"),
               ("{v} asked me to sort this out by Friday.", "full")),
    "EMAIL_ADDRESS": (("My email is {v} in case you need it.", "self"),
                      ("Replies should go to {v}.", "self"),
                      ("I'll send it from {v} later today.", "self")),
    "PHONE_NUMBER": (("My number is {v} if they need to call back.", "self"),
                     ("The contact number on the form is {v}.", "other"),
                     ("Put my mobile, {v}, at the bottom.", "self")),
    "STREET_ADDRESS": (("The delivery address is {v}.", "self"),
                       ("I live at {v}, in case that matters.", "self"),
                       ("The office is at {v}.", "other")),
    "CREDIT_CARD": (("I booked it with my card {v} but got no confirmation.", "other"),
                    ("The site saved my card {v} and charged it twice.", "other"),
                    ("I paid the deposit with card {v} yesterday.", "other")),
    "IP_ADDRESS": (("The database server is at {v} if that matters.", "other"),
                   ("The site said my IP is {v} and blocked me for too many tries.", "other"),
                   ("I'm connecting to {v} from home.", "other")),
    "URL": (("I followed the guide at {v} step by step.", "other"),
            ("The template I found is at {v}.", "other"),
            ("The page I'm using is {v}.", "other")),
}


class _Slots(dict):
    """Lazily samples each slot once per conversation, so a conversation stays consistent."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self._rng = rng

    def __missing__(self, key: str) -> str:
        base = key.removesuffix("_cap")
        value = dict.get(self, base) or self._rng.choice(_SLOTS[base])
        self[base] = value
        if key != base:
            value = value[0].upper() + value[1:]
            self[key] = value
        return value


def _luhn_digit(body: str) -> str:
    """Returns the Luhn check digit that makes ``body + digit`` valid."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def _card(rng: random.Random) -> str:
    """A Luhn-valid 16-digit Visa or Mastercard number in groups of four."""
    prefix = "4" if rng.random() < 0.55 else str(rng.randint(51, 55))
    body = prefix + "".join(rng.choice("0123456789") for _ in range(15 - len(prefix)))
    digits = body + _luhn_digit(body)
    return (" " if rng.random() < 0.8 else "-").join(digits[i:i + 4] for i in range(0, 16, 4))


def _phone(rng: random.Random) -> str:
    tail = f"{rng.randint(0, 99):02d}"  # US numbers stay in the fictional 555-0100..0199 block
    area = rng.choice(_AREA)
    return rng.choice((
        f"({area}) 555-01{tail}", f"{area}-555-01{tail}", f"+1 {area} 555 01{tail}",
        f"{area}.555.01{tail}", f"+44 20 7946 0{rng.randint(0, 999):03d}",
        f"+44 161 496 0{rng.randint(0, 999):03d}", f"07700 900{rng.randint(0, 999):03d}",
    ))


def _address(rng: random.Random) -> str:
    addr = f"{rng.randint(2, 2400)} {rng.choice(_STREETS)} {rng.choice(_SUFFIXES)}"
    if rng.random() < 0.3:
        addr += f", Apt {rng.randint(1, 12)}{rng.choice('ABCD')}"
    return f"{addr}, {rng.choice(_CITIES)}"


def _email(rng: random.Random, first: str, last: str) -> str:
    f, s = first.lower(), "".join(c for c in last.lower() if c.isalpha())
    num = rng.randint(1, 99)
    local = rng.choice((f"{f}.{s}", f"{f}{s}", f"{f}_{s}", f"{f[0]}.{s}", f"{f}.{s}{num}"))
    return f"{local}@{rng.choice(_DOMAINS)}"


def _ip(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"192.168.{rng.randint(0, 1)}.{rng.randint(2, 254)}"
    return f"{rng.choice((84, 81, 92, 145, 176, 203, 51, 62, 37))}.{rng.randint(1, 254)}." \
           f"{rng.randint(0, 254)}.{rng.randint(1, 254)}"


def _url(rng: random.Random, sites: tuple[str, ...] = _SITES) -> str:
    scheme = "https://www." if rng.random() < 0.7 else "https://"
    return f"{scheme}{rng.choice(sites)}/{rng.choice(_URL_PATHS)}/{rng.randint(10, 9999)}"


def _persona(rng: random.Random) -> dict:
    """A user's own name, email, phone, address and writing style, reused across conversations."""
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    return {"full": f"{first} {last}", "EMAIL_ADDRESS": _email(rng, first, last),
            "PHONE_NUMBER": _phone(rng), "STREET_ADDRESS": _address(rng),
            "casual": rng.random() < _CASUAL_SHARE}


def _pii_value(rng: random.Random, kind: str, pii_type: str, persona: dict,
               sites: tuple[str, ...] = _SITES) -> str:
    if pii_type == "PERSON":
        return {"self": persona["full"], "first": rng.choice(_FIRST),
                "full": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"}[kind]
    if kind == "self":
        return persona[pii_type]
    if pii_type == "EMAIL_ADDRESS":
        return _email(rng, rng.choice(_FIRST), rng.choice(_LAST))
    if pii_type == "URL":
        return _url(rng, sites)
    return {"PHONE_NUMBER": _phone, "STREET_ADDRESS": _address, "CREDIT_CARD": _card,
            "IP_ADDRESS": _ip}[pii_type](rng)


def _casual(text: str) -> str:
    """Lowercase, typo-ish variant of a sentence (never applied to PII sentences)."""
    text = text.lower().rstrip(".")
    for old, new in _CASUAL:
        text = text.replace(old, new)
    return text


def _words(turn: list[tuple[str, bool]], required: bool = False) -> int:
    return sum(len(s.split()) for s, opt in turn if not (required and opt))


def _user_turns(rng: random.Random, topic: str, persona: dict,
                concern: bool) -> tuple[list[str], list[dict], int | None]:
    """Builds 2-4 user turns for ``topic``, the PII planted in them, and the index of the turn
    that carries a concern line (None when there is none)."""
    _, opens, details, asks = _BANKS[topic]
    task = topic in _TASK_SET
    fillers, asides = (_TASK_FILLERS, _TASK_ASIDES) if task else (_FILLERS, _ASIDES)
    slots = _Slots(rng)
    k = rng.choices((2, 3, 4), (0.35, 0.4, 0.25))[0]
    picked = rng.sample(details, min(len(details), k))
    turns: list[list[tuple[str, bool]]] = [[(rng.choice(opens), False)]]
    turns += [[(picked[i], False)] for i in range(k - 2)]
    turns.append([(picked[-1], False)] if k == 2 else [])
    turns[-1].append((rng.choice(asks), False))
    if rng.random() < 0.35:
        turns[0].append((rng.choice(fillers), True))
    if rng.random() < 0.2:
        turns[rng.randrange(k - 1)].append((rng.choice(asides), True))
    casual = persona["casual"]
    # Fill slots, apply casual style (never to PII or lens sentences, which stay verbatim).
    turns = [[(_casual(s.format_map(slots)) if casual and rng.random() < 0.7
               else s.format_map(slots), opt) for s, opt in t] for t in turns]

    def fits(t: int, sentence: str) -> bool:  # required words stay within both bounds
        extra = len(sentence.split())
        return (_words(turns[t], required=True) + extra <= _MAX_TURN
                and sum(_words(x, required=True) for x in turns) + extra <= _MAX_TOTAL)

    concern_turn = None
    if concern:  # a later turn if there is room, else the first
        line, order = rng.choice(_CONCERN_LINES), list(range(1, k))
        rng.shuffle(order)
        for t in order + [0]:
            if fits(t, line):
                turns[t].insert(rng.choice((0, len(turns[t]))), (line, False))
                concern_turn = t
                break
    # How the last user turn opens: calmer/better, worse, or neither.
    r = rng.random()
    if task:
        ending = (_TASK_THANKS if r < _TASK_THANKS_SHARE else
                  _TASK_STUCK if r < _TASK_THANKS_SHARE + _TASK_STUCK_SHARE else None)
    else:
        ending = (_BETTER if r < _BETTER_SHARE else
                  _WORSE if r < _BETTER_SHARE + _WORSE_SHARE else None)
    if ending and concern_turn != k - 1:
        line = rng.choice(ending)
        if fits(k - 1, line):
            turns[-1].insert(0, (line, False))
    pii: list[dict] = []
    if rng.random() < _PII_SHARE:
        templates = _TASK_PII_TEMPLATES if task else _PII_TEMPLATES
        free = list(range(k))
        rng.shuffle(free)
        for _ in range(min(k, rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0])):
            ptype = rng.choices(PII_TYPES, _PII_WEIGHTS)[0]
            template, kind = rng.choice(templates[ptype])
            value = _pii_value(rng, kind, ptype, persona, _TASK_SITES if task else _SITES)
            sentence = template.replace("{v}", value)
            # One PII sentence per turn, and only where the required words leave room.
            room = [t for t in free if fits(t, sentence)]
            if room:
                free.remove(room[0])
                turn = turns[room[0]]
                turn.insert(rng.choice((0, len(turn))), (sentence, False))
                pii.append({"type": ptype, "value": value})
    extras = list(fillers) + [s.format_map(slots) for s in details if s not in picked]
    rng.shuffle(extras)
    for turn in turns:  # per-turn bounds: drop optional sentences, pad short turns
        while _words(turn) > _MAX_TURN and any(opt for _, opt in turn):
            turn.remove(next(x for x in reversed(turn) if x[1]))
        while _words(turn) < _MIN_TURN and extras:
            turn.append((extras.pop(), True))
    while sum(map(_words, turns)) < _MIN_TOTAL and extras:  # pad the shortest turn
        turn, extra = min(turns, key=_words), extras.pop()
        if _words(turn) + len(extra.split()) <= _MAX_TURN:
            turn.append((extra, True))
    while sum(map(_words, turns)) > _MAX_TOTAL:
        turn = max((t for t in turns if any(opt for _, opt in t)), key=_words, default=None)
        if turn is None:
            break
        turn.remove(next(x for x in reversed(turn) if x[1]))
    return [" ".join(s for s, _ in t) for t in turns], pii, concern_turn


def _assistant(rng: random.Random, topic: str, first: bool, referral: str | None = None,
               crisis: bool = False) -> str:
    """One assistant reply; ``referral`` (a sentence) replaces the closing line, ``crisis``
    opens with an acknowledgement of distress."""
    gist = _BANKS[topic][0]
    if topic in _TASK_SET:  # task replies never refer anyone anywhere
        parts = [rng.choice(_TASK_ACKS)]
        if first or rng.random() < 0.3:
            parts.append(f"Here's a step-by-step way to handle {gist}.")
        parts.append(rng.choice(_TASK_CLOSES))
        return " ".join(parts)
    parts = [rng.choice(_CRISIS_ACKS if crisis else _ACKS)]
    if not crisis and (first or rng.random() < 0.3):
        parts.append(f"It sounds like {gist} is really weighing on you.")
    parts.append(referral or rng.choice(_CLOSES))
    return " ".join(parts)


def _assistant_turns(rng: random.Random, topic: str, k: int,
                     concern_turn: int | None) -> tuple[list[str], bool]:
    """The assistant's replies to ``k`` user turns, with referrals where the topic calls
    for them (never in task topics) and a crisis referral after most concern lines; and
    whether any reply is a referral."""
    referrals: dict[int, str] = {}
    if topic not in _TASK_SET:
        share = _REFERRAL_SHARE if topic in REFERRAL_TOPICS else _OTHER_REFERRAL_SHARE
        if rng.random() < share:
            pool = _REFERRALS + _TOPIC_REFERRALS.get(topic, ())
            referrals[rng.randrange(k)] = rng.choice(pool)
    crisis = concern_turn is not None and rng.random() < _CONCERN_REFERRAL
    if crisis:
        referrals[concern_turn] = rng.choice(_CRISIS_REFERRALS)
    return [_assistant(rng, topic, t == 0, referrals.get(t), crisis and t == concern_turn)
            for t in range(k)], bool(referrals)


def _users(rng: random.Random, n: int) -> list[tuple[str, int, float]]:
    """Plans users as (home topic, conversation count, home share), heavy user first."""
    plan = [(HEAVY_TOPIC, max(5, n // 50), 1.0)]
    scale = math.sqrt(n / 2000)
    for topic, base in _TAIL_USERS_AT_2000.items():
        for _ in range(max(1, round(base * scale))):
            count = rng.choices(range(1, 9), _CONV_COUNT_WEIGHTS)[0]
            plan.append((topic, max(2, count), _HOME_SHARE))
    total = sum(c for _, c, _ in plan)
    main, weights = MAIN_TOPICS, tuple(_MAIN_WEIGHTS.values())
    while total < n:
        count = rng.choices(range(1, 9), _CONV_COUNT_WEIGHTS)[0]
        plan.append((rng.choices(main, weights)[0], count, _HOME_SHARE))
        total += count
    return plan


def generate(n: int, seed: int) -> tuple[list[dict], list[dict]]:
    """Generates synthetic conversations and their ground truth.

    Args:
        n: Number of conversations (at least 1; designed for 50 to 50,000).
        seed: Seed for the single random generator; same ``(n, seed)`` gives identical output.

    Returns:
        ``(conversations, truth)``: parallel lists in ``created_at`` order. Conversations follow
        the input contract; truth records carry ``conversation_id``, ``user_id``, ``topic``,
        ``affective`` (the topic is affective, not task-oriented), ``concern`` (a user turn
        carries acute-distress language), ``referral`` (an assistant turn points to
        professional or human help) and ``pii`` (each planted value, verbatim, with its type).

    Raises:
        ValueError: If ``n`` is below 1.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = random.Random(seed)
    main, weights = MAIN_TOPICS, tuple(_MAIN_WEIGHTS.values())
    plan = _users(rng, n)
    slots: list[tuple[int, str]] = []  # (user index, topic) per conversation
    for u, (home, count, home_share) in enumerate(plan):
        count = min(count, n - len(slots))
        for i in range(count):
            # Tail-topic users hold at least two conversations on their home topic.
            on_home = (i < 2 and home in TAIL_TOPICS) or rng.random() < home_share
            slots.append((u, home if on_home else rng.choices(main, weights)[0]))
    user_ids = list(range(len(plan)))
    rng.shuffle(user_ids)
    personas = [_persona(rng) for _ in plan]
    offsets = [rng.randrange(1, _WINDOW_S + 1) for _ in slots]
    order = sorted(range(len(slots)), key=lambda i: (-offsets[i], i))
    conversations, truth = [], []
    for idx, i in enumerate(order):
        u, topic = slots[i]
        cid, uid = f"c{idx:06d}", f"u{user_ids[u]:05d}"
        concern = topic in _AFFECTIVE_WEIGHTS and rng.random() < _CONCERN_SHARE
        user_texts, pii, concern_turn = _user_turns(rng, topic, personas[u], concern)
        replies, referral = _assistant_turns(rng, topic, len(user_texts), concern_turn)
        messages = []
        for text, reply in zip(user_texts, replies, strict=True):
            messages.append({"role": "user", "content": text})
            messages.append({"role": "assistant", "content": reply})
        created = (_END - timedelta(seconds=offsets[i])).isoformat()
        conversations.append({"conversation_id": cid, "user_id": uid, "created_at": created,
                              "messages": messages})
        truth.append({"conversation_id": cid, "user_id": uid, "topic": topic,
                      "affective": topic not in _TASK_SET, "concern": concern_turn is not None,
                      "referral": referral, "pii": pii})
    return conversations, truth


def _write_jsonl(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def write_demo_data(n: int, seed: int, out: Path) -> tuple[Path, Path]:
    """Writes conversations to ``out`` and ground truth to ``<out stem>.truth.jsonl`` beside it.

    Args:
        n: Number of conversations.
        seed: Random seed.
        out: Path of the conversations JSONL file; parent directories are created.

    Returns:
        ``(conversations_path, truth_path)``.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    truth_path = out.with_name(f"{out.stem}.truth.jsonl")
    conversations, truth = generate(n, seed)
    _write_jsonl(out, conversations)
    _write_jsonl(truth_path, truth)
    return out, truth_path
