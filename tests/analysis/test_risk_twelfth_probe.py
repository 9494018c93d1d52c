"""The twelfth probe (issue 10, 7 December, fifth session), and a wish said as "if".

Two helpers who had not read the screen wrote the probe: 240 disclosures (neglect and unsafe conditions, behaviour
with no risk word, jokes with a laugh and road slang) and 240 near misses in the same voices, then 1,200 everyday and
public sentences. The disclosures below had no lexicon line; the near misses and everyday lines raised one. The probe
was tuned on and is not kept.

A negation after "if" and a subject in the past tense ("if she didnt", "if he wouldnt") wishes away what is happening,
as "i wish he didnt" does: "if she didnt pull my hair when im slow it would be fine" alerts. "even if he didnt" and a
plain denial still set the match aside.
"""

import pytest

from tests.analysis.rule_cases import check_high_alert, lexicon_categories


@pytest.mark.parametrize(
    ("text", "alerts"),
    [
        ("if she didnt pull my hair when im slow it would be fine", True),
        ("i would be happy here if he didnt hit me", True),
        ("if my stepdad wouldnt lock me in my room i would stay", True),
        ("they pull my hair and call me names", True),
        ("even if he didnt hit me i would still want to move", False),
        ("he didnt hit me", False),
        ("she didnt pull my hair, she was brushing it", False),
        ("this homework makes me want to pull my hair out", False),
    ],
)
def test_a_wish_said_as_if_is_no_denial(text, alerts):
    assert bool(lexicon_categories(text)) is alerts, text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("im sleeping in my mates car atm, its freezing", "unsafe_home"),
        ("i get one meal a day here, if that", "unsafe_home"),
        ("ceiling in my room came down last week and water keeps coming through the light", "unsafe_home"),
        ("cant have a shower, boiler broke in november and no ones sorted it", "unsafe_home"),
        ("nobodys been food shopping for over a week, im using my bus money to buy noodles", "unsafe_home"),
        ("my tooth has been agony for 3 weeks and no one will take me to a dentist", "unsafe_home"),
        ("my sisters baby has a really bad cough from the mould in their flat", "unsafe_home"),
        ("theres rats in our kitchen and my carer says its fine", "unsafe_home"),
        ("no clean clothes, been wearin the same trackies a week lol", "unsafe_home"),
        ("food in our fridge is all mouldy and theres nothing else", "unsafe_home"),
        ("i freeze when the front door slams cos i know whats coming next", "abuse"),
        ("they took my bank card and money goes in and out that isnt mine", "exploitation"),
        ("bare p for holdin sum ting in my room, dont tell staff innit", "exploitation"),
        ("got a new phone n creps from this man, only had to do sum favours", "exploitation"),
        ("someones been following me home from college the last 3 days", "violence"),
        ("a car keeps slowing down next to me when i walk to the bus stop", "violence"),
        ("goin opp block tonite wiv the mandem, might get messy", "violence"),
        ("ngl my mate got poked up last nite, were gunna ride out", "violence"),
        ("took like 20 of my tablets lol feel well weird now", "self_harm"),
    ],
)
def test_the_twelfth_probes_disclosures_alert_high(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        # Near misses in the same voices.
        "my room is freezing cos i leave the window open, my own fault",
        "man got shanked by an npc in gta lol the game is savage",
        "wore the same hoodie all week lol its my fave",
        "got a knife skin in cs2, worth like £80 lol",
        "got merked at 5 a side lol nutmegged 3 times",
        "i was homeless for a bit at 17 but now ive got my own council flat",
        "ive been out of the gang stuff for 3 years, best decision i ever made",
        "had an eviction notice last year but the council sorted it and im still in my flat",
        "i dont know anyone in a gang",
        "lol im going to jump off a cliff if i have to hear that song again",
        "im starving, i havent eaten in like 2 hours lol",
        "sat in the cold at the bus stop for 10 mins, practically homeless lol",
        "carer made me eat sprouts, thats child abuse fr 😂",
        "im gonna disappear for 3 days and just sleep lol",
        # Everyday and public lines.
        "Keep your knives in a block or on a magnetic strip, not loose in a drawer.",
        "Hit me with your best shot, I'm ready.",
        "Man who threatened staff at a petrol station has been handed a suspended sentence.",
        "Knife amnesty bins see hundreds of blades handed in across the West Midlands.",
        "A carbon monoxide alarm is a must if you have a gas boiler, fire or cooker.",
        "Got locked out of the work system again after too many password attempts.",
        "My partner overdosed on garlic butter and regretted it all evening.",
        "Talking about suicide does not put the idea in someone's head and can help them feel heard.",
        "I have got so many tabs open my laptop is about to take off.",
        "Score the pork skin with a sharp knife for crispy crackling.",
        "Keep all medicines in a locked cupboard, out of the sight and reach of children.",
        "That noob just jumped off the cliff on purpose, legend.",
        "He gets hit hard by the prop but offloads brilliantly.",
        "The heating at work is broken so we are all sitting in our coats.",
        "I swear this spreadsheet is trying to kill me.",
        "Domestic abuse helplines offer confidential advice to anyone who is worried about a relationship.",
        "burglars broke in next door but no one was hurt",
    ],
)
def test_the_twelfth_probes_near_misses_and_everyday_lines_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


# A helper reviewed the round's rules against the code before them (7 December, fifth session). Every disclosure it
# found that a new set-aside silenced alerts again (a first-aid rule, medicines in a locked cupboard, a song heard
# again, a boss who is a game's, a window, a carbon monoxide alarm, a phone locked, a kitchen knife, a boiler, a rap
# about one's own life, five-a-side, "for the best"); the narrowed or dropped rules are in risk.toml.
REVIEW_DISCLOSURES = [
    "i got jumped by the boss of the line last night for losing the pack",
    "im gonna end it all if i see that video again, the whole school has it",
    "i swear ill kill myself if i get another message from him about that video again",
    "kms if i have to go back to his house and hear that sound again",
    "i will end it all if we have to go through that lesson on families again, i cant do it",
    "i just want to disappear for a few days and sleep forever",
    "we are freezing cos we had the windows smashed in by my dads mates and nobody fixed them",
    "i need an ambulance my mum took all her pills and is not breathing",
    "should i call 999 my friend took loads of pills and she is unconscious",
    "first aid said to check but my sister took a whole box of tablets and now she is not breathing",
    "someone get an ambulance he stabbed my brother and hes not breathing",
    "my brother was unconscious after dad hit him, do i call an ambulance",
    "the carbon monoxide alarm keeps going off and the landlord says ignore it, we all have headaches",
    "he locked me out of my phone and my email so i cant contact anyone",
    "i peel the scabs off and cut deeper with a small knife",
    "i took 20 pills last night, they keep the rest in a locked cupboard",
    "i took all the pills from the medicine box, usually they are in a locked cabinet",
    "i took loads of tablets, the staff keep the meds in a locked cupboard but i found the key",
    "the boiler is going to kill me, it smells of gas and my carer says its fine",
    "my rap is about getting stabbed last week",
    "my big brother beats me up when he loses at csgo",
    "my brother strangles me when he loses, he plays counter strike",
    "he choked me till i passed out after the innings",
    "we sleep in our coats, the shop wont give mum credit for the meter",
    "the kids are in coats indoors because mums account is empty",
    "bruises from the staff at the childrens home",
    "my brother choked me over the xbox, hes always hacking",
    "my brother beat me up over the boundary rope",
    "my cousin chokes me every time we play mm2",
    "got stabbed by the boss lol",
    "ambulance came cos my mum overdosed and was unconscious",
    "called an ambulance my friend took 30 paracetamol and is unconscious",
    "cpr on my dad cos he overdosed and stopped breathing",
    "not breathing after he choked me, should i call 999",
    "the recovery position is what i did cos my bf strangled my sister and she is unconscious",
    "took 30 tablets from the meds in a locked cupboard",
    "i am going to kill myself if i get another bad video again",
    "i will kill myself if i have to hear that joke about my weight again",
    "i want to end it all if i see that tiktok of me again",
    "disappear for a few days and sleep forever is all i want",
    "we all sleep in our coats at home, the bus to school is the only warm place",
    "we are in coats indoors every evening, the shop wont take mums card",
    "im literally homeless 😭",
    "proper homeless lol",
]

# ...and every everyday line it found that a new alerting rule misread raises nothing from the lexicon now.
REVIEW_EVERYDAY = [
    "took all the tablets for my chest infection, finished the course",
    "my nan has taken all her tablets for today so we can go out",
    "has grandad taken all his meds, the pharmacy rang",
    "i have taken all the tablets in the blister pack so need a new prescription",
    "my dog has taken all his tablets for his worms, well done buster",
    "when the door goes i run down because i know whats coming, pizza friday",
    "as soon as mum gets home i start smiling because i know whats next, takeaway night",
    "as soon as the door slams i hide because i know whats gonna happen, surprise party practise",
    "money keeps coming into my account that isnt mine, the bank said its their mistake",
    "money went into my account that wasnt mine, i rang the bank and they reversed it",
    "my carer gives me £5 for keeping things tidy in my room",
    "i get pocket money for keeping stuff tidy in my room",
    "got some money for looking after it at mine, my neighbours hamster",
    "£5 for looking after things at mine while my aunt moves house",
    "my carer got a quote from a guy to do some jobs round the house",
    "we got a recommendation from a bloke at church to do a few jobs in the garden",
    "got a text from the man who does a few jobs for my nan, hes coming tuesday",
    "my foster mum hired help from the man next door to do some jobs on the shed",
    "i bought my bike off a lad who does some jobs at the garage",
    "we had a visit from the guy who does a few jobs at the youth club",
    "i got a message from a man on checkatrade who does a couple of jobs locally",
    "we got a quote from a bloke who did some jobs for next door",
    "im in the squad and no one knows yet",
    "i am in the final and nobody knows yet",
    "im at uni and nobody knows!",
    "im in recovery and nobody knows, two years clean from vaping",
    "i am in the team and nobody knows haha",
    "im in a relationship and nobody knows yet",
    "im in the newspaper and no one knows yet",
    "i am in shock, nobody knows!",
    "im in the musical and nobody knows yet",
    "some people follow me back on twitter",
    "a man followed me back on twitter, its a famous footballer",
    "someone has been following me to every class lol its my best mate",
    "some kids follow me everywhere at the youth club asking for sweets",
    "these lads follow me every day on snapchat streaks",
    "a car keeps stopping near me at the lights, it is my driving instructor",
    "the same van is always stopping near me, its the ice cream van lol",
    "a van has been stopping near me every day, its the amazon driver",
    "this car keeps pulling up next to me, its my foster mum picking me up",
    "the same car always pulling up beside me at the bus stop, my uncle giving me a lift",
    "a car kept slowing down next to me to ask for directions, they were tourists",
    "the same man in a car keeps pulling up next to me, its my driving instructor lol",
    "my brother got poked up the bum with a pencil lol",
    "i got poked up at the doctors for my flu jab",
    "got poked up the ribs by my mate at assembly",
    "the tent poles got poked up through the roof",
    "going to the ops block at the hospital for work experience",
    "heading to the ops block for my training at the fire station",
    "my dad went to the ops block at the army base today",
    "going to op block c for my surgery tomorrow",
    "going to ride out on my horse this weekend",
    "gonna ride out on the horses at the stables tomorrow",
    "we will ride out at ten from the yard",
    "about to ride out on scooters with my mates to the park",
    "finna ride out this bad mood with some music",
    "we will ride out into the countryside on our ponies",
    "we are sleeping in the van for a week in cornwall, camping holiday",
    "dad is staying in his van for a few weeks while he works in scotland",
    "we stayed in a van for a week on holiday it was class",
    "my nan is kipping in the car right now on the drive to scotland",
    "during ramadan we get one meal a day after sunset",
    "at the hotel we get one meal a day included",
    "we are allowed one meal a day on the hunger games challenge at youth club",
    "we are given one meal a day on the residential plus snacks",
    "i get one meal a day from the canteen, the rest i make myself",
    "we get given one meal a day on the hike, then we cook",
    "we keep pet rats in my room, they are so cute",
    "my pet rats in my bedroom had babies",
    "there are rats in the kitchen at the restaurant i work at",
    "my snakes eat the rats in my room, theyre frozen",
    "i am scared of rats in the kitchen after watching that video",
    "water keeps coming out of the plug in the sink, need a plumber",
    "water comes out of the plug when you pull it, science experiment",
    "rain is coming through the light at the bus shelter lol",
    "water is dripping from the light in the school toilets",
    "water keeps coming through the light in the science lab, we had to leave",
    "our ceiling just came down in the sims lol",
    "the boiler broke at school and nobody has fixed it yet lol no pe",
    "in science we learned you can get ill from the mould on bread",
    "blue cheese wont make you ill because of the mould",
    "my asthma gets worse in autumn cos of the damp weather",
    "my nan has a chest infection from the damp in her old house",
    "people get ill from mould so landlords must fix it, we learnt",
    "my cough is from the damp weather at football training",
    "mould makes me sick in minecraft",
    "damp gives me a cough every winter at the allotment",
    "no one has been shopping for ages, we do online deliveries",
    "nobody has gone shopping for days, the christmas rush is over",
    "no one has been shopping for a week, we are all on the holiday",
    "the tuck shop is empty theres nothing else to buy",
    "my piggy bank is empty theres nothing else to save",
    "the pitch is empty and theres nothing else to do on a sunday",
    "my carer will take me to the dentist next week cos my tooth hurts",
    "they will take me to the dentist in 2 weeks for my tooth pain",
    "my carer is going to take me to the doctors tomorrow cos my ear hurts",
    "she will take me to the hospital to get my cast off, it still hurts",
    "they would take me to the gp if i was in pain, they are good like that",
    "he is going to take me to the doctor about my swollen ankle",
    "nobody will take me to the dentist at the weekend cos its closed, ill go monday with the pain",
    "they will take me to a dentist on monday, its bleeding a bit",
    "wore the same hoodie all week lol its my fave",
    "been wearing the same socks for days for luck during the world cup",
    "in the same tracksuit for days at the sports camp",
    "wearing the same joggers all week on the residential",
    "wore the same top for days at the gaming tournament",
    "been in the same pants for 5 days on the hiking expedition lol",
    "wearing the same clothes all week on the school ski week",
    "i wore the same hoodie for days cos its my lucky one",
]


@pytest.mark.parametrize("text", REVIEW_DISCLOSURES)
def test_what_the_twelfth_review_found_hidden_alerts(text):
    from voice_service.analysis import screen

    assert screen(text).risk, text


@pytest.mark.parametrize("text", REVIEW_EVERYDAY)
def test_everyday_lines_the_twelfth_review_found_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text
