"""The thirteenth probe (issue 10, 7 December, fifth session): questions, a laugh, someone else, online and survey
answers.

Two helpers who had not read the screen wrote the probe: 300 disclosures (50 a category, in six kinds: asked as a
question, wrapped in a laugh, about a friend or sibling, about a younger child, online, and inside a survey answer) and
180 near misses in the same kinds, then 1,000 everyday and public sentences. The disclosures below had no lexicon line;
the near misses and everyday lines raised one. The probe was tuned on and is not kept.
"""

import pytest

from tests.analysis.rule_cases import check_high_alert, lexicon_categories


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("do u get in trouble if u go a&e for burns u did urself??", "self_harm"),
        ("how do u hide cuts from ur foster carers in summer when its boiling", "self_harm"),
        ("im in a whatsapp group where people count down to doing it together", "self_harm"),
        ("can my carer make me shower with the door open while he watches?", "abuse"),
        ("my foster carer records me getting changed and i think he puts it online", "abuse"),
        ("jk about the bruise being from football lol it was my stepdad", "abuse"),
        ("my sisters 15 and her teacher has been kissing her after class", "abuse"),
        ("my 6 yr old brother said grandad plays a secret game with him and it hurts", "abuse"),
        ("better wifi and a lock on my door bc my carers son comes in at night", "abuse"),
        ("lmao had to plug a package on the train it was so grim", "exploitation"),
        ("i got added to a telegram group that posts delivery jobs and they want my address", "exploitation"),
        ("do they stop looking for u after a few days?", "missing"),
        ("a girl i play roblox with said her older brother will pick me up and i can live with them", "missing"),
        ("theyve put my pic on the police fb page but im fine at my online bfs house", "missing"),
        ("anything to tell my sw? ive not slept at placement since last week", "missing"),
        ("i aint there, left on monday, staying with some man from the shop", "missing"),
        ("lol got initiated into the gang, had to take a beating from all of them", "violence"),
        ("i asked in a discord server how to get food bank vouchers cos theres nothing in the house", "unsafe_home"),
        ("should my carer let a man who just got out of prison for hurting kids live with us?", "unsafe_home"),
        ("my foster sisters mum has a new boyfriend whos on the sex offenders register", "unsafe_home"),
        ("my lil sis has nits and sores and no clean clothes, no one does anything", "unsafe_home"),
        ("how do you feel about being back home? hungry mostly, mum doesnt buy food", "unsafe_home"),
        ("more pocket money so i can eat, im only getting fed at school", "unsafe_home"),
        ("i want help with the damp, my beds wet and me and my sister keep getting ill", "unsafe_home"),
    ],
)
def test_the_thirteenth_probes_disclosures_alert_high(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        # Near misses in the same kinds.
        "what does county lines actually mean, we did it in pshe",
        "in pshe they said grooming can happen online, how do u spot it",
        "my mate got kicked out the group chat for spamming",
        "the toddler in my placement bit me when i took his toy off him",
        "my 8 yr old brother ran off in asda and we found him at the sweets",
        "my younger brother broke the tv remote by chucking it",
        # Everyday and public lines.
        "Any tips for getting a four-year-old to stay in bed? She keeps running away from bedtime like it's a game.",
        "My three-year-old says she's going to run away to Granny's house because I said no to a second biscuit.",
        "My teenager has gone missing in action again, he's been in his room since Friday with his headset on.",
        "Crossed the Severn Bridge in a gale and the car was getting shoved sideways.",
        "Someone in my lobby had a knife trade offer worth more than my whole inventory.",
        "Got shot from behind by a camper on Rust again, these people have no lives.",
        "Can't believe she cut her hair into a bob after the breakup, it looks incredible though.",
        "Landlord fined for illegally evicting tenants and changing the locks in Bristol.",
        "Our cat got locked in the airing cupboard all afternoon and was very offended.",
        "I'll kill him if he spoils the ending of the finale before I've watched it.",
        "I'm homeless until the decorators finish lol, sleeping at my nan's for a week.",
        "I've been locked in a battle with this flat-pack wardrobe for three hours.",
        "Our maths teacher is going to kill us with this homework load.",
    ],
)
def test_the_thirteenth_probes_near_misses_and_everyday_lines_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


# A helper reviewed the round's rules against the code before them (7 December, fifth session). Every disclosure it
# found that a new set-aside silenced alerts again (a term asked about or taught now blanks only the term; a toddler, a
# pet, a car in the wind, a game's knife trade, lobby and camper, homework that "kills", a spoiled ending, tenants in
# the news are each narrowed); the rules it found too wide are narrowed, made weak or dropped in risk.toml.
REVIEW_DISCLOSURES = [
    "what does it mean if my carer locks my little brother in the cupboard all day",
    "in pshe we did self harm and i have been cutting every night",
    "in assembly a police officer said knives kill and the lads on my estate stabbed my mate yesterday",
    "in pshe they explained county lines and thats what my olders have me doing",
    "i was feeding the toddler and his dad hit me when i took the bottle",
    "the toddler screamed and his dad kicked me when i took his toy",
    "toddler cried and mums bf hit me when i took her dummy",
    "the car kept being thrown about with me in the boot",
    "someone offered me a knife trade for my phone so i can carry one",
    "me and the dog got locked in the shed all night",
    "the dog was locked in with me in the cellar again",
    "my brother and the cat got locked in the bedroom by mum for two days",
    "they will kill me with all that work if i dont finish the drop",
    "the campers next to us got stabbed at the site last night",
    "my brother got shot in the lobby of the flats",
    "if he spoils the series ill murder him. dads going to shoot the neighbour tonight with his air rifle",
    "what does mandem mean cos the mandem stabbed my brother",
    "in pshe we learnt that nobody should lock kids in and my carer locks my little brother in his room",
    "in assembly a policewoman said gangs groom kids and the olders are grooming my little brother",
    "the dog got locked in the cupboard with my little sister for hours",
    "the car was being shoved about by the man driving with us kids in the back",
    "theyll kill us with the work they make us do, selling every night",
    "campers next to our tent battered my little brother",
]

# ...and every everyday line it found that a new alerting rule misread raises nothing from the lexicon now.
REVIEW_EVERYDAY = [
    "the burn i gave myself on the oven tray is finally healing",
    "look at this cut i gave myself with the bread knife making sandwiches",
    "that scar you did yourself on the trampoline when you were six is still there",
    "the cuts i made myself shaving my legs sting so bad",
    "hiding my scars from chicken pox with foundation for prom",
    "i wear long sleeves to cover my burns from the kitchen accident years ago",
    "put a plaster on to cover the cuts from the bramble bushes",
    "we are counting down to doing it live, the skydive is next week",
    "while i was cutting carrots my brother kept stealing them",
    "while i was cutting cardboard for the project the glue went everywhere",
    "while i was cutting through the park i saw a fox",
    "while i was cutting your fringe you kept moving",
    "while i was cutting back the hedge i found a birds nest",
    "i had a bath while my mum watched the telly downstairs",
    "had a long bath as my sister watched love island",
    "i was in the shower while he watched youtube",
    "she recorded me changing the lightbulb cos i was on a chair",
    "there were burns on the toast it was mum that made it",
    "my foster dad kissed my foster mum at their anniversary party",
    "my uncle kissed her at the wedding and everyone cheered",
    "the coach kissed him after he scored the winner",
    "my stepdad kisses my mum every morning its so embarrassing",
    "the manager kissed her at the christmas do and now they are dating",
    "my nan plays a special game with me at christmas with the crackers",
    "my dad plays a special game with my brother on his birthday",
    "our teacher plays a secret game with us on the last day of term",
    "my sister said i ruined her life by eating her chocolate lol",
    "my mum said i ruined her life when i got a tattoo haha",
    "my brother keeps saying i ruined his life cos i told him the ending of the film",
    "my best friend told me i ruined her life by moving schools",
    "she posted on tiktok that i ruin her life lol cos i stole her hoodie",
    "i want a lock on my door because my brother keeps coming in and taking my charger",
    "need a lock for my door because my dad walks in without knocking",
    "please get a lock on my door because my brother sneaks in and eats my sweets",
    "i plugged the pack in overnight but the controller still wont charge",
    "can you plug this pack in its for the camera",
    "we plug the bits in and then the speaker works",
    "i applied for delivery jobs and they want my bank details for wages",
    "the courier job wants my address and bank details before i start",
    "deliveroo delivery jobs need my bank account to pay me",
    "took the coach to london without an adult for the first time, im 17 now",
    "i got the megabus to manchester without id cos i forgot my railcard",
    "went on the bus to town without telling anyone cos i wanted to surprise mum",
    "when do employers stop looking for you after you apply",
    "how long before the hiring people stop looking for someone",
    "my nan will pick me up on friday and i can stay with her for the weekend",
    "dad will collect me up and i can stay with him for half term",
    "i play fortnite with my online friends every night",
    "going to a meet up with my online mates at comic con",
    "i was round my online mates on discord all night",
    "not been to the unit for two weeks cos i was on holiday",
    "never been to my placement since i started uni haha",
    "havent been to the hostel for a week because i got my own flat",
    "my nan is staying with a lady from her church while the house is done",
    "im living with a guy from uni in a student house next year",
    "staying with a woman who runs a b and b in cornwall for the holiday",
    "we are staying with a lady off airbnb its so nice",
    "got initiated into the crew at the theatre, i do lights now",
    "i jumped into the crew bus after the gig",
    "my savings had to take a beating at christmas",
    "the garden had to take a beating in the storm last night",
    "my bank account had to take a beating this month lol",
    "our team had to take a beating against the year 11s",
    "where can i get food near the station im starving lol",
    "how do i get food delivered at 2am im so hungry",
    "where can we get food after the cinema, im starving",
    "how can i get a meal deal for cheap, no money till payday lol",
    "where do you get food round here, nothing is open",
    "the living room floor is full of needles from the christmas tree",
    "my nans sewing room is full of needles and thread",
    "the christmas tree is dropping needles all over the carpet",
    "pine needles everywhere, should have got a fake tree",
    "my dad doesnt cook dinner he burns everything lol",
    "she wont make dinner tonight because were going to nandos",
    "my carer doesnt make meals on sunday we go to the carvery",
    "i only eat a meal at school on pizza fridays lol",
    "do you just get food at school or bring a packed lunch",
    "need more money so we can eat out at nandos for my birthday",
    "saving my pocket money so i can eat at wagamamas with my mates",
    "more money so i can eat better food at college would be nice",
    "the damp weather means i keep getting ill every winter",
    "this damp weather i keep getting sick with colds",
    "the dog came in damp from the rain and now my bed is soaking",
    "the tent got damp overnight and my bed s wet, worst camping trip ever",
    "heating on, food in the fridge, back at 6 love mum",
    "there is more food in the cupboard and the heating on in the lounge",
    "put the heating on when you get in, theres food in the fridge",
    "cold sores are so annoying, no clean lip balm in my bag",
    "the food bank collection at school was massive, now theres nothing in the cupboard at home"
    " cos mum donated it all lol",
    "food bank parcel for the school appeal, there is nothing better than helping",
    "while i was cutting wrapping paper the cat sat on it",
    "while i was cutting my sandwich in half my phone rang",
    "seekers always give up looking for me, im the best at hide and seek",
    "why do guys stop looking for you when you get a girlfriend lol",
    "the cut i did myself on the tin lid needed a plaster",
    "tips for covering my burns from the bonfire, they look gross in photos",
    "you should cover your cuts with a plaster before swimming",
    "we are all counting down to doing it, the school musical opens friday",
    "i had a shower and my brother watched tiktok in his room",
    "i was getting changed after swimming while my friends watched the diving",
    "my sister was naked in the bath as my mum watched her, shes 2 lol",
    "my dad photographed me getting changed into my prom dress",
    "my mum recorded me changing into my wedding dress for my sisters bridesmaid fitting",
    "the teacher kissed her husband at the leavers party",
    "our coach kissed my mum at the wedding reception, theyre married",
    "grandad plays a special game with us every sunday, its dominoes",
    "my carer plays a special game with my little brother to get him to brush his teeth",
    "my mum posts on facebook about how i ruined her life by being born, its a joke we have",
    "my teacher said i ruin everyones lives with my singing",
    "we made a card just for my olders, my big brothers",
    "courier jobs need my address to send the uniform",
    "quick cash jobs at the market asked for my bank details to pay us",
    "took the train to york without telling my mum but she knew i was going with school",
    "going on the flixbus to paris without an adult for the first time, so excited im 18",
    "my dad is picking me up tomorrow and i can stay with him for the holidays yay",
    "going to stay with my online friends family in spain this summer with my mum",
    "im staying with a woman from my mums work while mum is in hospital",
    "i had to take a beating on the stock market this year",
    "we had to take a beating in the exam board results",
    "where can we get a meal after the match, im starving",
    "my mum doesnt make dinner on tuesdays she works late so nan does it",
    "we just get fed at school on the trip days",
    "pocket money so i can eat at the cinema",
    "the mould from the shower spread and my bed is damp now, landlord is coming tomorrow to fix it",
    "damp season again, my whole class keeps getting ill",
    "nits again, no one takes the nit letter seriously at our school",
    "a man out of prison for hurting kids is living with us on eastenders lol",
    "the heating that works in my flat is the best thing about it, and some food in the fridge always",
]


@pytest.mark.parametrize("text", REVIEW_DISCLOSURES)
def test_what_the_thirteenth_review_found_hidden_alerts(text):
    from voice_service.analysis import screen

    assert screen(text).risk, text


@pytest.mark.parametrize("text", REVIEW_EVERYDAY)
def test_everyday_lines_the_thirteenth_review_found_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text
