"""The hand-written prototype sentences of the two classes, and their fingerprint.

Short first-person requests, phrased like what a person would write. Written by hand
from the issue's definition (Clio / "How people use Claude for support, advice and
companionship": interpersonal advice, coaching, counselling, companionship) and the
article's topic list, never copied from an evaluation set. The groups marked "added for
issue 14" widen the affective side to worries about work relationships, money, moving
home, immigration and neighbours phrased with a practical ask; they were written after
reading which requests of demo seeds 1-3 the lens missed (never seed 7, the reported
demo, or seed 0, the held-out demo check), in new words, not copied from the demo's
phrase banks. The task group marked "added for issue 14" (money admin asked plainly)
answers the CLINC150 validation queries that the new money prototypes pulled in.
They serve twice: as the zero-shot prototypes
(``tasks.lens.affective``), and as hand-written training examples of the fitted model
(bench/lens_fit.py). Editing them means refitting: the shipped model
records ``prototype_fingerprint()`` and the tests check it still matches.
"""

from __future__ import annotations

import hashlib

AFFECTIVE_PROTOTYPES: tuple[str, ...] = (
    # low mood, depression, anxiety, burnout
    "I feel so sad and lonely, I just need someone to talk to.",
    "I have been really depressed lately and I don't know how to cope.",
    "I am anxious and stressed all the time and I can't stop worrying.",
    "Hi, I'm not doing so well today, I've been feeling really low.",
    "I feel empty and unmotivated, nothing makes me happy anymore.",
    "I feel worthless and nobody understands me.",
    "I keep crying and I don't know why, everything feels like too much.",
    "I've been having panic attacks and I'm scared of the next one.",
    "I lie awake every night worrying and I'm exhausted during the day.",
    "I feel burnt out, I have no energy left for anything I used to enjoy.",
    "honestly i just feel numb lately and i dont know who to tell",
    "Everything is going wrong at once and I feel like I'm drowning.",
    "I've lost interest in my hobbies and it feels like a chore to do anything.",
    "How do I stop overthinking every little thing I said today?",
    # loneliness, companionship
    "I don't have anyone to talk to, can you just chat with me for a while?",
    "I moved to a new city and I feel completely alone.",
    "I'm feeling down and isolated because of the pandemic and lockdown.",
    "I can't see my family and friends and it is getting to me.",
    "Nobody ever texts me first, I feel like I don't matter to anyone.",
    "It's my birthday and no one remembered, I feel so invisible.",
    # romantic relationships
    "My partner broke up with me and I am heartbroken.",
    "I think my boyfriend is cheating on me and I don't know what to do.",
    "My wife and I argue all the time and I feel our marriage is falling apart.",
    "Can you give me advice on how to deal with my relationship problems?",
    "I still miss my ex and I can't move on.",
    "My girlfriend says I'm too distant and I don't know how to open up to her.",
    "How do I tell my husband that I feel unappreciated without starting a fight?",
    # friends, family
    "I am having problems with my friends and I feel left out.",
    "My best friend stopped talking to me and it really hurts.",
    "I keep fighting with my parents and it makes me upset.",
    "My family doesn't support my choices and I feel like an outsider at home.",
    "My sister said something hurtful and I don't know whether to confront her.",
    "A friend betrayed my trust and I can't stop feeling angry about it.",
    # parenting
    "I'm worried about my teenage son, he won't talk to me anymore.",
    "My toddler's tantrums are wearing me down and I feel like a bad parent.",
    "How do I support my daughter who is being bullied at school?",
    "I feel guilty that I snap at my kids when I'm tired.",
    "My child is anxious about starting a new school, how can I reassure her?",
    # grief, loss
    "My mother passed away last month and I can't stop thinking about her.",
    "My dog died and I'm devastated, the house feels so empty.",
    "It's been a year since my dad died and the grief still hits me out of nowhere.",
    # work, career
    "My boss keeps criticising me in front of everyone and I dread going to work.",
    "I had a conflict with a coworker and I don't know how to handle it.",
    "A colleague takes credit for my work and I feel too anxious to say anything.",
    "I lost my job and I feel hopeless about the future.",
    "I'm anxious about my career, I don't know if I chose the right path.",
    "I'm scared I'll never find a job and I feel like a failure.",
    "Should I quit my job? I'm unhappy there but afraid to leave.",
    "I got passed over for a promotion again and I'm starting to doubt myself.",
    "I feel like an impostor at my new job and I'm afraid they'll find out.",
    # work relationships and communication, where the ask is practical but the person is
    # struggling (added for issue 14: the demo's workplace users were missed)
    "My manager undermines me in front of the team and I don't know how to raise it.",
    "I'm dreading a hard conversation with a colleague, how do I say it without a fight?",
    "I feel ignored by my team, nobody listens to me in meetings and it wears me down.",
    "How do I tell my boss I'm overwhelmed without looking like I can't cope?",
    "A coworker keeps sending me snide messages and I get anxious every time I open my inbox.",
    "I got harsh feedback at work and I keep replaying it, how should I respond?",
    # school, exams
    "I am overwhelmed by the pressure at school and I feel like a failure.",
    "I'm so stressed about my exams that I can't concentrate or sleep.",
    "I failed my test and I'm scared to tell my parents.",
    # self-esteem, coaching, life direction
    "How can I build my confidence and stop feeling so insecure?",
    "I want to stop procrastinating and be kinder to myself, can you coach me through it?",
    "I feel stuck in life and I don't know what I want anymore.",
    "I get so angry and I say things I regret, how can I control my temper?",
    "I hate how I look and it's affecting everything.",
    "I'm so nervous about social situations that I avoid going out.",
    # money, health, home worries framed emotionally
    "Money is tight and I'm worried about how I'll get through the holidays.",
    "I'm drowning in debt and the stress is affecting my sleep and my marriage.",
    "I'm terrified that something is wrong with my health and I can't stop worrying.",
    "My noisy neighbours are making me miserable and I feel trapped in my own home.",
    "I'm dreading moving house, leaving everyone behind makes me so sad.",
    # (added for issue 14: money, moving home, immigration and neighbour worries)
    "I'm behind on my bills and ashamed to tell anyone, where do I even start?",
    "I can't stop worrying about my debts and I hide them from my family.",
    "Every month I run out of money before payday and I feel sick checking my account.",
    "We just moved and I miss my old life so much, I don't feel at home here.",
    "Moving is overwhelming me, there is so much to sort out and I can't cope.",
    "We have to leave our home soon and I'm scared we won't find anywhere to live.",
    "Waiting for my visa decision is making me so anxious, my whole life is on hold.",
    "I'm terrified of getting my immigration forms wrong and having to leave the country.",
    "My residence permit is stuck and I'm scared I'll lose my job and my home.",
    "My neighbours make noise every night and I dread coming home, it's getting to me.",
    # (added for issue 14: a practical ask where the person is clearly struggling)
    "Nobody at work takes my ideas seriously and I'm starting to feel invisible there.",
    "Things are tense with someone on my team and it's stressing me out, how do I handle it?",
    "My review at work left me confused and upset, how do I ask what went wrong?",
    "How can I stand up for myself at work without making things worse? I feel so small.",
    "The paperwork for moving abroad never ends and I'm scared one mistake will ruin it all.",
    "I've waited months for a decision on my application and the uncertainty is eating me up.",
    "Dealing with the embassy is so stressful, it feels like my whole future hangs on a form.",
    "I'm so stressed about money that I can't think straight, can you help me make a plan?",
    "I'm embarrassed about how much I owe and I don't know who to turn to.",
    "House hunting has worn me out and I feel like giving up, everything falls through.",
    "Leaving the home where we raised our kids is breaking my heart, how do I get through it?",
    # support-seeking and closing
    "I need some emotional support, I'm going through a hard time.",
    "Thank you for listening, it really helps to talk about how I feel.",
    "I just needed to vent, thanks for being here.",
)

# Task-oriented requests, including worried-sounding service queries (a lost card is a
# banking task) and small talk: chit-chat is not affective use.
TASK_PROTOTYPES: tuple[str, ...] = (
    # restaurants, travel, events, media, home services
    "I want to book a table at a restaurant for tonight.",
    "Find me a flight to New York next Friday.",
    "Please reserve a hotel room for two nights.",
    "I need a rental car at the airport from Monday to Thursday.",
    "Get me two bus tickets to Seattle for tomorrow morning.",
    "I need a ride to the airport, book a cab for 3 people.",
    "Buy me tickets for the concert on Saturday.",
    "Find me a movie showing near me this evening.",
    "Play some music by my favourite artist.",
    "What's the weather going to be like tomorrow?",
    "Set an alarm for 7 am and add an event to my calendar.",
    "Find me a house to rent with three bedrooms.",
    "Find me a therapist or a doctor in my city and book an appointment.",
    "Can you give me the phone number and address of the dentist?",
    "Plan a three-day itinerary for a trip to Rome.",
    "What are some fun things to do in Paris with kids?",
    # banking, payments
    "How do I transfer money from my bank account?",
    "My card payment was declined, why?",
    "Why hasn't my refund arrived yet?",
    "My top-up failed and the app won't verify my identity.",
    "Which countries do you support and what are the fees?",
    "My contactless card is broken, how do I fix it?",
    "Why do you need so much personal information to verify my account?",
    "I'm worried someone used my card without my permission, there's a payment I don't recognise.",
    "Help, I lost my card and I'm panicking, how do I freeze it?",
    "The ATM took my card and didn't give me any cash.",
    "What exchange rate do you use when I pay in another currency?",
    "I'm annoyed that I was charged a fee for a transfer, can you explain it?",
    "How old do you have to be to open an account?",
    "Is there a limit on how much I can top up?",
    "Can I change the name on my account after getting married?",
    "How do I get a virtual card?",
    # coding, data, writing
    "Help me fix this error in my Python code.",
    "Why does my JavaScript function return undefined?",
    "Write a SQL query that counts orders per customer.",
    "Make a spreadsheet formula that adds up column B if column A says yes.",
    "Write an email to schedule a meeting with my team.",
    "Write a polite email to my landlord asking to fix the heating.",
    "Proofread my cover letter and make it more professional.",
    "Summarise this article in three bullet points.",
    "Translate this paragraph into Spanish.",
    "Give me a catchy title for my blog post about gardening.",
    # recipes, home, shopping
    "Give me a recipe for chocolate chip cookies.",
    "What can I cook for dinner with chicken and rice?",
    "Make me a weekly meal plan with a shopping list.",
    "How do I fix a leaking tap in the kitchen?",
    "How often should I water a cactus?",
    "Recommend a good laptop under 800 dollars.",
    "How much does this jacket cost, and do you have it in blue?",
    "My phone won't turn on after the update, what should I try?",
    # factual, homework, health facts, admin
    "What is the capital of Australia?",
    "Explain how photosynthesis works.",
    "Solve this equation for x: 3x + 5 = 20.",
    "Who won the World Cup in 2014?",
    "What are the symptoms of the flu and how long does it last?",
    "How many calories are in a banana?",
    "What documents do I need to renew my passport?",
    "How do I file my tax return online?",
    "Convert 5 miles to kilometres.",
    "Make me a beginner workout plan for three days a week.",
    # (added for issue 14: money admin asked as plain tasks, no emotional stake)
    "How can I improve my credit score?",
    "How much do I owe on my credit card and when is the bill due?",
    "Show me what I spent on groceries and bills last month.",
    "Has my leave request been approved yet?",
    # small talk, chit-chat (not seeking emotional support)
    "Hi there, how are you doing today?",
    "Tell me a joke.",
    "What's your favourite movie?",
    "Are you a robot or a real person?",
    "Did you watch the football game last night? What a match!",
    "How about going for a few beers after dinner?",
    "What are you doing this weekend? Want to go to the beach?",
    "I went shopping yesterday and bought a new dress, it was on sale.",
    "Excuse me, how can I get to the train station from here?",
    "Nice weather today, isn't it? I love spring.",
    "Thanks for your help, goodbye!",
    "Let's play a word game.",
)


def prototype_fingerprint() -> str:
    """Short hash of the prototype lists (the fitted model records the one it was fit with)."""
    joined = "\n".join(AFFECTIVE_PROTOTYPES) + "\x00" + "\n".join(TASK_PROTOTYPES)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]
