"""Disclosures and everyday lines from a stranger's probe (issue 10, 7 December). A helper wrote 500 disclosures
from the issue's kinds without reading the screen, and these had no lexicon line (nor did the model reach its
threshold), so none alerted high: suicide slang and a method's things ready, county-lines drops and pay in kind, a
gang watching the home, food from bins, an adult who asks to see a young person's body. Their near neighbours in
everyday life raise nothing.

The same probe's everyday text (reviews, news, games, idioms) raised the lexicon on a lamb shank, "killed myself
laughing", a boss who "is going to kill me" and a whodunnit; these no longer do, and the threats, harms and places
beside them still alert high.

A second probe wrote 400 disclosures in hard styles (questions, a laugh, long replies with the disclosure in the
middle, very short text-speak, someone else) and in topics the lexicon had no lines for: FGM, forced marriage,
trafficking and modern slavery, radicalisation, sextortion, and drink and drugs. The lexicon now reads each in an
existing category (abuse, exploitation, self-harm, missing, not safe at home). Its everyday lines (health advice on
an overdose, a chef's knife sharpened, a hoax bomb threat, a gnome gone missing, a sister who dragged me to the
cinema) no longer raise the lexicon, and the harms beside them still alert high.

A third probe wrote 400 disclosures with no risk word, in street slang, with a laugh, as questions, or with a past that
is not over, and 1,000 everyday lines built to be hard: denials, a past clearly over, topics, games and second senses.
The lexicon now reads sh slang, cheffed and chinged, a rope in the wardrobe, money sent on to another account, the
belt; "aint" negates as "isnt" does; and a past is over in more everyday words ("im eating well now", "binned it ages
ago", "she got struck off", "stopped at 15"). A past that has started again, or that still goes on, still alerts."""

import pytest

from tests.analysis.rule_cases import check_high_alert, lexicon_categories


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my sister showed me messages from a teacher telling her shes beautiful and not to tell", "exploitation"),
        ("my foster sibling eats out the bin cos they dont give him enough", "unsafe_home"),
        ("been hoarding co codamol from the chemist 2 boxes at a time", "self_harm"),
        ("i posted all my passwords in a note for my sister", "self_harm"),
        ("everything is sorted now i made my peace", "self_harm"),
        ("left my keys and bank card on the side for my carer with a note", "self_harm"),
        ("got the lighter and the charcoal in my room", "self_harm"),
        ("been on forums reading how people did it and what worked", "self_harm"),
        ("dont need the leaving care grant anymore give it to someone else", "self_harm"),
        ("missed my contact sessions and havent been at the home since the weekend", "missing"),
        ("got a pay as you go and a list of addresses to drop to", "exploitation"),
        ("a youtuber i met in a discord server sends me gifts and wants to meet", "exploitation"),
        ("im just selling a bit of bud for my mate its not that deep", "exploitation"),
        ("they shaved my head when i came back short on the money", "exploitation"),
        ("i got paid in trainers for taking a bag to brum", "exploitation"),
        ("my boyfriend wants me to make an onlyfans and hes gonna manage it", "exploitation"),
        ("they pay me in food and a bed to stay and i do deliveries", "exploitation"),
        ("i run a line out in norfolk most weekends its easy money", "exploitation"),
        ("the phone has to be answered no matter what time it is or im in trouble", "exploitation"),
        ("been moving work between towns for a guy called t", "exploitation"),
        ("gang keep rolling past my flat slow and staring", "violence"),
        ("they tagged my insta with a pic of a coffin", "violence"),
        ("i need to move they found out where my new placement is", "violence"),
        ("theres a drill track about me now with my name in it", "violence"),
        ("theyve been telling everyone im a snake and im getting dealt with", "violence"),
        ("the boiler been broke since november nobody fixing it", "unsafe_home"),
        ("they make me eat separate from the family and only after they finish", "unsafe_home"),
        ("i have asthma and they wont get my inhaler refilled", "unsafe_home"),
        ("my foster carer took my bank card and keeps my money", "abuse"),
        ("i been eating out of bins behind the shops", "unsafe_home"),
        ("they dont let me use the heating its only on for their bedrooms", "unsafe_home"),
        ("ive been stopping at different peoples flats and some of them are proper dodgy", "missing"),
        ("my foster mum only feeds her own kids we get toast", "unsafe_home"),
        ("the house is covered in dog mess and mould and no one cleans", "unsafe_home"),
        ("i ctb soon", "self_harm"),
        ("idk how much longer i can do this", "self_harm"),
        ("i drank bleach a bit to see what would happen", "self_harm"),
        ("honestly feel like ending myself", "self_harm"),
        ("the care worker keeps asking to see my body and says its a health check", "abuse"),
        ("i got no shoes that fit and its winter", "unsafe_home"),
        ("some lads from the other side of town said im getting wet up", "violence"),
    ],
)
def test_they_alert_high_in_their_category(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "we cut the onions and ended the lesson early",
        "i used bleach to clean the bathroom",
        "dont drink bleach lol",
        "we had a bbq with charcoal in the garden",
        "bought a bag of charcoal for the bbq",
        "my mum is saving up for a holiday",
        "how people did it in the olden days was mad",
        "everything is sorted now i start college monday",
        "i made my peace with moving schools",
        "i left my keys at school",
        "left my phone on the bus",
        "dont need my old bike anymore",
        "we won the match 3 nil against the other side",
        "i am selling my old xbox",
        "im selling cakes at the bake sale",
        "selling sweets at school lol",
        "i came back short of breath after the run",
        "im short on money this month",
        "the phone has to be answered politely at my work",
        "i ran a line of code",
        "i run a line at the chippy on saturdays",
        "moving boxes for my uncle",
        "my nan sends me presents and wants to meet up at christmas",
        "my dad sent me money and wants to meet for lunch",
        "my sister is beautiful and i dont tell her enough",
        "the foxes eat out of the bins every night",
        "seagulls eating out of the bins again",
        "they make me eat my veg",
        "my foster mum only cooks vegan food",
        "they dont let me use the xbox after 10",
        "the boiler was broken for a day",
        "my inhaler ran out so i got a new one from the chemist",
        "the dog made a mess on the carpet",
        "i need new shoes these dont fit",
        "my mates drive past my house slowly to beep",
        "a picture of a coffin for our halloween project",
        "my mum found out where i live now and she came for tea",
        "my cousin made a drill track about his ends",
        "we are getting wet at the water park",
        "staying at different hotels on holiday",
        "the doctor asked to see my arm",
        "my carer keeps my bank card safe for savings",
        "i got paid in cash for babysitting",
        "i get paid to deliver food for deliveroo",
        "i got paid to take bags to the charity shop",
        "the care home staff asked to see my room",
    ],
)
def test_their_everyday_neighbours_do_not(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Classic whodunnit where the victim was stabbed in a locked room on a moving train.",
        "Bash the garlic with the flat of your knife to remove the skin easily.",
        "my character keeps getting one shot by the dragon, what armour should i use",
        "We are collecting coats and blankets for people sleeping rough in the city centre.",
        "My dad said he would kill for a cup of tea, so I made him one before anyone got hurt.",
        "Our waiter recommended the lamb shank and it fell off the bone, absolutely gorgeous.",
        "My boss is going to kill me, I have completely forgotten the report.",
        "A 14-year-old boy was stabbed near a school in south London and remains in hospital.",
        "I nearly killed myself laughing at his best man speech.",
        "My nan will kill me if I miss Sunday dinner again.",
        "i started boxing and got a black eye in sparring but its part of it",
        "my little sister bit me lol shes 3",
    ],
)
def test_the_probes_everyday_lines_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my dad said he will kill me if i miss curfew again", "violence"),
        ("my stepdad will kill me if i tell anyone", "violence"),
        ("he said he would kill for the gang and he has a knife", "violence"),
        ("i have been sleeping rough for a week", "missing"),
        ("my dad gave me a black eye after football", "abuse"),
        ("my foster brother bit me and i have bruises", "abuse"),
        ("my brother was stabbed near our school and remains in hospital", "violence"),
        ("someone from the other side of the estate said they will stab me", "violence"),
        ("my mum will kill me if she finds out i told you", "violence"),
        ("some lads from the other side of town said im getting wet up", "violence"),
    ],
)
def test_threats_and_harms_beside_them_still_alert(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("can i still get a say in the review if i'm not planning on being around by then", "self_harm"),
        (
            "why must i sit on the kitchen floor to eat while the real family eats at the table? is that allowed",
            "unsafe_home",
        ),
        ("does the council help if youve slept in your car for 3 weeks since the tenancy ended", "missing"),
        (
            "is it wrong that i agree with the guys in the telegram group who want to start hurting immigrants",
            "exploitation",
        ),
        ("do all families take you out of school to get engaged to someone you've never met?", "abuse"),
        ("is refusing the wedding my uncles have planned for me in pakistan this summer an option", "abuse"),
        ("if my family keep my passport so i cant come back after the holiday, can you do anything", "abuse"),
        ("would they really disown me for refusing my cousin as a husband? dad says ill be dead to them", "abuse"),
        ("do all girls in my family have to get cut when they go back home in the holidays", "abuse"),
        ("my aunties say im having a special ceremony in somalia to make me clean, what does that mean", "abuse"),
        ('how do i stop my little cousin from being taken abroad to be "cut"', "abuse"),
        ("should it still hurt down there years after what they did to me as a little girl", "abuse"),
        ("will i be deported if the people who brought me over still have my papers and make me work", "exploitation"),
        ("i'm made to work and sleep at a cannabis farm, who do i tell", "exploitation"),
        ("why do i need a drink as soon as i wake up just to stop shaking", "self_harm"),
        ("lol tbh i probs wont be around for the next survey so", "self_harm"),
        ("\ud83d\ude02 foster dad says our special cuddles are a secret, its fine", "abuse"),
        ("mum says she wishes she had an abortion lmao classic", "abuse"),
        ("lol my partner took every penny and my phone again but im used to it", "abuse"),
        ("haha got passed round at a party for a bottle of vodka, its whatever", "exploitation"),
        ("spent the half term in a crack den in swansea lol jokes", "exploitation"),
        ("its fine i just pay him out my bursary so he doesnt share the pics", "exploitation"),
        ("hostel neighbour set his room on fire last night lol loving it here", "unsafe_home"),
        ("\ud83d\ude02 the ceiling fell in on my bed, living the dream", "unsafe_home"),
        ("haha my mates want to blow up the mosque, probs just talk", "exploitation"),
        ("joined a group that says race war is coming, its a laugh but they're buying guns", "exploitation"),
        ("lol im getting married in bangladesh next month apparently, news to me", "abuse"),
        ("my parents picked my husband haha hes 40", "abuse"),
        ("its fine tho the wedding is only a nikah not a real one, i'm 15", "abuse"),
        ('haha my lil sis is getting "the procedure" this summer apparently', "abuse"),
        ("the cutting hurt so much \ud83d\ude02 but its tradition so whatever", "abuse"),
        ("lol im basically a slave at this car wash, no pay just sleep in the back", "exploitation"),
        ("they've got my passport haha so i work for them until its paid off", "exploitation"),
        ("\ud83d\ude02 sold to a family as a cleaner, at least i get to sleep on the sofa", "exploitation"),
        ("drank a whole bottle of vodka before school lol", "self_harm"),
        ("its fine i only inject on weekends", "self_harm"),
        (
            (
                "I like my key worker she's sound. We went bowling. Been swallowing batteries and stuff when I'm "
                "stressed, ended up in A&E twice this month but didn't tell them why. Would like more pocket money "
                "for the bus though, it's £2 each way"
            ),
            "self_harm",
        ),
        (
            (
                "dunno what to say really. school is boring, phone is old, carers are fine i guess. last week i "
                "walked onto the railway line and sat there waiting for a train for ages. someone shouted and i "
                "left. can i get new football boots"
            ),
            "self_harm",
        ),
        (
            (
                "we went to the beach in the holidays and it was freezing lol. school is alright. my foster mum "
                "shakes the little one really hard when he cries and once threw him on the sofa. i didnt know who "
                "to tell. anyway i like pizza"
            ),
            "abuse",
        ),
        (
            (
                "not much to report, got my GCSE results and passed english. my older foster brother has been "
                "making me do sexual things in his room since i moved in. i dont want to get him in trouble. also "
                "the wifi keeps cutting out during fifa"
            ),
            "abuse",
        ),
        (
            (
                "honestly the placement food is rank but my key worker is nice. a teacher at my old school messages "
                "me at night and last month he had sex with me in his car, he says its a relationship. i need new "
                "school shoes as well"
            ),
            "abuse",
        ),
        (
            (
                "my phone's alright, takes good photos. i'm on the school council now. my dad rings me every night "
                "to tell me i'm the reason the family split up and that i should have never been born, it goes on "
                "for hours. we had roast dinner today"
            ),
            "abuse",
        ),
        (
            (
                "tea was burgers. my mock exams are in two weeks. last night my mum's boyfriend had her up against "
                "the wall by her throat while my sisters were watching and we all called 999 but she told them it "
                "was nothing. football later"
            ),
            "abuse",
        ),
        (
            (
                "My placement is really nice and my room is big. After school I hang out at a takeaway where the "
                "men give me free food and drink and then I'm expected to go upstairs with some of them. I'm doing "
                "well in art and made a clay pot"
            ),
            "exploitation",
        ),
        (
            (
                "i started at the youth club on tuesdays, its fun. there's a guy in his 20s who picks me and my "
                "mate up and drives us to flats in other towns where men pay him to be with us. school is alright. "
                "i like fried chicken"
            ),
            "exploitation",
        ),
        (
            (
                "school's alright, btec in sport is good. last weekend they sent me to a town in kent with a phone "
                "and a bag and i had to stay in a druggies flat for four days. my carer thinks i was at my mates. "
                "food here is fine"
            ),
            "exploitation",
        ),
        (
            (
                "College is ok, I'm doing media. Somebody on Instagram tricked me into sending a video and now they "
                "want £1000 or they'll send it to all my contacts and the school, I haven't slept for days. I also "
                "want to join the football team"
            ),
            "exploitation",
        ),
        (
            (
                "the chippy job is sound, free chips lol. i sent some pictures to a girl i met online and it turns "
                "out it was a scam, they keep demanding money and i've already given them my savings. my birthday "
                "is next month"
            ),
            "exploitation",
        ),
        (
            (
                "new school uniform is grim but it's fine. a lad from year 11 has a photo of me with no top on and "
                "says he'll share it unless i send more, and i've sent three already. i like art and hope to take "
                "it for gcse"
            ),
            "exploitation",
        ),
        (
            (
                "college is fun, doing catering. my flat has rats and the boiler has been leaking carbon monoxide "
                "and the alarm goes off, the landlord says to take the battery out. sorted my phone contract though "
                "so that's good"
            ),
            "unsafe_home",
        ),
        (
            (
                "I'm doing alright at college and I like history. I've been going to meetings with a group who say "
                "we need to take our country back by force and they're teaching us how to make stuff that explodes. "
                "I also like playing COD"
            ),
            "exploitation",
        ),
        (
            (
                "food is decent, we have a bbq sometimes. my older cousin has been taking me to a flat where they "
                "watch isis videos and he says i should travel to syria with him. school is boring, want to do "
                "engineering"
            ),
            "exploitation",
        ),
        (
            (
                "been playing a lot of football and some of the lads i met there have got me into this group that "
                "says we have to kill traitors, they've given me a list of names. my carers are nice. sunday dinner "
                "was good"
            ),
            "exploitation",
        ),
        (
            (
                "School is going well and I'm hoping to be a doctor. My parents are planning to take me to Pakistan "
                "in the summer to marry my cousin and I'm only 16, they'll take my phone when we get there. I love "
                "my little sister"
            ),
            "abuse",
        ),
        (
            (
                "my foster carer is teaching me to drive which is ace. my birth family keep contacting me saying "
                "they've arranged my wedding and my brothers will come and take me. college feels scary now. food "
                "is great"
            ),
            "abuse",
        ),
        (
            (
                "I'm in year 6 and I love reading. My mum says when we go to Sudan in the holidays there's going to "
                "be a party and I'll be cut like a woman. I'm scared. I love rice and chicken the most"
            ),
            "abuse",
        ),
        (
            (
                "school is ok i like science. my aunty said my sister is going to have the cutting done when she "
                "turns 8 and a lady is coming to the house to do it. i dont want her to be hurt. pizza is my "
                "favourite"
            ),
            "abuse",
        ),
        (
            (
                "im doing well at college, studying nursing. i was cut when i was 7 and now i have really bad pain "
                "and infections and i've never told a doctor. the hostel meals are alright"
            ),
            "abuse",
        ),
        (
            (
                "doing well in maths and computers. my uncle who is not my real uncle brought me here and i work at "
                "his car wash after school every day and he keeps my money. i sleep in the stockroom. i want to "
                "play football more"
            ),
            "exploitation",
        ),
        (
            (
                "the new phone is great and i started a job at sports direct. i'm using coke most days now and i've "
                "been borrowing money from a dealer who's getting nasty about it. i like the new carers"
            ),
            "self_harm",
        ),
        (
            (
                "been enjoying college, doing bricklaying. my carer and her boyfriend smoke crack in the kitchen "
                "and give me some when i ask. tea is usually noodles. football on sunday"
            ),
            "unsafe_home",
        ),
        ("scratchd til it bled", "self_harm"),
        ("dad broke my nose", "abuse"),
        ("bf broke my ribs", "abuse"),
        ("passd round at the flat", "exploitation"),
        ("bein blackmaild over vid", "exploitation"),
        ("slepin at some mans", "missing"),
        ("sleepin in a bin shed", "missing"),
        ("gonna join the fight over there", "exploitation"),
        ("they want me 2 bomb it", "exploitation"),
        ("race war soon im ready", "exploitation"),
        ("brothers sayin kill the kuffar", "exploitation"),
        ("they marryin me off", "abuse"),
        ("gettin married in pak nxt month", "abuse"),
        ("wedding planned im 15", "abuse"),
        ("dad took my passport 4 wedding", "abuse"),
        ("man has my passport", "exploitation"),
        ("brought here made 2 work", "exploitation"),
        ("drinkin evry mornin", "self_harm"),
        ("m8 took sumthin not breathin", "self_harm"),
        ("i saw my mums partner throw my baby brother onto the bed and he's only 4 months", "abuse"),
        ("a resident at our hostel told me the key worker has been having sex with her, shes 16", "abuse"),
        ("my brother's carers make him eat his dinner in the garden like a dog when he misbehaves", "unsafe_home"),
        ("my sister's boyfriend put her in hospital and she went back to him, she's pregnant", "abuse"),
        ("my aunty who i live with gets strangled by her husband, i hear it through the wall", "abuse"),
        (
            "my brother is paying some scammer every week because they have a video of him, hes 15 and skint",
            "exploitation",
        ),
        ("a boy at my college showed me a pistol in his bag and said he's going to sort out the teachers", "violence"),
        (
            "my nephew is 2 and i found him wandering on the main road on his own while my sister was passed out",
            "unsafe_home",
        ),
        ("a girl at school has had her passport taken by her brothers so she cant escape the wedding", "abuse"),
        ("my cousin is 14 and she's engaged to some bloke from back home, the wedding is this summer", "abuse"),
        ("my youngest sister will be cut on our trip to Egypt, mum already booked the flights", "abuse"),
        (
            "theres a lad on my course who works in a car wash all night and sleeps there, the boss keeps his passport",
            "exploitation",
        ),
        (
            "my cousin came from vietnam and is kept in a nail bar flat with other kids, they never go out",
            "exploitation",
        ),
    ],
)
def test_the_second_probes_disclosures_alert_high_in_their_category(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "never take more than the recommended dose of paracetamol, an overdose can damage your liver",
        "call 999 if someone has taken an overdose even if they seem fine",
        "sharpen your chef knife before you start chopping, blunt blades are more dangerous",
        "my dad cut his thumb on the stanley knife doing the carpet, just a plaster job",
        "a care home was closed after inspectors found residents were left without food and water",
        "the school was evacuated after a bomb threat that turned out to be a hoax",
        "the report says online grooming cases have risen, urging parents to check privacy settings",
        "i reckon more youth clubs would help, theres nowhere to go",
        (
            "i play rugby for the school and got a massive bruise on my thigh from a tackle, my carer put frozen "
            "peas on it and said i was being dramatic, which is true, im playing again next week"
        ),
        (
            "honestly i am just tired of exams, revision is killing me, but my carer bought me snacks and made a "
            "revision timetable, and my social worker said she would get me a tutor for maths"
        ),
        (
            "my carer dragged me along to a gig, it was her favourite band from the nineties, i only knew one song "
            "but the atmosphere was class, she was dancing like a maniac, so embarrassing"
        ),
        (
            "my sister dragged me to the cinema to see a horror film, she held my hand the whole time, afterwards "
            "we got pizza and she admitted she was more scared than me, i knew it"
        ),
        (
            "the new game has a level where you are chased by a monster in a hospital, i played it with the lights "
            "off and regretted it, my foster brother laughed his head off at me jumping"
        ),
        (
            "the local news said someone had been stealing gnomes from gardens, they found forty in a shed, my "
            "carer was relieved because her gnome went missing and now it is back on the patio"
        ),
        (
            "my uncle taught me to carve a chicken on sunday with the big knife, i made a mess of it but everyone "
            "said it tasted fine, then we played cards and my auntie won every round"
        ),
        "my sims character set the kitchen on fire trying to cook",
        "my cat went missing for two days but she came home",
    ],
)
def test_the_second_probes_everyday_lines_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my dad said he will get me when i get home", "violence"),
        ("my mum dragged me to my room by my hair", "abuse"),
        ("i have been missing for two days and nobody knows", "missing"),
        ("my sister went missing last night and her phone is off", "missing"),
        ("my landlord turned the electric off cos im behind on rent", "unsafe_home"),
        ("the electric is off and we have no food", "unsafe_home"),
        ("i have been sleeping rough since friday", "missing"),
        ("she is making me do sexual things after football", "abuse"),
    ],
)
def test_harms_beside_the_second_probes_everyday_lines_still_alert(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("left all my passwords written on a card for my PA so she can close my accounts", "self_harm"),
        ("there's a note on my pillow for the night worker, please make sure she reads it before morning", "self_harm"),
        ("bought a length of washing line and some tape after school, it's in my wardrobe", "self_harm"),
        ("wrote down what songs I want played and put the list with my birth certificate", "self_harm"),
        ("left at 2am and just kept walking, no idea when ill be back", "missing"),
        ("came back this morning after the weekend, dont ask where I was cos i honestly couldn't tell you", "missing"),
        ("got off the train at the last stop and have no clue where I am, phone on 4%", "missing"),
        ("someone gave me a new iphone and 200 quid, I just have to keep a parcel at mine for a bit", "exploitation"),
        ("got a second phone that only has one number in it, they text me where to be", "exploitation"),
        (
            "£600 landed in my account from a person I've never met and they want me to send it on to another account",
            "exploitation",
        ),
        ("got in at 6 this morning and most of the night is blank, my phone's full of numbers I dont know", "abuse"),
        (
            "they pass me round their friends at the flat and I get a bit of money, its how i pay for things",
            "exploitation",
        ),
        (
            "had to wear long sleeves to my appointment so the worker didn't see my arms after last night with him",
            "abuse",
        ),
        (
            "door was locked when i got home at 9 and nobody's answering, been on the step two hours in the rain",
            "missing",
        ),
        (
            (
                "ceiling in the bedroom came down last night and water is pouring onto the sockets, me and the kids "
                "are in the kitchen"
            ),
            "unsafe_home",
        ),
        ("they've got me moving food from the trap in Ipswich, phone don't stop", "exploitation"),
        ("my boy got cheffed outside college and word is im next", "violence"),
        ("hit styro for the first time, cant tell anyone in the house", "self_harm"),
        ("lowkey been catting again on my thighs, the cat scratches are worse now", "self_harm"),
        ("im strapped now, aint getting caught slipping again", "violence"),
        ("been in a madness wiv my ends, got chinged last wk and the boys want mans back", "violence"),
        ("bf keeps boxing me when hes gassed on coke, i dont wanna press it", "abuse"),
        ("my foster dad been lumping me up when i come in late, bust my lip", "abuse"),
        ("got a burner and a draw of P's, meant to go county tomorrow", "exploitation"),
        ("chicken shop guy gives me free food n vapes, says i'll settle up in other ways", "exploitation"),
        ("did a bit of sh earlier, its still leaking thru the plasters", "self_harm"),
        ("feel like jumping off the multi tbh, that's how i wanna go out", "self_harm"),
        ("gotta drop 3 nines a week for the elders, they got my address", "exploitation"),
        ("got spiked at the rave n woke up in some mans yard, my jeans were off", "abuse"),
        ("sh is my only coping ting again, lost count how many times this week", "self_harm"),
        ("tings are heated, they're cruising by my ends with a gat", "violence"),
        ("barcoded my arm after the meeting, thinking of going deeper", "self_harm"),
        ("haha took everything in the medicine box about an hour ago, feeling floaty", "self_harm"),
        ("got paid to keep some older men company at a party haha easiest £50 ever", "exploitation"),
        ("jk i'm fine!! (the rope is in my wardrobe)", "self_harm"),
        ("got a lovely purple eye from mum's boyfriend 😂 matches my hoodie", "abuse"),
        ("haha the leccy card's got 20p on it and its snowing", "unsafe_home"),
        ("jk he doesnt hit me that hard", "abuse"),
        ("lol i'm on a beach in wales, no idea how i got here, phone dying", "missing"),
        ("my foster mum calls me a little slag at least three times a day 😂", "abuse"),
        ("haha bled through my school shirt in science, had to say it was paint", "self_harm"),
        ("lol the belt comes out every time i get a detention", "abuse"),
        ("not allowed to talk at tea or i get sent upstairs hungry, its fine im used to it", "unsafe_home"),
        ("bf nicked my card again lol, got 0 for the baby's milk", "unsafe_home"),
        ("haha the B&B has one toilet for 20 people and a bloke keeps following me to it", "unsafe_home"),
        ("😂 ordered 200 paracetamol off some website, arrive tomorrow", "self_harm"),
        ("lol pretty sure ill be dead by the weekend, anyway hows your day", "self_harm"),
        ("how long must I put up with being screamed at every day before someone helps", "abuse"),
        ("where can I get food today, I've got nothing and the baby is hungry?", "unsafe_home"),
        ("can you help with heating, the flat is freezing and my little one has a cough?", "unsafe_home"),
        ("they wont let me back in the house and its midnight, where do i go?", "unsafe_home"),
        ("is it weird that I feel calm now I've decided?", "self_harm"),
        ("how do I explain to school why I can't sit down after what he did with the belt?", "abuse"),
        ("can you get pregnant the first time, the man at the party didn't use anything and i didnt want to", "abuse"),
        ("would I get in trouble if I said what my coach does after training?", "abuse"),
        ("do other carers read your diary out at dinner to laugh at you?", "abuse"),
        ("is it wrong that I let his friends do stuff so he doesn't get angry?", "exploitation"),
        ("is it ok to keep a secret phone a man bought me so we can talk?", "exploitation"),
        ("can you top up my meter? its -£5 and my kids are in coats indoors", "unsafe_home"),
        ("the men from when I was 14 are messaging me again from new numbers", "exploitation"),
        ("the voices telling me to do it are back", "self_harm"),
        ("been returning to the same spot on the railway, like i did last year", "self_harm"),
        ("not sure how many nights I've been away now, lost count", "missing"),
        ("the leak's still there, the electrics keep sparking again and the baby's room is soaked", "unsafe_home"),
        ("I had a plan in the summer and it's come back, the same one, with a date", "self_harm"),
        ("the hitting never really stopped, it just moved to where people can't see", "abuse"),
        ("same people from before have my bank details and there's money going through again", "exploitation"),
    ],
)
def test_the_third_probes_disclosures_alert_high_in_their_category(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "i aint going missing, just at the library",
        "suicide has never crossed my mind",
        "i aint scared of him",
        "i aint involved in county lines or anything like that",
        "i aint suicidal fam",
        "ending things isnt on my mind",
        "i aint being blackmailed",
        "i used to starve myself but im eating well now",
        "the old kids home had fights every night, glad im out",
        "i overdosed once when i was 14, been well for years since",
        "i got stabbed at a party 2 yrs back, fully healed and i dont go out with them lot now",
        "i got jumped in year 9, nothing since",
        "i used to carry a blade for protection, binned it ages ago",
        "i was in hospital after self harming in 2021, been fine since",
        "got groomed online when i was 12, it got reported and hes locked up",
        "my birth dad used to beat my mum, ive had no contact in a decade",
        "i was trafficked as a child, im an adult now and settled",
        "i ran off with a boy at 14, that was a bad time, im past it",
        "my old mates were into knives, i dont hang with them now",
        "i used to go missing to meet people, stopped at 15",
        "i self harmed in my teens, im 21 now and fully through it",
        "i used to hurt myself with a lighter, stopped at 14",
        "i was abused by my first foster carer, she was struck off, im with a lovely family now",
        "my old boyfriend used to threaten to leak pics, he got cautioned ages ago",
        "i went through a phase of running away, grew out of it",
        "me and my mate ran off for one night at 12, we laugh about it now",
        "no food or heating back in my early years, different story now",
        "my old carer hit me once, she got deregistered, my new one is lush",
        "i used to wish i was dead but i changed my mind lol",
        "a man followed me home once last year, never happened again",
        "my old placement had staff who grabbed us, the new one doesnt",
        "i ran off from contact once at 12, laughs now",
        "i shot up like 3 inches this year",
    ],
)
def test_the_third_probes_denials_and_pasts_that_are_over_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i used to self harm and i started again last week", "self_harm"),
        ("he used to hit me and he still does when mum is out", "abuse"),
        ("i was in a gang at 14 and they wont let me leave", "violence"),
        ("my old boyfriend keeps threatening to leak my pics", "exploitation"),
        ("i used to starve myself and im doing it again now", "self_harm"),
        ("i aint safe at home", "unsafe_home"),
        ("nobody knows i aint got no food", "unsafe_home"),
        ("he said he will kill me if i dont pay, i aint joking", "violence"),
        ("i shot up heroin last night", "self_harm"),
        ("i stopped at 15 but started cutting again this month", "self_harm"),
        ("the hitting never stopped", "abuse"),
    ],
)
def test_a_past_started_again_or_still_going_on_still_alerts(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        # A review of the probes' rules found three everyday shapes they read as harm.
        "i got cut when i was playing on the fence",
        "i got cut when i was climbing the tree in the park",
        "i got cut when i fell off my bike",
        "went to my cousins wedding, i am 13",
        "going to my aunties wedding in pakistan, i am 13 and so excited",
        "i laughed so hard i stopped breathing lol",
        "we were laughing so much i literally stopped breathing",
        "i stopped breathing from laughing",
        "making marriage work is hard",
        "she made marriage look easy",
    ],
)
def test_an_injury_at_play_a_relatives_wedding_and_a_laugh_that_took_the_breath_raise_nothing(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("im getting cut when we go back home this summer", "abuse"),
        ("they said i will be cut when i turn 12", "abuse"),
        ("my sister got cut when she was 7 back home", "abuse"),
        ("i am going to get cut in the holidays", "abuse"),
        ("went to my sisters wedding she is 14", "abuse"),
        ("my wedding is next month and i am 14", "abuse"),
        ("they are planning my nikah and i am only 13", "abuse"),
        ("my cousin is 14 and they are forcing her to marry", "abuse"),
        ("dad is making my sister marry a man from back home", "abuse"),
        ("my parents are pushing me into marriage", "abuse"),
        ("at my uncles wedding my uncle hit me, i am 13", "abuse"),
        ("my little brother stopped breathing", "self_harm"),
        ("he put his hands on my neck and i stopped breathing", "self_harm"),
        ("my mate isnt breathing help", "self_harm"),
    ],
)
def test_the_harms_beside_them_still_alert(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # One home each for a name in a drill track and for "wet up" (7 December, review): whose name it is, and
        # whoever is getting wet up, as before.
        ("my brothers name is in a drill track", "violence"),
        ("my mates name got mentioned in a drill video", "violence"),
        ("they put his name in a drill song", "violence"),
        ("they put me in a drill track", "violence"),
        ("i got mentioned in a diss track", "violence"),
        ("im getting wet up", "violence"),
        ("he gets wet up if he goes there", "violence"),
    ],
)
def test_a_name_in_a_drill_track_and_getting_wet_up_alert(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "i am in a drill video lol with my mates",
        "im on a drill track with my mates",
        "the name of the drill track is mad",
    ],
)
def test_making_drill_music_raises_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # A fourth probe (7 December, third session), of this session's rules: FGM and forced marriage said
        # indirectly, a name or an address in a track, an assault told by its pleading, a carer starving a child.
        ("i was beggin him to stop but he kept goin", "abuse"),
        ("theyre having a party for me back home and i think its for the cutting", "abuse"),
        ("were going abroad in the holidays so i can be cut nobody asked me", "abuse"),
        ("grandma said a special lady will come to make me clean down there", "abuse"),
        ("my sister is 14 and her wedding is already planned she cries every night", "abuse"),
        ("they took my passport and say im engaged to someone i never met", "abuse"),
        ("mum says ill meet my husband when we fly out im only 13", "abuse"),
        ("my sister in year 9 has been promised to a man in pakistan", "abuse"),
        ("theyre doing my engagement party on saturday and im 14 i dont even know him", "abuse"),
        ("my family keep saying ill be a wife by next year im in year 10", "abuse"),
        ("theres a track out with my address in it", "violence"),
        ("they said my name in a drill verse and my foster carer doesnt know", "violence"),
        ("my foster carer is starving me as punishment", "abuse"),
        ("my sister is getting married, she is 14", "abuse"),
    ],
)
def test_the_fourth_probes_disclosures_alert_high_in_their_category(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "my dads getting married again shes alright i suppose im 15",
        "mum is getting married to her partner of ten years im 13 and giving her away",
        "my best mates mum is getting remarried and im invited im 15",
        "i begged him to stop but he kept tickling me lol",
        "i told her to stop but she kept going on about my room",
        "we are going abroad for a holiday so i can get my hair cut",
        "my wedding is booked for june and i am so happy",
        "my engagement party was amazing, im 24 now",
        "im promised to myself to do better this year",
    ],
)
def test_the_fourth_probes_everyday_lines_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # A blow or starving done to a brother, sister or cousin, as to "me" (7 December, third session).
        ("my carer starves my little sister", "abuse"),
        ("they starve my little brother", "abuse"),
        ("she slaps my brother every day", "abuse"),
        ("my stepdad touches my sister", "abuse"),
        ("my uncle punches my cousin", "abuse"),
        ("my mums boyfriend burns my little sister with cigarettes", "abuse"),
        ("my stepdad held a pillow over my face", "abuse"),
        ("someone put a pillow over my face and i couldnt breathe", "abuse"),
    ],
)
def test_harm_to_a_brother_sister_or_cousin_alerts_as_harm_to_me_does(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "my sister beats my brother at mario kart every time",
        "my brother beat my sister at chess lol",
        "my baby brother bit my sister lol hes teething",
        "my cousin beats my brother at fifa",
    ],
)
def test_games_and_pillow_fights_between_children_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # A fifth probe (7 December, third session): 200 disclosures in every style, written without reading the screen.
        ("im out, not goin bak", "missing"),
        ("I'm staying somewhere else for a while, they don't know where", "missing"),
        ("lol third time I've done a runner this month, they should give me a loyalty card", "missing"),
        ("I wasn't back till sunday after going off with people I met at the park on friday", "missing"),
        ("I wasn't there for four days last week because I slept at a mate's in another city", "missing"),
        ("I need to be strapped when I go out", "violence"),
        ("started wearing a stab vest under my hoodie", "violence"),
        ("I'm between places at the moment, sofa to sofa", "unsafe_home"),
        ("I'm living out of a bag at the moment", "unsafe_home"),
        ("I shower at the leisure centre because the water's been cut off", "unsafe_home"),
        ("lol dinner was a packet of crisps again, third day running", "unsafe_home"),
        ("I eat my tea at school and take extra rolls home because there's nothing there", "unsafe_home"),
        ("I thought the housing was sorted but the bailiffs are back and we're out on monday", "unsafe_home"),
        ("is it normal to get locked out of the house until my carer gets home at midnight", "unsafe_home"),
        ("my carer calls me a dog and makes me eat off the floor haha its kind of funny", "abuse"),
        ("my foster carer's friend keeps wanting to play special games with me when we're alone", "abuse"),
        ("do carers have the right to hit you if you're naughty cos mine does", "abuse"),
        ("lol some bloke on snapchat paying me 50 quid for pics, easy money innit", "exploitation"),
        ("haha I'm basically a delivery driver now, just not for Deliveroo if you get me", "exploitation"),
    ],
)
def test_the_fifth_probes_disclosures_alert_high_in_their_category(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "Minecraft is fun, I built a house and zombies broke in",
        "the water was cut off for an hour this morning for roadworks",
        "our electric got cut off in the storm but its back on",
        "dinner was cereal again lol cant be bothered to cook",
        "the bailiffs were back on eastenders last night",
        "we are out on friday for my mates birthday",
        "im staying somewhere else for the weekend, my carer knows where",
        "i wasnt home for two nights cos i was at my dads, the sw agreed it",
        "i wasnt back till monday cos we went camping with school",
        "i need to be strapped in on the rollercoaster",
        "the police wear stab vests",
        "he wants to play board games with me when we are alone at home",
        "someone paid me 20 quid for my old phone",
        "delivery driver not for amazon but for dpd, started today",
        "we're between houses while they paint ours, staying at my nans",
        "he was living out of a suitcase on holiday lol",
    ],
)
def test_the_fifth_probes_near_neighbours_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # A sixth probe (7 December, third session): care leavers' disclosures to a personal adviser.
        ("my boyfriend takes my whole UC payment as soon as it lands and gives me a tenner for the week", "abuse"),
        ("i'm not allowed to see my mates anymore, he says they're a bad influence", "abuse"),
        ("he keeps my bank card and pin so I have to ask him for money", "abuse"),
        ("i have to send him a pic every hour to prove where i am", "abuse"),
        ("he doesn't let me have my own money but that's normal right?", "abuse"),
        ("is it normal for your boyfriend to read all your messages and pick your clothes?", "abuse"),
        ("my card got declined cos he's emptied it again", "abuse"),
        ("he made me get an abortion, i didn't want to", "abuse"),
        ("my landlord says i can pay my rent in other ways if you know what i mean", "exploitation"),
        ("i've been selling myself to pay the arrears", "exploitation"),
        ("someone asked me to open a bank account so they can put money through it, is that ok?", "exploitation"),
        ("they've got my bank card and they're moving money in and out", "exploitation"),
        ("can i go to the council if my flat's been taken over?", "exploitation"),
        ("what happens if you can't pay someone back and they're not a bank?", "exploitation"),
        ("the lads that stay at mine told me to keep my mouth shut", "exploitation"),
        ("bailiffs came today, I've got till friday to get out", "unsafe_home"),
        ("i'm 3 months behind on rent and the housing officer says they're taking me to court", "unsafe_home"),
        ("electric's off cos i couldn't top up, I've been using candles", "unsafe_home"),
        ("sofa surfing again, been at 5 different places this month, don't know where tonight", "unsafe_home"),
        ("i'm going to the cliff tomorrow, just to think", "self_harm"),
        ("cut deep this time, might need stitches but i'm not going to hospital", "self_harm"),
        ("they shot at my mate's door last night, i'm next apparently", "violence"),
    ],
)
def test_the_sixth_probes_disclosures_alert_high_in_their_category(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "my boyfriend keeps my bank card for safe keeping when we go out",
        "he picks my kids up from school on fridays",
        "dont sell yourself short in the interview",
        "i opened a bank account so my wages can go in",
        "im next in the queue at the council",
        "we went up to the cliff for a picnic, just to think about uni lol",
        "i cut my finger really deep chopping onions",
        "i paid my rent early this month",
        "the bailiffs came round to the neighbours on eastenders",
    ],
)
def test_the_sixth_probes_near_neighbours_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # An eighth probe (7 December, third session): 200 abuse disclosures (care withheld is unsafe_home, as before).
        ("mum pulled my hair so hard a bit came out", "abuse"),
        ("she burned my hand on the cooker to teach me a lesson", "abuse"),
        ("lol i bruise so easy apparently, thats what she tells the social worker", "abuse"),
        ("got hit with the hoover pipe today. its fine tho", "abuse"),
        ("my aunt whips us with a cable when we are naughty", "abuse"),
        ("my carer shakes me really hard when she is angry, my head hurts after", "abuse"),
        ("my dad gives me a slap when he's had a drink, thats normal right?", "abuse"),
        ("she told me nobody in the world wants me, not even my real mum", "abuse"),
        ("he says im just like my dad and ill end up in prison like him", "abuse"),
        ("she makes me wear a sign saying thief round the house", "abuse"),
        ("i get called fat and ugly by my stepmum constantly lol its whatever", "abuse"),
        ("my gran tells me im the devil and pray over me to get it out", "abuse"),
        ("they laugh when i cry and film it", "abuse"),
        ("grandad puts his hand on my leg and moves it up, i hate it", "abuse"),
        ("lol my foster dad is weird he always wants to check me", "abuse"),
        ("i dont like sleepovers at my uncles cos he comes in at night", "abuse"),
        ("he showed me his private parts", "abuse"),
        ("uncle d keeps tickling me but not in a funny way", "abuse"),
        ("grandad's cuddles make me feel weird", "abuse"),
        ("the support worker keeps asking me to meet up outside the home and bring no one", "abuse"),
        ("carers go out for the weekend and leave me on my own", "unsafe_home"),
        ("i havent had clean clothes for over a week, the kids at school say i smell", "unsafe_home"),
        ("my inhaler ran out ages ago and they wont get me a new one", "unsafe_home"),
        ("i only get to eat what the dog doesnt eat tbh", "unsafe_home"),
        ("i need a doctor but they wont take me", "unsafe_home"),
        ("not allowed a shower more than once a week", "unsafe_home"),
    ],
)
def test_the_eighth_probes_disclosures_alert_high_in_their_category(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        # ... and its everyday lines, with a seventh probe's public text (7 December, third session).
        "i used to go without food at my mums but since ive been with my carers theres always loads to eat",
        "i used to get locked out by my mum when i was little but im in a good placement now and they always let me in",
        "i tripped over the dog and got a bruise on my bum lol",
        "she pulled my hair back into a ponytail for school",
        "Honestly the sharpest knife I've ever owned, I nicked my thumb just unboxing it lol",
        "Carbon monoxide alarm chirps at 3am when the battery is low, drove me mad.",
        "Carbon monoxide is a silent killer, get your boiler serviced every year.",
        "Staff were rude and the manager threatened to charge us for the broken glass we didn't break.",
        "Monday is trying to kill me",
        "I'm starving, haven't eaten since breakfast",
        "Sharpen your knives on a whetstone at a 15 degree angle.",
        "If someone collapses and is not breathing, call 999 and start CPR.",
    ],
)
def test_the_seventh_and_eighth_probes_everyday_lines_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i havent eaten since breakfast yesterday, there is no food in", "unsafe_home"),
        ("my mate isnt breathing help", "self_harm"),
        ("my carer threatened to kill me", "violence"),
    ],
)
def test_harms_beside_the_seventh_probes_everyday_lines_still_alert(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # A ninth probe (7 December, third session): 240 disclosures, 40 a category, in five styles.
        ("pencil sharpener blade when it gets too loud", "self_harm"),
        ("nangin all wkend n poppin xans", "self_harm"),
        ("took like 12 paras and my belly is killin me", "self_harm"),
        ("on the ket every day", "self_harm"),
        ("my friend showed me her wrists in the toilets at school, there were loads of fresh lines", "self_harm"),
        ("my mate in year 9 drinks vodka before school", "self_harm"),
        ("one apple a day and im under 6 stone lol", "self_harm"),
        ("still here, even though i tried 😂", "self_harm"),
        ("stepmum checks my body in the shower", "abuse"),
        ("is it ok for my carer's son (19) to kiss me? I'm 12 and he says it's ok because we're not related", "abuse"),
        ("my carer burned me with the iron", "abuse"),
        ("I don't like bath time because her husband always comes in when im in the bath", "abuse"),
        ("what counts as a smack? asking coz I've got a bruise the size of a tennis ball", "abuse"),
        ("i have a second phone i always have to answer", "exploitation"),
        ("a boy in year 8 gets picked up at lunch by men in a van", "exploitation"),
        ("my cousin works in a nail bar all day and isn't allowed to leave", "exploitation"),
        ("my uncle kept my passport and im not paid", "exploitation"),
        ("im with my dad and nobody at the placement knows im here", "missing"),
        ("no one's seen my cousin since she got off the school bus on Monday", "missing"),
        ("a car has been slowly following me home from college three nights in a row", "violence"),
        ("is it normal to get followed home by the same car every night? 🤔", "violence"),
        ("there's a video going round of me getting stamped on outside McDonald's", "violence"),
        ("my boyfriend says he'll stab anyone who talks to me, kinda romantic lol", "violence"),
        ("sleeping in the laundrette tonight lol", "unsafe_home"),
        ("what happens if the meter runs out? asking cos ours did yesterday", "unsafe_home"),
        ("my mums boyfriend deals from the house and strangers come at night", "unsafe_home"),
    ],
)
def test_the_ninth_probes_disclosures_alert_high_in_their_category(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        # A tenth probe (7 December, third session): young people's everyday lines; the ninth's near neighbours.
        "i overdosed on chocolate at easter 😂",
        "i went missing from the group chat for a day cus my phone broke lol",
        "we studied domestic abuse laws in sociology today",
        "i was homeless for a bit at 17 but ive had my flat 3 years now",
        "my social worker asked if anyone hurts me and the answer is no, everyone is kind",
        "no threats or anything, my phone was just off cus it was charging",
        "not being exploited lol im just working at greggs for minimum wage 😂",
        "my PE teacher is trying to kill us with the bleep test 💀",
        "ur so dead when i see u at training tomorrow lol",
        "my carer made me eat sprouts, this is abuse 😂",
        "this heatwave is trying to kill us all ☀️🥵",
        "my sister threatened to tell on me for eating her chocolate 😂",
        "my nan kissed me on my birthday, im 12 now",
        "the doctor checked my body for rashes",
        "an apple a day keeps the doctor away",
        "the police wear stab vests and carry a taser",
    ],
)
def test_the_tenth_probes_everyday_lines_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # A review of this session's rules (7 December, third session) found set-asides wide enough to hide these.
        ("he pinned me down and smothered me with a pillow", "abuse"),
        ("my brother held me down and tried to suffocate me with a pillow", "abuse"),
        ("he hit me with a snooker cue", "abuse"),
        ("my brother punched me in the face because i beat him at chess", "abuse"),
        ("someone broke in last night while i was on fortnite", "unsafe_home"),
        ("i am getting cut when we go on holiday to somalia , i hope it doesnt hurt", "abuse"),
        ("i am getting cut in the summer holidays and im scared it will happen", "abuse"),
        ("the boys at school are going to kill me tomorrow", "violence"),
        ("its my cousins wedding and i am the bride i am 14", "abuse"),
        ("my uncle is getting married to me in the summer , im 13", "abuse"),
        ("my uncles wedding is next month , he is marrying me and im 14", "abuse"),
        ("havent eaten since 2 days ago", "unsafe_home"),
        ("he kicks me under the table so the social worker cant see", "abuse"),
    ],
)
def test_what_the_review_found_hidden_alerts_high(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        # ... and everyday lines the new rules had read as harm.
        "i failed my driving test even though i tried",
        "i try to eat one apple a day",
        "were doing balloons for my little sisters party",
        "my nan is on pregabalin for her back",
        "me and my mate had a proper chat and it went really deep last night",
        "my sharpener blade fell out again",
        "we are going to the cliffs one last time before we move house",
        "the bin was full so she emptied it",
        "mum took my phone to teach me a lesson",
        "my mum is so strict , she wont let me have my phone after 10",
        "my nan is the best , she picks my clothes for school",
        "she took my card and tapped it for me at the till",
        "im starving me and my mate are getting a kebab",
        "my nan made her a wedding cake",
        "i want to be a bride one day i am 12 lol",
        "mum pulled some out of the freezer for tea",
        "i hit my foot with the hoover lol",
        "the mayor shook my hand really hard",
        "my nan keeps having falls at home so we are getting her a carer",
        "my girlfriend is giving me the silent treatment again lol",
        "my nan put her hand on my knee and said it would be ok",
        "he showed me his thing for the science fair",
        "my smart scale lets me check my body fat",
        "my mate said im evil for eating the last slice",
        "we paid 30 pounds for photos with santa",
        "i hate selling myself at job interviews",
        "the flats have been taken over by a new housing association",
        "my mate told me to keep my mouth shut about the surprise party",
        "mum has a work phone she always has to answer",
        "started at the nail bar , not paid till the end of the month",
        "i wasnt in for 2 days cos i was ill",
        "no one has seen my cat since tuesday",
        "i love that song with my name in it",
        "my mate jumped off the high board at the pool , im next",
        "my mum is a prison officer and has to wear a stab vest",
        "the same cat keeps following me home every day",
        "i keep getting followed by bots on insta",
        "handed my notice in at work , im out by friday",
        "i have till friday to leave my feedback on the course",
        "i havent got any clean socks , need to do a wash",
        "my prescription was ready but i didnt get it from the chemist",
        "my auntie looked amazing at her wedding , im 13 and i was bridesmaid",
        "i get dealt with by my manager tomorrow",
    ],
)
def test_everyday_lines_the_review_found_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # An eleventh probe (7 December, fourth session): 360 disclosures in dialect, phonetic spelling, survey
        # replies and hints, 60 a category, written without reading the screen; each line the lexicon missed before
        # and reads now.
        ("dont report me missin, im fine, wiv friends", "missing"),
        ("i told him no but he didnt listen", "abuse"),
        ("the voices say i should jump. startin to listen", "self_harm"),
        ("dads mates are round, theyre all off their heads, lil sis is upstairs", "unsafe_home"),
        ("3rd nite out, phones dyin", "missing"),
        ("weighed myself 6 times today n im still disgusting", "self_harm"),
        ("goin to find my dad in leeds, he dont know im comin, neither do u", "missing"),
        ("what would make ur placement better? a curfew that actually stops the car pickin me up", "exploitation"),
        ("Q: do you feel safe where you live? A: not wen he drinks", "abuse"),
        ("someone made a fake nude of me wiv AI n its goin round the year group", "abuse"),
        ("heatin, food or nappies, cant do all 3 this week", "unsafe_home"),
        ("theyve got my cousin in the boot of a car, sent me the video", "violence"),
        ("been tyin my hoodie strings round my neck to see how it feels", "self_harm"),
        ("he had a knuckleduster on n my jaws all clicky now", "violence"),
        ("got a job off tiktok packin boxes but they took my ID n i live in their house", "exploitation"),
        ("back windows smashed, its freezin, council said 6 weeks to fix", "unsafe_home"),
        ("tired of pretendin. tonight i stop", "self_harm"),
        ("im 16 n theyve got me workin on a farm, no pay, sleep in a caravan wiv 8 men", "exploitation"),
        ("carer keeps my clothin allowance, had the same trainers wiv holes since year 7", "abuse"),
        ("i flinch now wen he lifts his hand", "abuse"),
        ("carers been drinkin since this mornin, shes fell over twice, im mindin the kids", "unsafe_home"),
        ("packed my bag, bus at 6", "missing"),
        ("wat wud make it better? if i wasnt born", "self_harm"),
        ("what would make ur placement better? a bed. i sleep on the settee", "unsafe_home"),
        ("heatins broke n landlord wont fix it, baby's got a cough, were sleepin in coats", "unsafe_home"),
        ("my foster mum makes me eat in the garage on my own", "abuse"),
        ("they went to spain for a week n left me wiv £20", "unsafe_home"),
        ("been usin the library toilets to wash", "unsafe_home"),
        (
            "they brought me from albania n say i owe 20,000 for the journey. i water the plants in the house",
            "exploitation",
        ),
        ("got a lift off some lad to blackpool 🚗 back maybe sunday", "missing"),
        ("left wiv my 2 brothers, mum said shed be back thursday, its saturday", "unsafe_home"),
        ("tryna get a strap for the weekend, u know anyone", "violence"),
        ("i get a bed at the car wash n they take my wages for the debt", "exploitation"),
        ("only had a apple in 3 days, 5kg off, not stoppin til im 40", "self_harm"),
        ("they set my mates hair on fire at the bus stop", "violence"),
        ("hidin in a tent in the woods behind the retail park", "missing"),
        ("bruv im not even gonna be here for my birthday trust", "self_harm"),
        ("cannae get in the hoose, he's took ma keys n wullnae answer", "unsafe_home"),
        ("the hostel gave my room away while i was in hospital", "unsafe_home"),
        ("gonnae get him wi a bottle the night, he's had it comin", "violence"),
        ("im 17 n my support worker keeps askin me to come to his flat after hours", "abuse"),
        ("gave my xbox to my little bro today, he should have it now", "self_harm"),
        ("if i dont shift the rest of the pack theyll take it out on my mum", "exploitation"),
        ("been rubbin my skin raw wiv the wire brush, it calms me down", "self_harm"),
        ("i get picked up from the home at 11 n dropped back at 5 🚗💰", "exploitation"),
        ("ah'm no gawn back tae that unit, dinnae care", "missing"),
        ("fight at the canal after school, everyones bringin somethin", "violence"),
        ("been walkin all nite. cold", "missing"),
        ("ur gonna have 1 less on ur caseload soon", "self_harm"),
        ("💊💊💊💊💊💊🥃😴", "self_harm"),
        ("they want me to bring the year 7s in now", "exploitation"),
        ("me n my lil bro left, were ok, got crisps", "missing"),
        ("i dont wanna be found", "missing"),
        ("stayin at a mates mums. well a mate of a mate. hes like 30", "missing"),
        ("gan stop at a lad's from snap, he's sound, says a can stay as long as a want", "missing"),
        ("stayin at a hostel in london, didnt give my real age", "missing"),
        ("she holds my head under the tap when i swear", "abuse"),
        ("need more plasters, ran out, been doin it more", "self_harm"),
        ("there's gonna be a proper scrap at the metro centre the morra, they're bringin blades", "violence"),
        ("i dont wanna go to contact, grandad does stuff", "abuse"),
        ("cld u tell my PA thnx 4 tryin. it wasnt her fault", "self_harm"),
        ("my bros mates r plannin a drive by on the rec, hes 14", "violence"),
        ("slept on the nite bus goin round n round", "missing"),
        ("foodbanks shut n ive got nothin for tea, neither has the baby", "unsafe_home"),
        ("flatmate's mates moved in n now im not allowed in my own livin room", "exploitation"),
        ("money went in my account n straight back out, a guy from insta asked me to", "exploitation"),
        ("she threw my tea in the bin n said fat pigs dont eat", "abuse"),
        ("one of the night staff makes me hug him in the office with the door shut", "abuse"),
        ("imma bring my dads golf club tmrw n sort it", "violence"),
        ("i chew n spit all my food so i dont gain. fainted 3 times this week", "self_harm"),
        ("no ones took me to the dentist, my tooth's been rottin for months n the pain is unreal", "unsafe_home"),
    ],
)
def test_the_eleventh_probes_disclosures_alert_high(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        # The eleventh probe's everyday and near-miss lines (1,200 public sentences, 360 near misses) the lexicon
        # misread.
        "Had an overdose of sugar at the kids party, I feel like I could run a marathon now.",
        "Paracetamol overdose can cause serious liver damage, so never take more than the recommended dose.",
        "my personal trainer is trying to kill me i swear",
        "pls revive me im bleeding out behind the car",
        "the heating is broken at the office and we are all wearing coats at our desks",
        "Our year 2 pupils have been busy writing letters to the Queen's corgis.",
        "Hone your knife before each use to keep the edge sharp",
        "you cannot be serious, how did that hit me",
        "shes gonna kill me wen she sees i lost my retainer",
        "the ghost in the haunted house at alton towers grabbed me n i screamed",
        "my teachers house got burgled, she told the whole class",
        "cut myself a massive slice of cake lol",
        "ill run away to narnia if i have to eat sprouts again",
        "it was hard after the overdose 3 yrs ago but im in such a good place now",
        "used to self harm but ive been clean 2 yrs n my camhs worker says im smashin it",
        "last winter i had no heatin but my new flat is toasty, thanks for helpin",
        "that eviction thing got sorted, council paid the arrears, im stayin",
    ],
)
def test_the_eleventh_probes_everyday_lines_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        # Beside each of the eleventh probe's new rules, a line that is not the harm: not born somewhere, stopping
        # revising, an old console passed on, a sofa when cousins visit, coats at a festival, the school taxi, ID
        # checked at a door, a parent keeping a passport safe, hair washed under a tap, a year group in assembly,
        # wages out on bills, NEET.
        "if i wasnt born in england id be at a different school",
        "tonight i stop revising at 9",
        "gave my old xbox to my brother cos i got a new one",
        "i sleep on the sofa when my cousins visit",
        "we were sleeping in our coats at the festival",
        "the taxi picks me up from school at 3",
        "they took my id at the door of the club",
        "mum keeps my passport in the drawer",
        "mum went to the shop and left me with £5 for the ice cream van",
        "mum holds my head under the tap to wash my hair",
        "mum makes me eat in the garden when its sunny",
        "the food tech room is locked",
        "we need to bring the year 7s in for assembly",
        "my wages went in my account and straight back out on bills",
        "£5 for carrying the shopping for my nan",
        "i flinch when the dog jumps up",
        "my dad does stuff with me at weekends",
        "told him no but he didnt listen and ate my chips",
        "not when he is at work",
        "the kid next door says the ghost train at the fair grabbed him lol",
        "dont look for me im in the library revising lol",
        "i wont be here for the review cos im moving to my new flat",
        "it's like a drive by. you can drive right by it without noticing",
        "I wasted my little money with this earpiece.",
        "my nan is kippin on the sofa cos her hip is bad",
        "the neet group at college meets on tuesdays",
    ],
)
def test_the_eleventh_probes_near_neighbours_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # A review of the eleventh probe's rules (7 December, fourth session): disclosures its first set-asides hid (a
        # cut "a bit", warm "at work", caffeine pills, a coach's threat, a knife washed or sharpened, a SIM taken, a
        # game's revive beside a real stabbing).
        ("i cut myself a bit deeper last night", "self_harm"),
        ("had a good day at college, then cut myself a bit when i got home, anyway whats for tea", "self_harm"),
        ("the heating is off and i cant afford it, at work its warm at least", "unsafe_home"),
        ("no electric in the flat, in the classroom i can charge my phone", "unsafe_home"),
        ("the gas is off and we have no heating, in the office im warm though", "unsafe_home"),
        ("cut myself a little bit last night", "self_harm"),
        ("he cut me a bit on my arm with a blade", "violence"),
        ("i took an overdose of caffeine pills, like 40 of them, im shaking", "self_harm"),
        ("my coach is going to kill me, he said if i tell anyone he will", "violence"),
        ("my trainer is literally trying to kill me, he strangled me", "violence"),
        ("dad made me wash the knife after he stabbed mum", "violence"),
        ("i sharpened the knife to use on myself tonight", "violence"),
        ("they took my sim so i cant call anyone and they wont let me leave", "abuse"),
        ("theres no food in the house, i only eat at work", "unsafe_home"),
        ("new job is ok, heating is off at home and no food, at work i get a meal", "unsafe_home"),
        ("i am bleeding out revive me please he stabbed me", "self_harm"),
    ],
)
def test_what_the_eleventh_review_found_hidden_alerts_high(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        # ...and everyday lines its first rules read as harm (a series finished tonight, hoodie strings for warmth, a
        # tutor's revision group, a lift to football, ID badges, work experience, cricket, a holiday's packing).
        "tonight i finish it, the whole series in one go",
        "tonight i do it. first gig ever",
        "one less kid on your caseload when i turn 18 lol",
        "pulling my hoodie strings round my neck to keep warm",
        "the voice in the song says i should go for it",
        "weighed myself 3 times at the gym cos the scales were broken",
        "chew and spit is how you taste wine apparently",
        "i have only had a cup of tea in the last 2 days, been so busy",
        "not when he comes home, only when he is at work",
        "not after my dad drinks coffee lol",
        "my tutor asked me to come round to her house for the revision group",
        "my social worker invited me to come to her car to go to the meeting",
        "grandad does things i dont like, like watching golf",
        "my mum made me sit in the car while she went to the shop",
        "my carer makes me stay in the garden till tea is ready",
        "the man picks me up every night from football",
        "i get picked up from the home at 4 and dropped back at 6 for contact",
        "£5 for carrying a bag at the airport",
        "my boss keeps my id badge in the drawer",
        "my manager holds my passport photos for the form",
        "working at a restaurant for free for my work experience",
        "money went into my account and straight back out for the netflix subscription",
        "not allowed in my own room cos its being decorated",
        "got him in the boot lol we played hide and seek in the car",
        "set her hair on fire with the straighteners by accident",
        "bringing my bat to cricket to sort it out",
        "no one booked me in to the dentist, my bad i forgot",
        "my carers never took me to the dentist before i moved, new ones did",
        "cupboards are locked for the refit",
        "mum went to spain for a week and left me with £200",
        "using the gym showers to shower after my workout",
        "they gave my room to someone else for the weekend while im away",
        "its my weekend at my dads, contact is on saturday",
        "packed my bags, the train leaves at 10 for our holiday",
        "a guy from work, he is like 30",
        "got a lift from a driver on my uber",
        "didnt give them my real name on the app",
        "me and my little brother left the park",
        "2nd night away at camp, phone is dying lol",
    ],
)
def test_everyday_lines_the_eleventh_review_found_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "alerts"),
    [
        # Two older rules the eleventh probe's near neighbours found too wide: someone else's absence from a birthday
        # for work, and a place left for its food; the writer's own, and a place where they were hit, still alert.
        ("he wont be here for my birthday cos hes working", False),
        ("i wont be here for my birthday", True),
        ("im never going back to that place, the food was awful", False),
        ("im never going back to that place, they hit me there", True),
        # The eleventh probe's last dialect lines (7 December, fourth session): "dae" for "do", "the neet" for
        # tonight, a dad "back on the drink" before a weekend there, "am done man" with no "I"; and their neighbours.
        ("Am done man. Cannae dae this nae mair. Sorry", True),
        ("Am gannin doon the bridge the neet, divvent try n stop us", True),
        ("dads back on the drink n its my weekend there tmrw", True),
        ("am done with my homework. cant do it no more lol", False),
        ("am done man, that match was long", False),
        ("going down the bridge tonight to watch the fireworks", False),
        ("my dads back on his diet", False),
    ],
)
def test_the_eleventh_probes_last_lines_and_two_older_rules_narrowed(text, alerts):
    assert bool(lexicon_categories(text)) is alerts, text
