"""Synthetic emotional-support conversations with planted PII and a ground-truth file.

``generate(n, seed)`` builds ``n`` conversations between people and an AI assistant in the
project's input contract, plus one truth record per conversation naming its topic and every
PII string planted in it (verbatim). The data is shaped to exercise the whole pipeline:

* 12 main topics with a Zipf-like skew (largest ~19%, smallest ~3.5%) and 4 long-tail topics
  held by a handful of users (their user count grows with ``sqrt(n / 2000)``), so some
  clusters fall below a k-anonymity threshold of 10 distinct users.
* one heavy user with ``max(5, n // 50)`` conversations, all on ``"visa paperwork"``: a topic
  with many conversations but few users.
* users with 1-8 conversations (truncated geometric, mean ~2.7), ~60% on a "home" topic.
* 2-4 user turns per conversation (10-40 words each, 40-120 in all), varied phrasing, shared
  filler, cross-topic asides and casual lowercase/typo styles.
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

__all__ = ["MAIN_TOPICS", "TAIL_TOPICS", "HEAVY_TOPIC", "PII_TYPES", "generate", "write_demo_data"]

# Main topics in rank order with their Zipf-like weights (percent of main-topic traffic).
_MAIN_WEIGHTS: dict[str, float] = {
    "parenting": 19.0, "workplace communication": 15.0, "career planning": 12.0,
    "relationships": 10.0, "grief": 8.5, "sleep": 7.0, "exam stress": 6.0, "loneliness": 5.5,
    "money worries": 5.0, "health anxiety": 4.5, "moving home": 4.0, "friendship conflict": 3.5,
}
MAIN_TOPICS: tuple[str, ...] = tuple(_MAIN_WEIGHTS)
# Users whose home is each tail topic at n=2000 (scaled by sqrt(n / 2000), at least 1).
_TAIL_USERS_AT_2000: dict[str, int] = {
    "pet loss": 4, "hobby burnout": 3, "visa paperwork": 2, "neighbour noise": 2,
}
TAIL_TOPICS: tuple[str, ...] = tuple(_TAIL_USERS_AT_2000)
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
}

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
_CLOSES = (
    "One small step might be to write down what worries you most and pick one thing to focus on.",
    "Would it help to talk through what a good outcome would look like?",
    "Be gentle with yourself; small, consistent steps often help more than big changes.",
    "If it feels right, reaching out to someone you trust could lighten the load.",
    "Would you like some practical ideas, or would it help more to talk it through?",
    "If this starts to feel unmanageable, a doctor or counsellor can help.",
    "What feels like the hardest part right now?",
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


def _url(rng: random.Random) -> str:
    scheme = "https://www." if rng.random() < 0.7 else "https://"
    return f"{scheme}{rng.choice(_SITES)}/{rng.choice(_URL_PATHS)}/{rng.randint(10, 9999)}"


def _persona(rng: random.Random) -> dict:
    """A user's own name, email, phone, address and writing style, reused across conversations."""
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    return {"full": f"{first} {last}", "EMAIL_ADDRESS": _email(rng, first, last),
            "PHONE_NUMBER": _phone(rng), "STREET_ADDRESS": _address(rng),
            "casual": rng.random() < _CASUAL_SHARE}


def _pii_value(rng: random.Random, kind: str, pii_type: str, persona: dict) -> str:
    if pii_type == "PERSON":
        return {"self": persona["full"], "first": rng.choice(_FIRST),
                "full": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"}[kind]
    if kind == "self":
        return persona[pii_type]
    if pii_type == "EMAIL_ADDRESS":
        return _email(rng, rng.choice(_FIRST), rng.choice(_LAST))
    return {"PHONE_NUMBER": _phone, "STREET_ADDRESS": _address, "CREDIT_CARD": _card,
            "IP_ADDRESS": _ip, "URL": _url}[pii_type](rng)


def _casual(text: str) -> str:
    """Lowercase, typo-ish variant of a sentence (never applied to PII sentences)."""
    text = text.lower().rstrip(".")
    for old, new in _CASUAL:
        text = text.replace(old, new)
    return text


def _words(turn: list[tuple[str, bool]], required: bool = False) -> int:
    return sum(len(s.split()) for s, opt in turn if not (required and opt))


def _user_turns(rng: random.Random, topic: str, persona: dict) -> tuple[list[str], list[dict]]:
    """Builds 2-4 user turns for ``topic`` and the PII planted in them."""
    _, opens, details, asks = _BANKS[topic]
    slots = _Slots(rng)
    k = rng.choices((2, 3, 4), (0.35, 0.4, 0.25))[0]
    picked = rng.sample(details, min(len(details), k))
    turns: list[list[tuple[str, bool]]] = [[(rng.choice(opens), False)]]
    turns += [[(picked[i], False)] for i in range(k - 2)]
    turns.append([(picked[-1], False)] if k == 2 else [])
    turns[-1].append((rng.choice(asks), False))
    if rng.random() < 0.35:
        turns[0].append((rng.choice(_FILLERS), True))
    if rng.random() < 0.2:
        turns[rng.randrange(k - 1)].append((rng.choice(_ASIDES), True))
    casual = persona["casual"]
    # Fill slots, apply casual style (never to PII sentences, which must stay verbatim).
    turns = [[(_casual(s.format_map(slots)) if casual and rng.random() < 0.7
               else s.format_map(slots), opt) for s, opt in t] for t in turns]
    pii: list[dict] = []
    if rng.random() < _PII_SHARE:
        free = list(range(k))
        rng.shuffle(free)
        for _ in range(min(k, rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0])):
            ptype = rng.choices(PII_TYPES, _PII_WEIGHTS)[0]
            template, kind = rng.choice(_PII_TEMPLATES[ptype])
            value = _pii_value(rng, kind, ptype, persona)
            sentence = template.replace("{v}", value)
            # One PII sentence per turn, and only where the turn's required words leave room.
            room = [t for t in free if _words(turns[t], required=True) + len(sentence.split())
                    <= _MAX_TURN]
            if room:
                free.remove(room[0])
                turn = turns[room[0]]
                turn.insert(rng.choice((0, len(turn))), (sentence, False))
                pii.append({"type": ptype, "value": value})
    extras = list(_FILLERS) + [s.format_map(slots) for s in details if s not in picked]
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
    return [" ".join(s for s, _ in t) for t in turns], pii


def _assistant(rng: random.Random, topic: str, first: bool) -> str:
    parts = [rng.choice(_ACKS)]
    if first or rng.random() < 0.3:
        parts.append(f"It sounds like {_BANKS[topic][0]} is really weighing on you.")
    parts.append(rng.choice(_CLOSES))
    return " ".join(parts)


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
        the input contract; truth records carry ``conversation_id``, ``user_id``, ``topic`` and
        ``pii`` (each planted value, verbatim, with its type).

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
        user_texts, pii = _user_turns(rng, topic, personas[u])
        messages = []
        for t, text in enumerate(user_texts):
            messages.append({"role": "user", "content": text})
            messages.append({"role": "assistant", "content": _assistant(rng, topic, t == 0)})
        created = (_END - timedelta(seconds=offsets[i])).isoformat()
        conversations.append({"conversation_id": cid, "user_id": uid, "created_at": created,
                              "messages": messages})
        truth.append({"conversation_id": cid, "user_id": uid, "topic": topic, "pii": pii})
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
