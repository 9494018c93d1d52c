"""Every fixed text the service sends young people, and the words each person gets on their channel.

Each text is kept to one SMS segment (160 GSM-7 characters), but where the help lines need two
(`TWO_SEGMENTS`: they beat the one-segment rule), and uses only GSM-7 characters: a single curly
quote or emoji would switch the whole message to UCS-2 and cut the limit to 70. Tests check every
text with `sms_segments` (`gsm.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# The GSM-7 rule lives in `gsm.py`; `is_gsm7` and `sms_segments` are named here too, for the callers that
# check a text's cost where they choose its words.
from voice_service.engine.gsm import fits_one_segment, plain_marks, plain_name, unplain
from voice_service.engine.gsm import is_gsm7 as is_gsm7
from voice_service.engine.gsm import sms_segments as sms_segments
from voice_service.surveys.model import Question

HELP = (
    "This is the Voice team. Reply to the question, or send SKIP to skip it or STOP "
    "to stop. Need to talk now? Call Childline free on 0800 1111."
)
# HELP at a survey question is followed by the question again (trial 13, T13-9: the help said "Reply to the question"
# but not which, so they did not know what to answer next): these words, then the question as it was asked
# (`question_was`), in the help's own message: by text on a line of its own, never a second message that could arrive
# first (design.md, Contract 4); in the chat after it where the two fit one SMS segment, else in one more
# (`replies_for_person`, the rule's one home).
QUESTION_WAS = "Your question was: "
# HELP (or "?") before they have said YES to an invitation: there is no question yet, so who is texting
# (the invitation says only "the Voice team"), how to start, how to stop and how to reach a person ("CALL ME"
# is a request for a person: `keywords.asks_for_a_person`). The invitation stays open: YES then starts the survey.
# One segment for any age (see HELP_WELCOME) with a council name of up to 25 characters; every text that names the
# council has a shorter wording (`SHORTER`), sent where the council's name would take it past one segment
# (`naming_council`).
HELP_INVITED = (
    "Voice team at {council}. Reply YES to start, STOP to stop or CALL ME for a worker. Help now? Childline 0800 1111"
)
# HELP (or "?") at a newcomer's welcome, before they say YES: no question has been asked, so as at an invitation,
# who is texting, how to go on, how to stop and how to reach a person. A newcomer's age is not known yet, so the
# help lines are Samaritans and Childline with who each is for (`for_age`), which takes this wording past one
# segment for a council name over 25 characters: then the shorter one goes (`naming_council`).
HELP_WELCOME = (
    "Voice team at {council}. Reply YES to go on, STOP to stop or CALL ME for a worker. Help now? Childline 0800 1111"
)
# HELP (or "?", "info") as the very first text from a number never seen (trial 12, findings 2 and 8: it got only the
# welcome, with no help line, no 999 and no way to reach a person). The welcome's own words (who we are, the privacy
# line, YES or STOP: onboarding starts at the welcome, so a YES to this is as informed as a YES to it), with the help
# lines and 999 and CALL ME for a worker. Two segments for any age with a council name of up to 46 characters: the
# help lines beat the one-segment rule, so it has no `SHORTER` wording (`TWO_SEGMENTS`).
HELP_FIRST = (
    "Hi! Voice team at {council}, for people in care and care leavers. "
    "Need help now? Call Childline free on 0800 1111. In danger call 999. Reply CALL ME to talk to a worker. "
    "Replies are private unless someone's at risk. Reply YES to go on, or STOP."
)
# Asked at an invitation who is texting them or how we got their number (`keywords.asks_who_we_are`): who,
# why they got it and how to stop. The invitation stays open.
WHO_WE_ARE = (
    "This is the Voice team at {council}. We ask young people in care and care leavers how we're doing. "
    "Reply STOP to stop texts."
)
# Asked mid-survey who is texting them ("who is this?"): who we are, then the question again, in one message so the
# two never arrive the wrong way round (two segments where the question is long: knowing who asks matters more).
WHO_WE_ARE_ASKING = "This is the Voice team at {council}. "
# Asked at an invitation who is texting them (trial 5, F8: the answer never said how to start): who, why they got
# it, and how to start or stop. The invitation stays open.
WHO_WE_ARE_INVITED = (
    "This is the Voice team at {council}. We ask young people in care and care leavers how we're doing. "
    "Reply YES to start, or STOP."
)
STOP_CONFIRMED = "OK, you won't get any more texts from us. If you change your mind, text START. Take care."
START_WELCOME_BACK = "Welcome back! You'll get our texts again. You can text us any time, or reply STOP to opt out."
# START after a STOP by mistake, while the survey they were invited to is still open: offer it again.
START_WELCOME_BACK_SURVEY = (
    "Welcome back! You'll get our texts again. Reply YES to do our quick survey, or STOP to opt out."
)
START_ALREADY = "You're all set, you get our texts. You can text us any time, or reply STOP to opt out."
# START (as their invitation's "reply YES to start" allows) after the survey closed on them: say so then, kindly,
# not "you're all set" and then "this survey has closed" to whatever they send next.
START_CLOSED = "Sorry, that survey has ended now. We'll text you when there's a new one. You can text us any time."
# HELP with nothing waiting. One segment for any age (`for_age`: someone whose age is not known gets Samaritans too).
HELP_ANY_TIME = (
    "This is the Voice team. Text us any time about your care, or send STOP to stop texts. "
    "Need to talk now? Call Childline free on 0800 1111."
)
CANT_SKIP = "Sorry, we can't skip this one. Any answer is fine, even a few words. Or reply STOP to opt out."
# A late reply, to a survey whose round has closed on them (within `inbound.situation.CLOSED_REPLY_DAYS`, even
# with another round's invitation waiting: `answers_closed`): kept as a text-in, which the Voice team reads in
# the inbox, and said plainly and warmly, with no other survey offered.
CLOSED = (
    "Thanks for your reply. That survey has closed now, but our team will still read what you sent. "
    "You can text us any time."
)
TEXT_IN_THANKS = (
    "Thanks for your message. The Voice team will read it. If you need to talk now, call Childline free on 0800 1111."
)
RESUME_NUDGE = (
    "Hi! You're part way through our quick survey. Just reply to carry on, SKIP to skip a question, or STOP to opt out."
)
INVITE_NUDGE = "Just reply YES to start our quick survey, or STOP if you'd rather not get texts from us."
# The reminder to someone who has not said YES to their invitation (`rounds.reminders`).
REMINDER_NOT_STARTED = "Hi, it's the Voice team again. " + INVITE_NUDGE
# It says how to take the survey up again while its round is open (trial of 7 December: after "no", "ok fine yes"
# and "1" were thanked as messages, and nothing had said YES would start it).
DECLINED = "No problem, thanks for letting us know. If you change your mind, just text YES. Reply STOP to stop texts."

# After a disclosure: the help reply comes first and alone (in the web chat too, "text SHOUT"
# is about their phone, so it fits both channels).
HELP_NOW = "Need help now? Childline 0800 1111, Samaritans 116 123, text SHOUT to 85258. In danger call 999."
# Short enough that the words for someone whose age is not known (`ANY_AGE_LINES`, 12 letters more) stay one
# segment at every opening the office-hours code can name ("tomorrow 12:30pm", "first thing Mon"): one segment
# is the house rule for young people's words (tests/engine/test_help_reply_segments.py checks every one).
DISCLOSURE_IN_HOURS = "Thanks for telling us. A worker will read it soon. " + HELP_NOW
DISCLOSURE_OUT_OF_HOURS = "Thanks for telling us. We're back {back}. " + HELP_NOW
# A further disclosure that is also a plea ("help me hes back") while their alert is live: the duty routes were told
# at once (`routing.pleads`), so it says so, and, out of hours, when the office opens. One segment for every age
# and opening (tests/engine/test_help_reply_segments.py), so "Thanks for telling us" is left out of hours.
PLEA_DISCLOSURE_IN_HOURS = "Thanks for telling us. We've told the team. " + HELP_NOW
PLEA_DISCLOSURE_OUT_OF_HOURS = "We've told the team. We're back {back}. " + HELP_NOW
# Out of hours, with the alert passed at once to the out-of-hours team (the escalation contacts, e.g. the emergency duty
# team: `safeguarding.alerts.passes_on_at_once`, or its live alert already escalated to them): the reply says so,
# rather than "We're back at 9am tomorrow", which read as nobody until then (trial 11, T11-10). No call is promised:
# they were told, as "We've told the team" says in office hours. One segment for every age (`ANY_AGE_LINES`). In
# words for a reading age of 9: "out-of-hours team" was not (trial 14).
PASSED_ON = "We've told the team on duty now. "
DISCLOSURE_PASSED_ON = "Thank you. " + PASSED_ON + HELP_NOW
PLEA_DISCLOSURE_PASSED_ON = PASSED_ON + HELP_NOW
PAUSED_OFFER = "Thanks for your message. If you want to carry on with our survey, just send GO ON. There's no rush."
# Each later message while the survey waits, paused after a disclosure (their alert closed), after that one offer:
# thanks, and a few words on how to carry on, so the way back is never lost (trial 13), with where help is. One segment
# for someone of any age. Never in the help reply to the disclosure, which comes alone; while their alert is live the
# replies say what happens next and where help is, with no room for it in one segment (`SURVEY_PAUSED` says it to an
# answer to the paused question).
PAUSED_THANKS = (
    "Thanks, the Voice team will read your message. To carry on with our survey, send GO ON. "
    "Need to talk? Call Childline free on 0800 1111."
)
# What waits for someone whose survey was paused after a disclosure, once their alert is closed (its round
# still open): the offer to carry on, never "no survey waiting". The web chat's opening and a reopened chat
# say it, with the "Carry on with the survey" button.
PAUSED_WAITING = "You can carry on with our survey when you're ready. Just send GO ON. There's no rush."
# HELP once their alert is closed, the survey still paused: who is texting (the council, trial 5 F8), how to carry on or
# stop, and where help is. One segment for any age with a council name of up to 24 characters; longer,
# `SHORTER`.
HELP_PAUSED = (
    "Voice team at {council}. Your survey is paused. Send GO ON to carry on, or STOP. Help now? Childline 0800 1111"
)
GO_ON_WORDS = frozenset({"go on", "goon", "carry on", "continue", "resume", "lets go on", "let's go on"})
# Said while their alert is live, to anything but STOP, HELP or a choice to carry on with the survey
# ("im scared", "what happens now", "ok"): what happens next and where help is, never a survey offer.
# No texting or button words, so it fits both channels.
# Where help is, in words that fit both channels (the web chat's refusals end with it too).
NEED_HELP_NOW = "Need help now? Call Childline free on 0800 1111. In danger call 999."
# STOP while their alert is live (trial 7, G5): STOP stops surveys, not safeguarding, so help replies still come and
# the duty team still reads what they send. Said so, with where help is: one segment for someone of any age. By text,
# after one of Twilio's own STOP words Twilio refuses messages to the number (21610) until START: see
# docs/conversations.md.
STOP_WHILE_ALERT = "OK, no more surveys. You can still text us for help. " + NEED_HELP_NOW
# Text the screen cannot read (not in English): a person reads it, never "Sorry, we didn't get that". It may
# be a disclosure the screen cannot see, so where help is comes with it, and, out of hours, when the office is
# back (trial 6, F1: "someone will read it soon" at 8:43am, with no Childline or 999, to a Welsh disclosure).
# No texting or button words, so they fit both channels.
UNREAD = "Thanks. A person from our team will read your message soon. " + NEED_HELP_NOW
UNREAD_OUT_OF_HOURS = "Thanks. A person will read your message. We're back {back}. " + NEED_HELP_NOW
# Sent after `UNREAD` when a survey question was waiting (trial 8, H7): that message is never taken as its answer (it
# may be a disclosure nobody here can read), so the question still waits, and they are told so.
QUESTION_WAITS = "Your survey question is still waiting for you. Answer it when you're ready."
# An answer ("3", "yes", SKIP) to the survey their disclosure paused, while their alert is live: the survey
# waits (it is never pushed), so say so and how to carry on, with where help is. "Send", and no texting or
# button words (the chat shows no buttons while the alert is live), so it fits both channels.
SURVEY_PAUSED = "Your survey is paused, there's no rush. Send GO ON when you're ready. " + NEED_HELP_NOW
# The same for an answer to onboarding's questions after a disclosure (trial 9, T9-J). English only, as onboarding is.
ONBOARDING_PAUSED = "Our questions can wait, there's no rush. Send GO ON when you're ready. " + NEED_HELP_NOW
# A picture message (MMS) with no words: we never open pictures, so we say so and ask for words. Never
# "Sorry, we didn't get that", and never taken as an answer. Short words, for a reading age of 9.
PICTURE_ANSWER = "Sorry, we can't see pictures or videos. Please type your answer in words instead."
PICTURE_MESSAGE = "Sorry, we can't see pictures or videos. Please type your message in words instead."
AFTER_DISCLOSURE_IN_HOURS = "You did the right thing telling us. A worker will get back to you soon. " + NEED_HELP_NOW
AFTER_DISCLOSURE_OUT_OF_HOURS = (
    "You did the right thing telling us. Our team is back {back}. "
    "Need help now? Childline 0800 1111, Samaritans 116 123. In danger call 999."
)
# GO ON while their alert is live and nothing is paused (no survey, or none the disclosure paused; trial 8, H8): it was
# read as the YES to the help reply's "Need help now?" and recorded on the alert as asking for help. Nothing waits, so
# say so, then what happens next and where help is. No texting or button words, so it fits both channels.
_DID_RIGHT = "You did the right thing telling us. "
_NOTHING_WAITING = "No survey is waiting for you now. "
NOTHING_WAITING_IN_HOURS = _NOTHING_WAITING + AFTER_DISCLOSURE_IN_HOURS.removeprefix(_DID_RIGHT)
NOTHING_WAITING_OUT_OF_HOURS = _NOTHING_WAITING + AFTER_DISCLOSURE_OUT_OF_HOURS.removeprefix(_DID_RIGHT)
AFTER_DISCLOSURE_PASSED_ON = (
    _DID_RIGHT + PASSED_ON + "Need help now? Childline 0800 1111, Samaritans 116 123. In danger call 999."
)
NOTHING_WAITING_PASSED_ON = _NOTHING_WAITING + AFTER_DISCLOSURE_PASSED_ON.removeprefix(_DID_RIGHT)
# A picture message while their alert is live: it is added to the alert, so the duty team knows. One segment for any
# age, 999 too.
PICTURE_AFTER_DISCLOSURE = "We can't see pictures. The team knows you sent one. Please type to us. " + NEED_HELP_NOW
WANTS_PERSON_IN_HOURS = (
    "Thanks. We've asked a worker to get back to you, usually within one working day. "
    "Need help now? Call Childline free on 0800 1111."
)
WANTS_PERSON_OUT_OF_HOURS = (
    "Thanks. We've asked a worker to get back to you. The office opens {back}. "
    "Need help now? Call Childline free on 0800 1111."
)
# Asking for a person ("i need help", "can someone call me") while their alert is live: no "within one
# working day" for someone the duty team is already looking out for, and the emergency options.
WANTS_PERSON_AFTER_DISCLOSURE_IN_HOURS = "Thanks. We've asked a worker to get back to you soon. " + NEED_HELP_NOW
WANTS_PERSON_AFTER_DISCLOSURE_OUT_OF_HOURS = (
    "Thanks. A worker will get back to you. We're back {back}. "
    "Need help now? Childline 0800 1111, Samaritans 116 123. In danger call 999."
)
WANTS_PERSON_AFTER_DISCLOSURE_PASSED_ON = (
    "Thanks. " + PASSED_ON + "Need help now? Childline 0800 1111, Samaritans 116 123. In danger call 999."
)

# Asked "who is this?" while their alert is live (a newcomer whose first text was a disclosure was never told): after
# who we are (WHO_WE_ARE_ASKING), that they did right and the help lines with 999, one segment for someone of any age
# with a council name of up to 24 characters (trial 5, F8: with when the office is back, which the help reply to their
# disclosure said, it took two).
WHO_AFTER_DISCLOSURE = (
    "You did the right thing telling us. Childline 0800 1111, Samaritans 116 123. In danger call 999."
)
# "how did u get my number" from a newcomer whose first text was a disclosure: the truth first, then who we are and
# the help lines (WHO_AFTER_DISCLOSURE without its first sentence, so it stays one segment).
TEXTED_US_FIRST = "You texted us first. "

REASK_SCALE = "Sorry, we didn't get that. Please reply with a number from {lo} to {hi}."
REASK_YES_NO = "Is that a yes or a no? Please reply YES or NO."  # kind to "ok" too: they did say something
REASK_CHOICE = "Sorry, we didn't get that. Please send your answer's number (1 to {n})."
REASK_TEXT = "Sorry, we didn't get that. Just type your answer in your own words."
SKIP_HINT = " Or SKIP to skip it."
# The same in the web chat, where every question that may be skipped has the button (trial 13, T13-9: "Or SKIP to
# skip it" under buttons that say "Skip this one").
CHAT_SKIP_HINT = " Or tap Skip this one."

# Consent-first onboarding (engine/onboarding.py uses these).
# Who we are, that replies stay private unless someone is at risk, and how to say yes or stop.
WELCOME = (
    "Hi! Voice team at {council}, for people in care and care leavers. "
    "Replies are private unless someone's at risk. Reply YES to go on, or STOP."
)
# Asked at the welcome who we are ("who is this?", "wat is this": `keywords.asks_who_we_are`): the invitation's
# plain answer (WHO_WE_ARE), with how to go on.
WHO_WE_ARE_WELCOME = (
    "This is the Voice team at {council}. We ask young people in care and care leavers how we're doing. "
    "Reply YES to go on, or STOP."
)
# "how did u get my number" from a newcomer (first text, or at the welcome): the truth is that they texted us.
# Said with who we are and the welcome's privacy line, so a YES to it is as informed as a YES to the welcome.
NUMBER_FROM_THEM = (
    "You texted us, so we have your number. Voice team at {council}. "
    "Replies are private unless someone's at risk. Reply YES or STOP."
)
# The shorter wording of each text that names the council, sent where the council's name would take the text past
# one SMS segment (`naming_council`). Each fits one segment, for someone of any age, with a council name of up to
# `len(LONGEST_COUNCIL)` (46) characters. The web chat's words for each are the longer text's (`CHAT_WORDING`).
SHORTER = {
    HELP_INVITED: "Voice team at {council}. Reply YES to start or STOP to stop. Help now? Childline 0800 1111",
    HELP_WELCOME: "Voice team at {council}. Reply YES to go on or STOP to stop. Help now? Childline 0800 1111",
    WHO_WE_ARE: (
        "Voice team at {council}. We ask young people in care and care leavers how we're doing. "
        "Reply STOP to stop texts."
    ),
    WELCOME: (
        "Voice team at {council}, for people in care & care leavers. Texts are private unless someone's at risk. "
        "Reply YES or STOP."
    ),
    WHO_WE_ARE_WELCOME: (
        "Voice team at {council}. We ask young people in care and care leavers how we're doing. "
        "Reply YES to go on, or STOP."
    ),
    WHO_WE_ARE_INVITED: (
        "Voice team at {council}. We ask young people in care and care leavers how we're doing. "
        "Reply YES to start, or STOP."
    ),
    HELP_PAUSED: "Voice team at {council}. Survey paused: send GO ON or STOP. Help now? Childline 0800 1111",
    NUMBER_FROM_THEM: (
        "You texted us first. Voice team at {council}. Texts are private unless someone's at risk. Reply YES or STOP."
    ),
}
CONSENT_REASK = "Sorry, we didn't catch that. Reply YES to go on, or STOP if you'd rather not hear from us."
# A hello in answer to the welcome is not a failure to understand.
CONSENT_HELLO = "Hi! Would you like to go on? Reply YES to go on, or STOP if you'd rather not hear from us."
ASK_STATUS = "Thanks! Are you: 1 in care, 2 a care leaver, or 3 rather not say? Reply with a number."
ASK_AGE = "And how old are you? Reply 1 for 11-15, 2 for 16-17, 3 for 18-21 or 4 for 22-25. Or SKIP."
# Asked "who is this?" (`keywords.asks_who_we_are`) at one of onboarding's questions: who is asking (as mid-survey,
# WHO_WE_ARE_ASKING), then the question again in its own words (no "Thanks!" or "And": nothing was just answered),
# in one message. Never its "Sorry" re-ask, and the question still waits. One segment for a council name of up to
# `len(LONGEST_COUNCIL)` characters, with the `SHORTER` "Voice team at" where the fuller words would not fit.
WHO_WE_ARE_ASKING_STATUS = WHO_WE_ARE_ASKING + ASK_STATUS.removeprefix("Thanks! ")
WHO_WE_ARE_ASKING_AGE = WHO_WE_ARE_ASKING + "H" + ASK_AGE.removeprefix("And h")
SHORTER |= {
    template: template.replace("This is the Voice team at", "Voice team at", 1)
    for template in (WHO_WE_ARE_ASKING_STATUS, WHO_WE_ARE_ASKING_AGE)
}
# START after a STOP at one of onboarding's questions (trial 9, T9-14): welcomed back, and the question they had not
# answered asked again in its own words (no "Thanks!" or "And": nothing was just answered), in one message.
WELCOME_BACK_STATUS = "Welcome back! " + ASK_STATUS.removeprefix("Thanks! ")
WELCOME_BACK_AGE = "Welcome back! H" + ASK_AGE.removeprefix("And h")
STATUS_REASK = "Sorry, we didn't get that. Reply 1 if you're in care, 2 if you're a care leaver, or 3 to skip."
AGE_REASK = "Sorry, we didn't get that. Reply 1 (11-15), 2 (16-17), 3 (18-21), 4 (22-25) or SKIP."
ONBOARDING_DONE = (
    "Thanks, that's everything. You can text us any time about anything to do with your care. Reply STOP to opt out."
)
ONBOARDING_DECLINED = "No problem, we won't ask you anything. If you change your mind, just text YES. Take care."

# The invitation's nudge in the chat, beside its Yes and Not now buttons (the reminder's too).
_CHAT_INVITE_NUDGE = "Would you like to do our quick survey? Tap Yes to start, or Not now if you'd rather not."
# The web chat's words for every fixed text that talks about texting, STOP or replying: in a chat
# nobody gets texts, and the buttons do the replying. Keyed by the SMS wording (templates keep their
# {placeholders}); `for_channel` is the one place that chooses. STOP still works in the chat, it just
# is not offered there: they can simply close the chat.
WEBCHAT = "webchat"
CHAT_WORDING = {
    HELP: (
        "This is the Voice team. Just answer the question, or send SKIP to skip it. "
        "Need to talk now? Call Childline free on 0800 1111."
    ),
    # The chat has no segments: its HELP says the help lines in full, with 999 (trial 12, finding 7: it stopped
    # mid-sentence, as the SMS words are cut to fit one segment).
    HELP_INVITED: (
        "Voice team at {council}. Tap Yes to start, or say TALK TO A PERSON and a worker will get back to you. "
        + NEED_HELP_NOW
    ),
    HELP_WELCOME: (
        "Voice team at {council}. Tap Yes to go on, or say TALK TO A PERSON and a worker will get back to you. "
        + NEED_HELP_NOW
    ),
    HELP_FIRST: (
        "Hi! This is the Voice team at {council}. We ask young people in care and care leavers how we're doing. "
        + NEED_HELP_NOW
        + " Say TALK TO A PERSON and a worker will get back to you. "
        "Your messages are read by our team and kept private. We only share them if we think someone is at risk. "
        "Tap Yes to go on."
    ),
    # Sent only with nothing waiting (onboarding done, or after "Not now"), where no Not now button is shown
    # (trial 7, G4): how to stop in a chat is to close it.
    WHO_WE_ARE: (
        "This is the Voice team at {council}. We ask young people in care and care leavers how we're doing. "
        "You can message us here any time, or just close the chat."
    ),
    STOP_CONFIRMED: "OK, we won't send you any more surveys. If you change your mind, send START. Take care.",
    START_WELCOME_BACK: "Welcome back! You can message us here any time.",
    START_WELCOME_BACK_SURVEY: "Welcome back! Would you like to do our quick survey? Tap Yes to start.",
    START_ALREADY: "You're all set. You can message us here any time.",
    START_CLOSED: "Sorry, that survey has ended now. You can message us here any time.",
    HELP_PAUSED: (
        "This is the Voice team at {council}. Your survey is paused. Tap Carry on with the survey when you're "
        "ready. Need to talk now? Call Childline free on 0800 1111."
    ),
    WHO_WE_ARE_INVITED: (
        "This is the Voice team at {council}. We ask young people in care and care leavers how we're doing. "
        "Tap Yes to start, or Not now if you'd rather not."
    ),
    PAUSED_WAITING: "You can carry on with our survey when you're ready. There's no rush.",
    HELP_ANY_TIME: (
        "This is the Voice team. You can message us here any time about your care. "
        "Need to talk now? Call Childline free on 0800 1111."
    ),
    CANT_SKIP: "Sorry, we can't skip this one. Any answer is fine, even a few words.",
    CLOSED: (
        "Thanks for your message. That survey has closed now, but our team will still read what you sent. "
        "You can message us here any time."
    ),
    RESUME_NUDGE: (
        "Hi! You're part way through our quick survey. Just answer to carry on, or send SKIP to skip a question."
    ),
    INVITE_NUDGE: _CHAT_INVITE_NUDGE,
    REMINDER_NOT_STARTED: REMINDER_NOT_STARTED.removesuffix(INVITE_NUDGE) + _CHAT_INVITE_NUDGE,
    DECLINED: "No problem, thanks for letting us know. You can still message us here any time.",
    REASK_SCALE: "Sorry, we didn't get that. Please pick a number from {lo} to {hi}.",  # a face, or typed
    REASK_YES_NO: "Is that a yes or a no? Tap Yes or No.",
    REASK_CHOICE: "Sorry, we didn't get that. Please tap an answer or send its number.",
    WELCOME: (
        "Hi! This is the Voice team at {council}. We ask young people in care and care leavers "
        "how we're doing. Your messages are read by our team and kept private. "
        "We only share them if we think someone is at risk. Tap Yes to go on."
    ),
    WHO_WE_ARE_WELCOME: (
        "This is the Voice team at {council}. We ask young people in care and care leavers how we're doing. "
        "Tap Yes to go on, or No thanks if you'd rather not."
    ),
    # An anonymous chat has no number to explain: who we are, as to "who is this?".
    NUMBER_FROM_THEM: (
        "This is the Voice team at {council}. We ask young people in care and care leavers how we're doing. "
        "Tap Yes to go on, or No thanks if you'd rather not."
    ),
    CONSENT_REASK: "Sorry, we didn't catch that. Tap Yes to go on, or No thanks if you'd rather not.",
    CONSENT_HELLO: "Hi! Would you like to go on? Tap Yes to go on, or No thanks if you'd rather not.",
    ASK_STATUS: "Thanks! Are you in care, a care leaver, or would you rather not say? Tap one, or send 1, 2 or 3.",
    ASK_AGE: "And how old are you? Tap your age group, or send 1 for 11-15, 2 for 16-17, 3 for 18-21 or 4 for 22-25.",
    STATUS_REASK: "Sorry, we didn't get that. Tap one: in care, a care leaver, or rather not say.",
    WHO_WE_ARE_ASKING_STATUS: (
        WHO_WE_ARE_ASKING + "Are you in care, a care leaver, or would you rather not say? Tap one, or send 1, 2 or 3."
    ),
    WHO_WE_ARE_ASKING_AGE: (
        WHO_WE_ARE_ASKING
        + "How old are you? Tap your age group, or send 1 for 11-15, 2 for 16-17, 3 for 18-21 or 4 for 22-25."
    ),
    WELCOME_BACK_STATUS: (
        "Welcome back! Are you in care, a care leaver, or would you rather not say? Tap one, or send 1, 2 or 3."
    ),
    WELCOME_BACK_AGE: (
        "Welcome back! How old are you? "
        "Tap your age group, or send 1 for 11-15, 2 for 16-17, 3 for 18-21 or 4 for 22-25."
    ),
    ONBOARDING_DONE: "Thanks, that's everything. You can message us here any time about anything to do with your care.",
}


def _template(template: str) -> re.Pattern[str]:
    """A pattern that matches the template filled in, capturing each {placeholder} by name."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)), re.S)


# The Welsh for each fixed text a young person whose language is Welsh can get (`Situation.language`, a run's
# `RunState.language`: "cy"), keyed by its English (SMS) words as CHAT_WORDING is, and sent by `for_person`, the one
# place that chooses. Machine-drafted: every one needs a council translator's review before use (as the pulse's
# `text_cy`). Written to fit both channels ("anfona", send; "neges", message: no texting or button words where the
# English has a chat wording) and, like the English, one GSM-7 segment for someone of any age, with a council name
# of up to `len(LONGEST_COUNCIL)` and the longest "back" (`welsh_back`): no to bach (siwr, ol, Tim), which would
# send the text as UCS-2. The keywords stay English (STOP, START, SKIP, GO ON, CALL ME, SHOUT), as they work.
# Onboarding's texts have none: a newcomer's language is not known (English) until a worker imports it.
_HELP_NOW_CY = "Help nawr? Childline 0800 1111, Samaritans 116 123, tecstia SHOUT i 85258. Perygl? Ffonia 999."
_NEED_HELP_NOW_CY = "Help nawr? Ffonia Childline 0800 1111. Perygl? Ffonia 999."
_BOTH_LINES_CY = "Help nawr? Childline 0800 1111, Samaritans 116 123. Perygl? Ffonia 999."
_WHO_WE_ARE_CY = (
    "Tim Voice {council} sydd yma. Rydyn ni'n holi pobl ifanc mewn gofal a rhai sydd wedi gadael gofal. "
    "Anfona STOP i stopio."
)
_WHO_WE_ARE_INVITED_CY = _WHO_WE_ARE_CY.replace("Anfona STOP i stopio.", "Ateba IE neu STOP.")
# Ends each Welsh re-ask ("Sori, wnaethon ni ddim deall"). The screen reads English only, and a Welsh reply too short to
# tell its language by ("dim yn saff", not safe) is asked again rather than flagged for a person to read, so the
# re-ask names where help is, as the reply to text the screen cannot read does (trial 6b). No texting words: it
# fits both channels. A SKIP hint goes before it (`_hinted`), never after 999.
_REASK_HELP_CY = " Help? Childline 0800 1111. Perygl? Ffonia 999."
_PASSED_ON_CY = "Mae'r tim y tu allan i oriau'n gwybod. "  # "the out-of-hours team knows"
_HELP_INVITED_CY = (
    "Tim Voice {council}. Ateba IE i ddechrau, STOP i stopio, CALL ME am weithiwr. Help? Childline 0800 1111"
)
WELSH = {
    HELP: (
        "Tim Voice sydd yma. Ateba'r cwestiwn, anfona SKIP i'w hepgor neu STOP i stopio. "
        "Angen siarad nawr? Ffonia Childline 0800 1111."
    ),
    QUESTION_WAS: "Dy gwestiwn oedd: ",
    HELP_INVITED: _HELP_INVITED_CY,
    SHORTER[HELP_INVITED]: "Tim Voice {council}. Ateba IE i ddechrau neu STOP i stopio. Help? Childline 0800 1111",
    WHO_WE_ARE: _WHO_WE_ARE_CY,
    SHORTER[WHO_WE_ARE]: _WHO_WE_ARE_CY,
    WHO_WE_ARE_INVITED: _WHO_WE_ARE_INVITED_CY,
    SHORTER[WHO_WE_ARE_INVITED]: _WHO_WE_ARE_INVITED_CY,
    WHO_WE_ARE_ASKING: "Tim Voice {council} sydd yma. ",
    STOP_CONFIRMED: (
        "Iawn, chei di ddim mwy o negeseuon gennym ni. Os wyt ti'n newid dy feddwl, anfona START. Cymer ofal."
    ),
    STOP_WHILE_ALERT: "Iawn, dim mwy o arolygon. Gelli di anfon neges aton ni am help o hyd. " + _NEED_HELP_NOW_CY,
    START_WELCOME_BACK: (
        "Croeso nol! Byddi di'n cael ein negeseuon eto. Anfona neges aton ni unrhyw bryd, neu STOP i stopio."
    ),
    START_WELCOME_BACK_SURVEY: (
        "Croeso nol! Byddi di'n cael ein negeseuon eto. Ateba IE i wneud ein harolwg byr, neu STOP i stopio."
    ),
    START_ALREADY: (
        "Mae popeth yn iawn, rwyt ti'n cael ein negeseuon. Anfona neges aton ni unrhyw bryd, neu STOP i stopio."
    ),
    START_CLOSED: (
        "Sori, mae'r arolwg yna wedi dod i ben. Byddwn ni'n cysylltu pan fydd un newydd. "
        "Anfona neges aton ni unrhyw bryd."
    ),
    HELP_ANY_TIME: (
        "Tim Voice sydd yma. Anfona neges aton ni am dy ofal unrhyw bryd, neu STOP i stopio. "
        "Help nawr? Ffonia Childline 0800 1111."
    ),
    CANT_SKIP: (
        "Sori, allwn ni ddim hepgor hwn. Mae unrhyw ateb yn iawn, hyd yn oed ychydig eiriau. Neu anfona STOP i stopio."
    ),
    CLOSED: (
        "Diolch am dy ateb. Mae'r arolwg yna wedi cau, ond bydd ein tim yn darllen beth anfonaist ti. "
        "Anfona neges aton ni unrhyw bryd."
    ),
    TEXT_IN_THANKS: (
        "Diolch am dy neges. Bydd tim Voice yn ei darllen. Os wyt ti angen siarad nawr, ffonia Childline 0800 1111."
    ),
    RESUME_NUDGE: (
        "Helo! Rwyt ti hanner ffordd drwy ein harolwg byr. Ateba i barhau, SKIP i hepgor cwestiwn, neu STOP i stopio."
    ),
    INVITE_NUDGE: "Ateba IE i ddechrau ein harolwg byr, neu STOP os nad wyt ti eisiau negeseuon gennym ni.",
    REMINDER_NOT_STARTED: (
        "Helo, Tim Voice sydd yma eto. Ateba IE i ddechrau ein harolwg byr, "
        "neu STOP os nad wyt ti eisiau negeseuon gennym ni."
    ),
    DECLINED: "Dim problem, diolch am roi gwybod. Os wyt ti'n newid dy feddwl, anfona IE. Neu STOP i stopio.",
    UNREAD: "Diolch am dy neges. Bydd rhywun o'n tim yn ei darllen cyn bo hir. " + _NEED_HELP_NOW_CY,
    UNREAD_OUT_OF_HOURS: "Diolch. Bydd rhywun yn ei darllen. Ni'n ol {back}. " + _NEED_HELP_NOW_CY,
    QUESTION_WAITS: "Mae cwestiwn yr arolwg yn dal i aros amdanat ti. Ateba fe pan fyddi di'n barod.",
    DISCLOSURE_IN_HOURS: "Diolch am ddweud. Bydd gweithiwr yn darllen yn fuan. " + _HELP_NOW_CY,
    DISCLOSURE_OUT_OF_HOURS: "Diolch am ddweud. Ni'n ol {back}. " + _HELP_NOW_CY,
    PLEA_DISCLOSURE_IN_HOURS: "Diolch am ddweud. Rydyn ni wedi dweud wrth y tim. " + _HELP_NOW_CY,
    PLEA_DISCLOSURE_OUT_OF_HOURS: "Tim yn gwybod. Ni'n ol {back}. " + _HELP_NOW_CY,
    DISCLOSURE_PASSED_ON: "Diolch. " + _PASSED_ON_CY + _HELP_NOW_CY,
    PLEA_DISCLOSURE_PASSED_ON: _PASSED_ON_CY + _HELP_NOW_CY,
    AFTER_DISCLOSURE_PASSED_ON: "Gwnest ti'r peth iawn. " + _PASSED_ON_CY + _BOTH_LINES_CY,
    NOTHING_WAITING_PASSED_ON: "Does dim arolwg yn aros nawr. " + _PASSED_ON_CY + _BOTH_LINES_CY,
    WANTS_PERSON_AFTER_DISCLOSURE_PASSED_ON: "Diolch. " + _PASSED_ON_CY + _BOTH_LINES_CY,
    PAUSED_OFFER: "Diolch am dy neges. Os wyt ti eisiau parhau gyda'n harolwg, anfona GO ON. Does dim brys.",
    PAUSED_WAITING: "Gelli di barhau gyda'n harolwg pan fyddi di'n barod. Anfona GO ON. Does dim brys.",
    PAUSED_THANKS: (
        "Diolch, bydd tim Voice yn darllen dy neges. I barhau gyda'n harolwg, anfona GO ON. "
        "Angen siarad? Ffonia Childline 0800 1111."
    ),
    HELP_PAUSED: (
        "Tim Voice {council}. Mae'r arolwg wedi oedi. Anfona GO ON i barhau, neu STOP. Help? Childline 0800 1111"
    ),
    SHORTER[HELP_PAUSED]: "Tim Voice {council}. Arolwg wedi oedi: anfona GO ON neu STOP. Help? Childline 0800 1111",
    SURVEY_PAUSED: "Mae'r arolwg wedi oedi, dim brys. Anfona GO ON pan fyddi di'n barod. " + _NEED_HELP_NOW_CY,
    PICTURE_ANSWER: "Sori, allwn ni ddim gweld lluniau na fideos. Teipia dy ateb mewn geiriau yn lle hynny.",
    PICTURE_MESSAGE: "Sori, allwn ni ddim gweld lluniau na fideos. Teipia dy neges mewn geiriau yn lle hynny.",
    PICTURE_AFTER_DISCLOSURE: "Allwn ni ddim gweld lluniau. Mae'r tim yn gwybod. Teipia aton ni. " + _NEED_HELP_NOW_CY,
    AFTER_DISCLOSURE_IN_HOURS: "Gwnest ti'r peth iawn. Bydd gweithiwr yn cysylltu'n fuan. " + _NEED_HELP_NOW_CY,
    AFTER_DISCLOSURE_OUT_OF_HOURS: ("Gwnest ti'r peth iawn. Mae'n tim yn ol {back}. " + _BOTH_LINES_CY),
    NOTHING_WAITING_IN_HOURS: "Does dim arolwg yn aros nawr. Bydd gweithiwr yn cysylltu'n fuan. " + _NEED_HELP_NOW_CY,
    NOTHING_WAITING_OUT_OF_HOURS: "Does dim arolwg yn aros nawr. Mae'n tim yn ol {back}. " + _BOTH_LINES_CY,
    WHO_AFTER_DISCLOSURE: "Gwnest ti'r peth iawn. Childline 0800 1111, Samaritans 116 123. Perygl? Ffonia 999.",
    WANTS_PERSON_IN_HOURS: (
        "Diolch. Rydyn ni wedi gofyn i weithiwr gysylltu, fel arfer o fewn diwrnod gwaith. "
        "Help nawr? Ffonia Childline 0800 1111."
    ),
    WANTS_PERSON_OUT_OF_HOURS: (
        "Diolch. Bydd gweithiwr yn cysylltu. Mae'r swyddfa'n agor {back}. Help nawr? Ffonia Childline 0800 1111."
    ),
    WANTS_PERSON_AFTER_DISCLOSURE_IN_HOURS: "Diolch. Rydyn ni wedi gofyn i weithiwr gysylltu'n fuan. "
    + _NEED_HELP_NOW_CY,
    WANTS_PERSON_AFTER_DISCLOSURE_OUT_OF_HOURS: (
        "Diolch. Bydd gweithiwr yn cysylltu. Ni'n ol {back}. " + _BOTH_LINES_CY
    ),
    REASK_SCALE: "Sori, wnaethon ni ddim deall. Ateba gyda rhif o {lo} i {hi}." + _REASK_HELP_CY,
    REASK_YES_NO: "Sori, wnaethon ni ddim deall. Ateba IE neu NA." + _REASK_HELP_CY,
    REASK_CHOICE: "Sori, wnaethon ni ddim deall. Ateba gyda rhif o 1 i {n}." + _REASK_HELP_CY,
    REASK_TEXT: "Sori, wnaethon ni ddim deall. Teipia dy ateb yn dy eiriau." + _REASK_HELP_CY,
    SKIP_HINT: " Neu SKIP i'w hepgor.",
}
# The languages fixed texts are written in besides English.
IN_LANGUAGE = {"cy": WELSH}

# The web chat's buttons. Each sends its own words, which the engine reads as the same words typed (so a tap and a
# typed answer go down one path, and the chat shows what was tapped): yes and no (`answers.parse_yes_no`), SKIP
# (`keywords.SKIP_WORDS`), GO ON (`GO_ON_WORDS`), a change of mind (`CHANGED_MIND_WORDS`). In a Welsh run the
# survey's buttons are in Welsh (`button`), read as typed in that run; onboarding's stay English, as its texts do
# (a newcomer's language is not known).
YES_BUTTON = "Yes"
NO_BUTTON = "No"
SKIP_BUTTON = "Skip this one"
CARRY_ON_BUTTON = "Carry on with the survey"
START_BUTTON = "Yes, let's start"
NOT_NOW_BUTTON = "Not now"
CONSENT_BUTTON = "Yes, go on"
NO_THANKS_BUTTON = "No thanks"
CHANGED_MIND_BUTTON = "I've changed my mind"
BUTTONS = (
    YES_BUTTON,
    NO_BUTTON,
    SKIP_BUTTON,
    CARRY_ON_BUTTON,
    START_BUTTON,
    NOT_NOW_BUTTON,
    CONSENT_BUTTON,
    NO_THANKS_BUTTON,
    CHANGED_MIND_BUTTON,
)
# Machine-drafted, for a council translator's review as the rest of `WELSH`.
WELSH_BUTTONS = {
    YES_BUTTON: "Ie",
    NO_BUTTON: "Na",
    SKIP_BUTTON: "Hepgor hwn",
    CARRY_ON_BUTTON: "Parhau gyda'r arolwg",
    START_BUTTON: "Ie, dechrau",
    NOT_NOW_BUTTON: "Dim nawr",
}
BUTTONS_IN = {"cy": WELSH_BUTTONS}
# The carry-on button is GO ON in either language; the change-of-mind button (and its words typed) a change of mind.
GO_ON_WORDS |= {CARRY_ON_BUTTON.lower(), WELSH_BUTTONS[CARRY_ON_BUTTON].lower()}
CHANGED_MIND_WORDS = frozenset(
    {CHANGED_MIND_BUTTON.lower(), "ive changed my mind", "i changed my mind", "changed my mind"}
)

# The chat's words for texts said where one of its buttons is shown, naming that button as it reads (trial 13: "just
# send YES" over a button reading "I've changed my mind", "or SKIP" beside "Skip this one", "send GO ON" beside "Carry
# on with the survey"). By text the words are as above.
_TAP_CHANGED_MIND = f"If you change your mind, just tap {CHANGED_MIND_BUTTON}."
_TAP_SKIP = f"or tap {SKIP_BUTTON}."
_TAP_CARRY_ON = f"tap {CARRY_ON_BUTTON}"
# Asking for a person in the chat: the worker's answer comes into this chat (`inbox.threads.reply_way`), and someone
# with no number on file has no other way to get it, so say where (trial 14: "get back to you" read as a call, and
# nothing said it would be in the chat). No longer than the texts' words: one segment still, for every age.
_ANSWER_HERE = "A worker will answer you in this chat"
CHAT_WORDING |= {
    WANTS_PERSON_IN_HOURS: (
        f"Thanks. {_ANSWER_HERE}, usually within one working day. Need help now? Call Childline free on 0800 1111."
    ),
    WANTS_PERSON_OUT_OF_HOURS: (
        f"Thanks. {_ANSWER_HERE}. The office opens {{back}}. Need help now? Call Childline free on 0800 1111."
    ),
    WANTS_PERSON_AFTER_DISCLOSURE_IN_HOURS: f"Thanks. {_ANSWER_HERE} soon. " + NEED_HELP_NOW,
    WANTS_PERSON_AFTER_DISCLOSURE_OUT_OF_HOURS: (
        # "here": "in this chat" takes it past one segment at the longest opening, for someone of any age.
        "Thanks. A worker will answer you here. We're back {back}. "
        "Need help now? Childline 0800 1111, Samaritans 116 123. In danger call 999."
    ),
}
CHAT_WORDING |= {
    ONBOARDING_DECLINED: f"No problem, we won't ask you anything. {_TAP_CHANGED_MIND} Take care.",
    AGE_REASK: f"Sorry, we didn't get that. Tap your age group, {_TAP_SKIP}",
    PAUSED_OFFER: (
        f"Thanks for your message. If you want to carry on with our survey, just {_TAP_CARRY_ON}. There's no rush."
    ),
    PAUSED_THANKS: (
        f"Thanks, the Voice team will read your message. To carry on with our survey, {_TAP_CARRY_ON}. "
        "Need to talk? Call Childline free on 0800 1111."
    ),
}
# "who is this?" after "No thanks" to the welcome: by text the welcome's answer (`WHO_WE_ARE_WELCOME`, YES to go on, as
# `ONBOARDING_DECLINED` promised); in the chat the one button then is "I've changed my mind", not the welcome's "Yes, go
# on" and "No thanks", so its words name that. Its text words are the welcome's, so it has no key of its own in
# CHAT_WORDING: `routing.decide` says this in the chat (`who_we_are_declined`).
WHO_WE_ARE_DECLINED_CHAT = (
    "This is the Voice team at {council}. We ask young people in care and care leavers how we're doing. "
    + _TAP_CHANGED_MIND
)


def who_we_are_declined(channel: str) -> str:
    """The answer to "who is this?" after "No thanks" to the welcome, as a template with {council}: the welcome's
    words by text, the words naming the chat's one button then in the chat (`WHO_WE_ARE_DECLINED_CHAT`)."""
    return WHO_WE_ARE_DECLINED_CHAT if channel == WEBCHAT else WHO_WE_ARE_WELCOME


def button(label: str, language: str = "en") -> str:
    """A chat button's words (`label`, one of `BUTTONS`) in `language` where written in it (`BUTTONS_IN`), else
    as they are: the one place a button's language is chosen."""
    return BUTTONS_IN.get(language, {}).get(label, label)


# The web chat's own words, said in no text message: its greeting where nothing waits, its hello to a survey they
# said "Not now" to or one paused after a disclosure, its "Welcome back" before what waits, and the hint under its
# message box (what typing a keyword does now; `web.chat.quick_replies` says where each is true). A Welsh run gets
# them in Welsh (in `WELSH`, machine-drafted as the rest), so they say what its Welsh buttons say.
CHAT_GREETING = (
    "Hi! There's no survey waiting for you right now, but you can tell us anything "
    "about your care here. The Voice team reads every message."
)
CHAT_HELLO = "Hi! "
CHAT_DECLINED_HELLO = (
    "Hi! Changed your mind about our quick survey? Tap Yes to start, or tell us anything about your care."
)
CHAT_WELCOME_BACK = "Welcome back! Here's where we were: "
# The same before words that are no question (their survey waits, paused: trial 9, T9-17).
CHAT_WELCOME_BACK_PLAIN = "Welcome back! "
# On a reload, or a return soon after (`web.chat.sessions.AWAY`), where "Welcome back!" greets someone who never left.
CHAT_WHERE_WE_WERE = "Here's where we were: "
SKIP_OR_STOP_HINT = "You can type SKIP to skip this question, or STOP to stop."
STOP_HINT = "You can type STOP to stop."
CHANGED_MIND_HINT = "Changed your mind? Tap Yes to start the survey."
# Under the box while a worker holds the conversation (the service says nothing then: trial 11, T11-4, silence
# after each message looked as if the chat had broken).
TALKING_HINT = "A worker is chatting with you here. They will see what you send."
WELSH |= {
    CHAT_GREETING: (
        "Helo! Does dim arolwg yn aros amdanat ti nawr, ond gelli di ddweud unrhyw beth am dy ofal yma. "
        "Mae tim Voice yn darllen pob neges."
    ),
    CHAT_HELLO: "Helo! ",
    CHAT_DECLINED_HELLO: (
        "Helo! Wedi newid dy feddwl am ein harolwg byr? Tapia Ie i ddechrau, neu dywed unrhyw beth am dy ofal."
    ),
    CHAT_WELCOME_BACK: "Croeso nol! Dyma lle roedden ni: ",
    CHAT_WELCOME_BACK_PLAIN: "Croeso nol! ",
    CHAT_WHERE_WE_WERE: "Dyma lle roedden ni: ",
    SKIP_OR_STOP_HINT: "Gelli di deipio SKIP i hepgor y cwestiwn hwn, neu STOP i stopio.",
    STOP_HINT: "Gelli di deipio STOP i stopio.",
    CHANGED_MIND_HINT: "Wedi newid dy feddwl? Tapia Ie i ddechrau'r arolwg.",
    TALKING_HINT: "Mae gweithiwr yn sgwrsio gyda ti yma. Byddan nhw'n gweld beth rwyt ti'n ei anfon.",
}

# The chat page's own words, by name: its title and heading, what it says above and below the box, its buttons
# (Start chat, Send, Leave this page), the help lines in its footer (their numbers are on the page) and the words its
# script shows (Sending..., "Not sent"). Never sent in a message. The page is in the language its chat's words are in
# now (`chat_page_language`; `web.chat.sessions.Waiting.language`): its template takes them from here, and its script
# (`web/static/chat/chat.js`) from the page, which carries them for every language it is written in, so it can switch
# when the chat's language changes with no reload. "{council}": the council's name. `lang`: the page's `lang`.
CHAT_PAGE = {
    "lang": "en-GB",
    "title": "Chat with the Voice team",
    "skip_link": "Skip to main content",
    "emergency": "Emergency",
    "leave": "Leave this page",
    "intro": "Tell us how things are for you. Only the Voice team at {council} reads this chat.",
    "privacy": "We only share what you say if we think someone is at risk.",
    "leave_quickly": "To leave quickly, press",
    "leave_by_shift": "or press the Shift key 3 times",
    "leave_clears": "The chat will disappear from this screen.",
    "problem": "There is a problem",
    "error": "Error:",
    "messages": "Messages",
    "service_said": "Voice team said:",
    "you_said": "You said:",
    "you_tried": "You tried to send (not sent):",
    "not_sent": "Not sent",
    "start": "Start chat",
    "start_carries": "Press Start chat and we'll send what you wrote.",
    "buttons": "Tap an answer, or type your own below",
    "your_message": "Your message",
    "send": "Send",
    "sending": "Sending…",
    "type_first": "Type a message first.",
    "new_buttons": "New answer buttons are ready.",
    "cant_check": "We can't check for new messages. Reload the page to see them.",
    "cant_send": "We couldn't send that. Check your connection and try again.",
    "cant_start": "We couldn't start the chat. Please try again.",
    "went_wrong": "Something went wrong. Please try again.",
    "talk_now": "Need to talk to someone now?",
    "childline": "Childline (under 19): call free on",
    "samaritans": "Samaritans: call free on",
    "shout": "Shout: text SHOUT to",
    "emergency_call": "In an emergency, call",
    # The chat's error page (`templates/chat/error.html`: a refusal's words under it) and the page of a chat link
    # that does not work (`expired.html`: "...You can still <a>start a new chat with the Voice team</a>.").
    "sorry": "Sorry, there is a problem",
    "back_to_chat": "Go back to the chat",
    "link_broken": "This chat link does not work",
    "link_why": "It may be too old, or part of it may be missing. You can still",
    "link_start": "start a new chat with the Voice team",
}
# Machine-drafted, for a council translator's review as the rest of `WELSH`. Never sent by text, so written with
# Welsh's own accents (tîm), which the texts leave out to stay GSM-7.
WELSH_CHAT_PAGE = {
    "lang": "cy",
    "title": "Sgwrsio gyda thîm Voice",
    "skip_link": "Neidio i'r prif gynnwys",
    "emergency": "Argyfwng",
    "leave": "Gadael y dudalen hon",
    "intro": "Dywed wrthon ni sut mae pethau i ti. Dim ond tîm Voice {council} sy'n darllen y sgwrs hon.",
    "privacy": "Rydyn ni ond yn rhannu beth rwyt ti'n ei ddweud os ydyn ni'n meddwl bod rhywun mewn perygl.",
    "leave_quickly": "I adael yn gyflym, pwysa",
    "leave_by_shift": "neu pwysa'r fysell Shift 3 gwaith",
    "leave_clears": "Bydd y sgwrs yn diflannu o'r sgrin hon.",
    "problem": "Mae problem",
    "error": "Gwall:",
    "messages": "Negeseuon",
    "service_said": "Dywedodd tîm Voice:",
    "you_said": "Dywedaist ti:",
    "you_tried": "Wnest ti drio anfon (heb ei anfon):",
    "not_sent": "Heb ei anfon",
    "start": "Dechrau sgwrsio",
    "start_carries": "Pwysa Dechrau sgwrsio a byddwn ni'n anfon beth ysgrifennaist ti.",
    "buttons": "Tapia ateb, neu teipia dy ateb dy hun isod",
    "your_message": "Dy neges",
    "send": "Anfon",
    "sending": "Yn anfon…",
    "type_first": "Teipia neges yn gyntaf.",
    "new_buttons": "Mae botymau ateb newydd yn barod.",
    "cant_check": "Allwn ni ddim gweld negeseuon newydd. Llwytha'r dudalen eto i'w gweld nhw.",
    "cant_send": "Wnaeth hwnna ddim anfon. Gwiria dy gysylltiad a thria eto.",
    "cant_start": "Wnaeth y sgwrs ddim dechrau. Tria eto, plis.",
    "went_wrong": "Aeth rhywbeth o'i le. Tria eto, plis.",
    "talk_now": "Angen siarad gyda rhywun nawr?",
    "childline": "Childline (dan 19): ffonia am ddim ar",
    "samaritans": "Samaritans: ffonia am ddim ar",
    "shout": "Shout: tecstia SHOUT i",
    "emergency_call": "Mewn argyfwng, ffonia",
    "sorry": "Sori, mae problem",
    "back_to_chat": "Mynd yn ôl i'r sgwrs",
    "link_broken": "Dydy'r ddolen sgwrsio hon ddim yn gweithio",
    "link_why": "Efallai ei bod hi'n rhy hen, neu fod darn ohoni ar goll. Gelli di",
    "link_start": "ddechrau sgwrs newydd gyda thîm Voice",
}
# The languages the chat page is written in besides English.
CHAT_PAGE_IN = {"cy": WELSH_CHAT_PAGE}


def chat_page_language(language: str) -> str:
    """The language the chat page is shown in for a chat whose words are in `language`: it, where the page is
    written in it (`CHAT_PAGE_IN`), else English ("en")."""
    return language if language in CHAT_PAGE_IN else "en"


def chat_page_words(language: str = "en", council: str = "the council") -> dict[str, str]:
    """The chat page's own words (`CHAT_PAGE`) in `language` where it is written in it, else in English, naming
    `council`: the one place they are chosen, for its template and, through the page, its script."""
    own = CHAT_PAGE_IN.get(language, {})
    return {name: own.get(name, english).replace("{council}", council) for name, english in CHAT_PAGE.items()}


# The chat's refusals to a young person, by name: the code the chat's API refuses with (`{"error": code, "message":
# words}`), and a no-JavaScript form's own (`page_expired`, `start_expired`: its page comes back with a new token to
# try again with; `something_wrong`: the chat's error page). A new chat over its address's limit is refused with the
# code "rate_limited" too, in the words of `too_many_chats`. Every one says where help is ("{help}"), for someone
# whose age is not known (`help_any_age`: most come before anyone's chat is read). "{longest}": the most characters a
# chat message may have (`web.chat.sessions.MAX_TEXT`). Never sent in a message. Each is in the chat page's language
# where the server knows it (`web.chat.security.refusal`: a form's page always does; the API once it has read the
# chat), else English; the page carries them for every language it is written in (#chat-words, "refused"), and its
# script shows the words for an API refusal's code in the page's language, else the server's `message`.
CHAT_REFUSALS = {
    "rate_limited": "You're sending messages very fast. Wait a minute and try again. {help}",
    "too_many_chats": "Too many new chats from here. Please try again later. {help}",
    "csrf": "This page has expired. Please reload it and try again. {help}",
    "page_expired": "This page has expired. Please send your message again. {help}",
    "start_expired": "This page has expired. Please try again. {help}",
    "session_not_found": "There is no chat open here right now. You can start a new one. {help}",
    "invite_not_found": "That chat link does not work. It may be too old. You can still start a new chat. {help}",
    "too_long": "That message is too long. Please keep it under {longest} characters. {help}",
    "empty": "Type a message first. {help}",
    "not_text": "That message has characters we can't read. {help}",
    "something_wrong": "Something went wrong with that. Please try again. {help}",
}
# Machine-drafted, for a council translator's review as the rest of `WELSH`. Never sent by text, so written with
# Welsh's own accents where a word has them, as `WELSH_CHAT_PAGE` is.
WELSH_CHAT_REFUSALS = {
    "rate_limited": "Rwyt ti'n anfon negeseuon yn gyflym iawn. Aros funud a thria eto. {help}",
    "too_many_chats": "Mae gormod o sgyrsiau newydd wedi dechrau o'r fan hon. Tria eto nes ymlaen, plis. {help}",
    "csrf": "Mae'r dudalen hon wedi dod i ben. Llwytha hi eto, yna tria eto, plis. {help}",
    "page_expired": "Mae'r dudalen hon wedi dod i ben. Anfona dy neges eto, plis. {help}",
    "start_expired": "Mae'r dudalen hon wedi dod i ben. Tria eto, plis. {help}",
    "session_not_found": "Does dim sgwrs ar agor yma nawr. Gelli di ddechrau un newydd. {help}",
    "invite_not_found": (
        "Dydy'r ddolen sgwrsio yna ddim yn gweithio. Efallai ei bod hi'n rhy hen. "
        "Gelli di ddechrau sgwrs newydd o hyd. {help}"
    ),
    "too_long": "Mae'r neges yna'n rhy hir. Cadwa hi o dan {longest} nod, plis. {help}",
    "empty": "Teipia neges yn gyntaf. {help}",
    "not_text": "Mae rhai nodau yn y neges yna allwn ni ddim eu darllen. {help}",
    "something_wrong": "Aeth rhywbeth o'i le gyda hwnna. Tria eto, plis. {help}",
}
# The languages the chat's refusals are written in besides English.
CHAT_REFUSALS_IN = {"cy": WELSH_CHAT_REFUSALS}


def chat_refusals(language: str = "en", *, longest: int) -> dict[str, str]:
    """The chat's refusals (`CHAT_REFUSALS`) in `language` where they are written in it, else in English, each with
    where help is in its own words' language (`help_any_age`) and `longest` (a chat message's most characters): the
    one place they are chosen, for the chat's API, its form pages and, through the page, its script."""
    own = CHAT_REFUSALS_IN.get(language, {})
    said = {}
    for name, english in CHAT_REFUSALS.items():
        words, written_in = (own[name], language) if name in own else (english, "en")
        said[name] = words.replace("{longest}", f"{longest:,}").replace("{help}", help_any_age(written_in))
    return said


# A "back" (`inbound.office.office_reopens`: "tomorrow", "at 9am today", "12:30pm tomorrow", "at 9am on Monday",
# "Mon at 10:45am", "first thing Mon"; a week or more ahead "at 9am on 5 Jan", "12 Jan at 9:30am", "12 Jan, 10:30am",
# "on 5 Jan") in Welsh. A day named short is named in full: Welsh names are short.
_WELSH_DAYS = {
    "mon": "Llun",
    "tue": "Mawrth",
    "wed": "Mercher",
    "thu": "Iau",
    "fri": "Gwener",
    "sat": "Sadwrn",
    "sun": "Sul",
}
_WELSH_MONTHS = {
    "Jan": "Ion",
    "Feb": "Chwe",
    "Mar": "Maw",
    "Apr": "Ebr",
    "May": "Mai",
    "Jun": "Meh",
    "Jul": "Gor",
    "Aug": "Awst",
    "Sep": "Medi",
    "Oct": "Hyd",
    "Nov": "Tach",
    "Dec": "Rhag",
}
_DATED = re.compile(
    r"at (?P<time>\S+) on (?P<date>\d{1,2} \w{3})"
    r"|(?P<date2>\d{1,2} \w{3}),? (?:at )?(?P<time2>\S+)"
    r"|on (?P<date3>\d{1,2} \w{3})"
)
_BACK = re.compile(
    r"(?:at )?(?P<time>\d{1,2}(?::\d\d)?[ap]m) (?P<when>today|tomorrow)"
    r"|at (?P<time2>\S+) on (?P<day>\w+)"
    r"|(?P<day2>\w+) at (?P<time3>\S+)"
    r"|first thing (?P<day3>\w+)"
    r"|(?P<tomorrow>tomorrow)"
)


def welsh_back(back: str) -> str:
    """When the office reopens (`inbound.office.office_reopens`'s English) in Welsh; as it came if it is not one."""
    if dated := _DATED.fullmatch(back):
        number, month = (dated["date"] or dated["date2"] or dated["date3"]).split()
        on = f"ar {number} {_WELSH_MONTHS.get(month, month)}"
        time = dated["time"] or dated["time2"]
        return f"am {time} {on}" if time else on
    found = _BACK.fullmatch(back)
    if found is None:
        return back

    def day(name: str) -> str:
        return _WELSH_DAYS.get(name[:3].lower(), name)

    if found["tomorrow"]:
        return "yfory"
    if found["time"]:
        return f"am {found['time']} {'heddiw' if found['when'] == 'today' else 'yfory'}"
    if found["day3"]:
        return f"fore {day(found['day3'])}"
    time, name = (found["time2"], found["day"]) if found["time2"] else (found["time3"], found["day2"])
    return f"am {time} ddydd {day(name)}"


# -- re-asks while their alert is live --------------------------------------------------------------------------------
# Every "Sorry, we didn't get that" sent while their safeguarding alert is live (to a survey or onboarding they chose
# to carry on with) carries where help is, as every other reply then does (trial 11, T11-9: the re-ask after GO ON
# named no help line and no 999). `routing.decide` swaps each re-ask for its words here (`while_alert_live`), on
# either channel. Shorter help words than NEED_HELP_NOW, a shorter SKIP and, for onboarding, shorter choices, so
# that each stays one segment for someone of any age (`for_age` names both lines when their age is not known). The
# Welsh re-asks always end with where help is (`_REASK_HELP_CY`): theirs are the same while it is live.
REASK_HELP = " Help? Childline 0800 1111. In danger call 999."
_LIVE_SKIP = " Or SKIP."
_SURVEY_REASKS = (REASK_SCALE, REASK_YES_NO, REASK_CHOICE, REASK_TEXT)
_LIVE_WORDS = {  # a re-ask's words while their alert is live, before where help is: (SMS, web chat)
    **{reask: (reask, CHAT_WORDING.get(reask, reask)) for reask in _SURVEY_REASKS},
    CONSENT_REASK: ("Sorry, we didn't catch that. Reply YES to go on, or STOP.", CHAT_WORDING[CONSENT_REASK]),
    STATUS_REASK: (
        "Sorry, we didn't get that. Reply 1 (in care), 2 (care leaver) or 3 (skip).",
        CHAT_WORDING[STATUS_REASK],
    ),
    AGE_REASK: (
        "Sorry, we didn't get that. Reply 1 (11-15), 2 (16-17), 3 (18-21) or 4 (22-25).",
        CHAT_WORDING[AGE_REASK],
    ),
}
# Each re-ask (a survey's with its SKIP hint first: `while_alert_live` takes the first that fits), and its words while
# their alert is live.
LIVE_REASKS = {reask + SKIP_HINT: _LIVE_WORDS[reask][0] + _LIVE_SKIP + REASK_HELP for reask in _SURVEY_REASKS} | {
    reask: sms + REASK_HELP for reask, (sms, _) in _LIVE_WORDS.items()
}
# The live words come first in the chat's and Welsh's tables too, so the re-ask's own pattern never takes them.
CHAT_WORDING = {
    **{LIVE_REASKS[reask + SKIP_HINT]: _LIVE_WORDS[reask][1] + _LIVE_SKIP + REASK_HELP for reask in _SURVEY_REASKS},
    **{LIVE_REASKS[reask]: chat + REASK_HELP for reask, (_, chat) in _LIVE_WORDS.items()},
    **CHAT_WORDING,
}
WELSH = IN_LANGUAGE["cy"] = {
    **{
        LIVE_REASKS[reask + SKIP_HINT]: WELSH[reask].removesuffix(_REASK_HELP_CY) + WELSH[SKIP_HINT] + _REASK_HELP_CY
        for reask in _SURVEY_REASKS
    },
    **{LIVE_REASKS[reask]: WELSH[reask] for reask in _SURVEY_REASKS},
    **WELSH,
}
_LIVE_PATTERNS = [(_template(reask), live) for reask, live in LIVE_REASKS.items()]


def while_alert_live(text: str) -> str:
    """`text` as it is sent while their safeguarding alert is live: a re-ask ("Sorry, we didn't get that ...") in its
    words with where help is (`LIVE_REASKS`), any other text as it is. `routing.decide` is the one caller."""
    for pattern, live in _LIVE_PATTERNS:
        found = pattern.fullmatch(text)
        if found is not None:
            return live.format(**found.groupdict())
    return text


_LANGUAGE_PATTERNS = {
    code: [(_template(english), own) for english, own in table.items() if english != SKIP_HINT]
    for code, table in IN_LANGUAGE.items()
}
_ASKING = _template(WHO_WE_ARE_ASKING.rstrip() + " ")


def _hinted(words: str, hint: str) -> str:
    """`words` with a SKIP hint added: before where help is when they end with it (a Welsh re-ask), so "Neu SKIP"
    (or SKIP) never reads as the other choice to ringing 999; else after them."""
    if hint and words.endswith(_REASK_HELP_CY):
        return words.removesuffix(_REASK_HELP_CY) + hint + _REASK_HELP_CY
    return words + hint


def in_language(text: str, language: str) -> str:
    """`text` (a fixed text or its template, as in English) in `language` where it has been written in it
    (`IN_LANGUAGE`), else as it is: the one place a fixed text's language is chosen (`for_person` calls it)."""
    table = IN_LANGUAGE.get(language)
    if table is None:
        return text
    if text in table:
        return table[text]
    hint = SKIP_HINT if text.endswith(SKIP_HINT) and SKIP_HINT in table else ""
    body = text[: len(text) - len(hint)]
    for pattern, own in _LANGUAGE_PATTERNS[language]:
        filled = pattern.fullmatch(body)
        if filled is not None:
            values = filled.groupdict()
            if "back" in values and language == "cy":
                values["back"] = welsh_back(values["back"])
            return _hinted(own.format(**values), table.get(hint, hint))
    if body.startswith(QUESTION_WAS) and QUESTION_WAS in table:
        # The question again after HELP: it is in the run's language already (the survey's own words).
        return table[QUESTION_WAS] + body.removeprefix(QUESTION_WAS) + table.get(hint, hint)
    asked = _ASKING.match(body)
    if asked is not None and WHO_WE_ARE_ASKING in table:
        # "who is this?" answered before another text (the reply while their alert is live, a question again).
        rest = in_language(body[asked.end() :], language)
        return table[WHO_WE_ARE_ASKING].format(council=asked["council"]) + rest + table.get(hint, hint)
    return text


# A shorter wording (for a long council name) is said in the chat as its longer text is: the chat has no segments.
CHAT_WORDING |= {shorter: CHAT_WORDING[text] for text, shorter in SHORTER.items() if text in CHAT_WORDING}
_CHAT_PATTERNS = [(_template(sms), chat) for sms, chat in CHAT_WORDING.items()]

# A survey's own words (intro, questions, outro) are written for a text message; in the chat the same
# instructions are said with the buttons in mind. Whole phrases only, so a survey's content is never
# reworded: "Reply YES to start, or STOP to opt out." -> "Tap Yes to start.", "Reply 1 (not safe) to 5"
# -> "Pick 1 (not safe) to 5", "You can text us any time" -> "You can message us here any time".
_SURVEY_CHAT_REWRITES = (
    (re.compile(r",? or (?:reply |text )?STOP(?: to opt out| if you'd rather not(?: hear from us)?)"), ""),
    (re.compile(r"\s*(?:Reply|Text) STOP to opt out\."), ""),
    (re.compile(r"\bReply YES or NO\b"), "Tap Yes or No"),
    (re.compile(r"\b(?:Reply|Text) YES\b"), "Tap Yes"),
    (re.compile(r"\bReply (?=\d)"), "Pick "),
    (re.compile(r"\btext us\b"), "message us here"),
    (re.compile(r"\bText us\b"), "Message us here"),
)


def _rewritten(text: str, rewrites: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, words in rewrites:
        text = pattern.sub(words, text)
    return text


def _survey_words_for_chat(text: str) -> str:
    return _rewritten(text, _SURVEY_CHAT_REWRITES)


# The Welsh texts' offers of STOP, left out in the chat as the English chat wordings leave them out (trial 9): STOP
# still works there, it is just not offered. Only Welsh has these words ("i stopio", to stop; "neu", or).
_WELSH_STOP_FOR_CHAT = (
    (re.compile(r"\s*(?:Neu anfona|Anfona|Gelli di deipio) STOP i stopio\."), ""),
    (re.compile(r",? neu STOP os nad wyt ti eisiau negeseuon gennym ni"), ""),
    (re.compile(r",? (?:neu )?STOP i stopio"), ""),
    (re.compile(r",? neu STOP(?=\.)"), ""),
)


# The Welsh texts' words for a button, said in the chat as the button reads, as the English chat wordings say them
# (trial 13): "Ateba IE" (reply YES) is "Tapia Ie", beside "Ie" and "Ie, dechrau" (an invitation's answer to "who is
# this?" also names "Dim nawr", as the English does), and "anfona GO ON" where the chat shows its carry-on button
# (the offer to carry on and its thanks, once their alert is closed; never `SURVEY_PAUSED`, said while it is live and
# no button is shown), and a re-ask's "Neu SKIP i'w hepgor" beside "Hepgor hwn". Whole phrases only.
_WELSH_BUTTONS_FOR_CHAT = (
    (re.compile(r"\bAteba IE neu NA\b"), "Tapia Ie neu Na"),
    (re.compile(r"\bAteba IE\.$"), "Tapia Ie i ddechrau, neu Dim nawr."),
    (re.compile(r"\bAteba IE\b"), "Tapia Ie"),
    (re.compile(r"\b([pb]arhau gyda'n harolwg, )anfona GO ON\."), r"\1tapia Parhau gyda'r arolwg."),
    (re.compile(r"(pan fyddi di'n barod\.) Anfona GO ON\. (Does dim brys\.)$"), r"\1 \2"),
    # HELP while paused, once their alert is closed (the carry-on button is shown), in its words and its shorter ones.
    (re.compile(r"\bAnfona GO ON i barhau\."), f"Tapia {WELSH_BUTTONS[CARRY_ON_BUTTON]} pan fyddi di'n barod."),
    (re.compile(r"(Arolwg wedi oedi: )anfona GO ON\."), rf"\1tapia {WELSH_BUTTONS[CARRY_ON_BUTTON]}."),
    (re.compile(re.escape(WELSH[SKIP_HINT])), f" Neu tapia {WELSH_BUTTONS[SKIP_BUTTON]}."),
)


def _welsh_for_chat(text: str) -> str:
    text = _rewritten(text, _WELSH_STOP_FOR_CHAT) if "STOP" in text else text
    return _rewritten(text, _WELSH_BUTTONS_FOR_CHAT) if any(word in text for word in ("IE", "GO ON", "SKIP")) else text


# A text message has no buttons and nothing to click: a survey's own words that say "click" (a link, say)
# say "tap" in an SMS, the way a link in a text is opened. Whole words only, never inside a link.
_SMS_REWRITES = (
    (re.compile(r"(?<![\w/.=-])click(?![\w/.-])"), "tap"),
    (re.compile(r"(?<![\w/.=-])Click(?![\w/.-])"), "Tap"),
)


def _words_for_sms(text: str) -> str:
    return _rewritten(text, _SMS_REWRITES)


def for_channel(text: str, channel: str) -> str:
    """The words to send on `channel`: the web chat's variant of a fixed text, else the text as it is.

    The one place the channel's wording is chosen: the inbound path passes every reply through it, and
    the chat's prompts too. A survey's own words keep their content; only the texting instructions in them
    change ("Reply YES" becomes "Tap Yes"). A help reply is the same everywhere.
    """
    if channel != WEBCHAT:
        return _words_for_sms(text) if "lick" in text else text
    skipped = text.endswith(SKIP_HINT)
    body = text.removesuffix(SKIP_HINT) if skipped else text
    hint = CHAT_SKIP_HINT if skipped else ""
    for pattern, chat in _CHAT_PATTERNS:
        filled = pattern.fullmatch(body)
        if filled is not None:
            return chat.format(**filled.groupdict()) + hint
    return _survey_words_for_chat(_welsh_for_chat(body)) + hint


# Childline is for under-19s: a young person of 18 or over is pointed to Samaritans (any age, free,
# 24 hours) instead, in every fixed text and in a survey's own words. Same length, so one segment stays one.
# A survey's own words may name Childline other ways ("call Childline on 0800 1111", "talk to Childline"):
# the number goes with the name, and no Childline is left.
_ADULT_HELP = (
    (re.compile(r"Childline:? 0800 1111, (Samaritans 116 123)"), r"\1"),
    (re.compile(r"Childline( free on | on |:? | \(free\) on | \()0800 1111"), r"Samaritans\g<1>116 123"),
    (re.compile(r"\bChildline\b", re.I), "Samaritans"),
)


# Someone whose age we don't know (a new number, no date of birth or age band): they may be 19 or over, so Childline
# alone may not take their call: Samaritans too, with who Childline is for (the age rule in docs/conversations.md, in
# these words and nowhere else), in one pass so nothing is rewritten twice. Every help reply gets it: one that names
# Childline alone, and one that names the two as a pair ("Childline 0800 1111, Samaritans 116 123", the first reply to a
# disclosure), whose pair becomes these words (12 letters more, the least the rule takes). Any other text that already
# names Samaritans, or says who Childline is for, is left as it is. Longer than Childline alone: each fixed text
# leaves room for them, and a survey's own words near the limit may take two segments (the right help line matters
# more).
ANY_AGE_LINES = "Samaritans 116 123, Childline 0800 1111 if under 19"
# The same in Welsh, for a young person whose language is Welsh (machine-drafted: for a translator's review).
ANY_AGE_LINES_IN = {"cy": "Samaritans 116 123, Childline 0800 1111 os o dan 19"}
_ANY_AGE_PAIR = re.compile(r"\bChildline:? 0800 1111, Samaritans 116 123")
_ANY_AGE_HELP = re.compile(
    r"(?P<asked>(?<=\? )Call Childline free on 0800 1111)"
    r"|(?P<call>\b[Cc]all) Childline free on 0800 1111"
    r"|\bChildline(?: free on | on |:? | \(free\) on | \()0800 1111\)?"
)


def for_age(text: str, *, adult: bool | None, language: str = "en") -> str:
    """The words to send to this young person: help lines that will take their call (see _ADULT_HELP); when
    their age is not known (`adult` None), Samaritans as well as Childline, with who each is for (in their
    `language` where it is written: `ANY_AGE_LINES_IN`)."""
    lowered = text.lower()
    if "childline" not in lowered or adult is False:
        return text
    if adult is None:
        lines = ANY_AGE_LINES_IN.get(language, ANY_AGE_LINES)
        if "under 19" in lowered or lines.lower() in lowered:
            return text
        if "samaritans" in lowered:
            return _ANY_AGE_PAIR.sub(lines, text)
        return _ANY_AGE_HELP.sub(lambda match: f"{match['call']} {lines}" if match["call"] else lines, text)
    for pattern, words in _ADULT_HELP:
        text = pattern.sub(words, text)
    return text


# Where help is, for someone whose age we don't know (a refusal before their chat is looked up): both
# lines, with who each is for, so a care leaver of 18 or over is not sent to a line that won't take them.
HELP_ANY_AGE = for_age(NEED_HELP_NOW, adult=None)
# The same in Welsh: the words the Welsh texts end with for NEED_HELP_NOW (`_NEED_HELP_NOW_CY`), by the same rule
# (machine-drafted, for a translator's review).
HELP_ANY_AGE_IN = {"cy": for_age(_NEED_HELP_NOW_CY, adult=None, language="cy")}


def help_any_age(language: str = "en") -> str:
    """Where help is, for someone whose age we don't know (`HELP_ANY_AGE`), in `language` where it is written."""
    return HELP_ANY_AGE_IN.get(language, HELP_ANY_AGE)


def for_person(text: str, channel: str, *, adult: bool | None, language: str = "en") -> str:
    """The words a young person gets: in their language where the text is written in it (`in_language`: Welsh,
    `WELSH`), fitted to their channel (`for_channel`) and to their age (`for_age`).

    The one function every place that sends a young person words goes through: replies, the chat's prompts
    and opening, invitations, reminders and "You said, we did" messages. Every fixed text stays one SMS segment
    for every age, the help lines for someone whose age is not known (`adult` None) included, but those in
    `TWO_SEGMENTS` (tests/engine/test_texts.py checks each, for each age and language).
    """
    return for_age(for_channel(in_language(text, language), channel), adult=adult, language=language)


def question_was(question: str) -> str:
    """The question they were on said again after the help words (`QUESTION_WAS`); `question` is its text in the
    run's language (`conversation.question_text`)."""
    return QUESTION_WAS + question


def replies_for_person(replies: Sequence[str], channel: str, *, adult: bool | None, language: str = "en") -> list[str]:
    """The replies to one message in the words this young person gets (`for_person`, each), with the question said
    again after HELP (`question_was`) in the help's own message (`_with_question`): "Your question was: ...", or the
    question as it was asked where those words would take a segment more. The one place replies are joined, for
    both channels (the chat's words are kept as short as a text's)."""
    said: list[str] = []
    for reply in replies:
        if said and reply.startswith(QUESTION_WAS):
            said[-1:] = _with_question(said[-1], reply, channel, adult=adult, language=language)
        else:
            said.append(for_person(reply, channel, adult=adult, language=language))
    return said


def _with_question(help_words: str, again: str, channel: str, *, adult: bool | None, language: str) -> list[str]:
    """The help's words and the question again (`question_was`) as `replies_for_person` sends them. By text, always
    one message, the question on a line of its own: an answer to a text is one message (design.md, Contract 4), and
    two could arrive in the wrong order; one segment where the two fit, else as many as they take. In the chat,
    whose replies always show in order, one message where the two fit one SMS segment, else two."""
    words = for_person(again, channel, adult=adult, language=language)
    asked = for_person(again.removeprefix(QUESTION_WAS), channel, adult=adult, language=language)
    if channel != WEBCHAT:
        joined, as_asked = f"{help_words}\n{words}", f"{help_words}\n{asked}"
        # "Your question was:" never costs the text a segment more than the question as it was asked.
        return [as_asked if sms_segments(joined) > sms_segments(as_asked) else joined]
    joined = f"{help_words} {words}"
    if fits_one_segment(joined):
        return [joined]
    return [help_words, asked if sms_segments(words) > sms_segments(asked) else words]


# The longest council name the fixed texts that name the council fit in one segment (with their `SHORTER`
# wording where needed), for someone of any age: 46 characters, the longest full name of a UK council with
# children's services. A longer `[app] council_name` still works; its texts may take two segments.
LONGEST_COUNCIL = "City of Bradford Metropolitan District Council"


def council_words(council: str) -> str:
    """The council's name as a text carries it: as written, but a curly apostrophe or quote, a dash or a no-break
    space as its GSM-7 form, which looks the same ("King’s" -> "King's"), so an invisible mark does not send every
    text naming the council as UCS-2. A letter GSM-7 lacks ("Ynys Môn") is kept: a council's name is its own
    (`council_name_overruns` says what it costs)."""
    return plain_marks(council)


def naming_council(template: str, council: str) -> str:
    """`template` (a fixed text with {council}) filled in with the council's name (`council_words`): in its own
    words where they fit one SMS segment for a young person of any age (`for_age`: the help lines for someone whose
    age is not known are the longest), else in its `SHORTER` words ("Bournemouth, Christchurch and Poole Council"
    at a welcome's HELP). The web chat says either as the same words (`CHAT_WORDING`)."""
    council = council_words(council)
    text = template.format(council=council)
    shorter = SHORTER.get(template)
    if shorter is None or fits_one_segment(for_age(text, adult=None)) or not keeps_help_lines(template, shorter):
        return text
    return shorter.format(council=council)


# The help lines a text can name: Childline, Samaritans, 999 (SHOUT's 85258 too).
HELP_LINES = ("0800 1111", "116 123", "999", "85258")


def keeps_help_lines(text: str, shorter: str) -> bool:
    """True when `shorter` names every help line `text` names: a text is shortened for one SMS segment by other
    words, never by a help line, which beats the one-segment rule (`naming_council` sends the fuller words, in two
    segments, rather than a shorter wording without one)."""
    return all(line in shorter for line in HELP_LINES if line in text)


# The first texts that name the council, by name: a newcomer's welcome and its HELP and "who is this?" answers, and
# an invitation's HELP and "who is this?" answer (a survey's own intro is `surveys check`'s to warn about).
FIRST_COUNCIL_TEXTS = {
    "WELCOME": WELCOME,
    "HELP at the welcome": HELP_WELCOME,
    "who is this? at the welcome": WHO_WE_ARE_WELCOME,
    "how did you get my number?": NUMBER_FROM_THEM,
    "HELP at an invitation": HELP_INVITED,
    "who is this? at an invitation": WHO_WE_ARE_INVITED,
}


def council_name_overruns(council: str) -> dict[str, int]:
    """The first texts naming `council` (`FIRST_COUNCIL_TEXTS`) that it takes past one SMS segment for someone
    whose age is not known, with the segments each takes: a name longer than `LONGEST_COUNCIL`, or one with a
    letter GSM-7 lacks ("Cyngor Sir Ynys Môn": every text naming it goes as UCS-2, 70 characters a segment)."""
    over = {}
    for name, template in FIRST_COUNCIL_TEXTS.items():
        segments = sms_segments(for_age(naming_council(template, council), adult=None))
        if segments > 1:
            over[name] = segments
    return over


def council_name_warning(council: str, key: str = "app.council_name") -> str | None:
    """What to warn a council about its name (`key`) when it takes the first texts past one SMS segment
    (`council_name_overruns`), naming the letters GSM-7 lacks and a plain spelling that would fit; None if
    every one fits."""
    over = council_name_overruns(council)
    if not over:
        return None
    said = ", ".join(f"{name} {segments} texts" for name, segments in over.items())
    words = council_words(council)
    letters = unplain(words)
    if letters:
        plain = plain_name(words)
        spelled = f" (e.g. {plain!r})" if plain != words and not unplain(plain) else ""
        return (
            f"{key} {council!r} has {', '.join(letters)}, which the SMS alphabet (GSM-7) lacks: every text naming "
            f"the council goes as UCS-2, 70 characters a text, so {said} (and each invitation that says "
            f"{{council}}), at that many times the cost; to keep each to one text, write the name in plain "
            f"letters{spelled}. The web chat is unaffected"
        )
    return (
        f"{key} {council!r} is {len(words)} characters, past the {len(LONGEST_COUNCIL)} the texts are written "
        f"for: {said}; a shorter form of the name young people know would keep each to one text"
    )


def name_for(first_name: str | None, channel: str) -> str:
    """A young person's first name as a text on `channel` carries it: exactly as written in the web chat; in
    an SMS in GSM-7 where a faithful plain form exists ("Zoë" -> "Zoe", "Łukasz" -> "Lukasz", while "Chloé"
    keeps the é GSM-7 has), so one letter does not send the whole text as UCS-2 and double its cost."""
    name = (first_name or "").strip()
    return name if channel == WEBCHAT else plain_name(name)


# A "back" as long as `inbound.office.BACK_ROOM` lets one be, for the out-of-hours texts in ALL.
LONGEST_BACK = "at 10:30am today"

# The fixed texts, for tests and for anyone reviewing the wording in one place. Each is one SMS segment but those in
# `TWO_SEGMENTS`, where the help lines with the words that must come with them take two.
TWO_SEGMENTS = frozenset({"HELP_FIRST"})
ALL = {
    "HELP": HELP,
    "HELP_INVITED": naming_council(HELP_INVITED, LONGEST_COUNCIL),
    "HELP_WELCOME": naming_council(HELP_WELCOME, LONGEST_COUNCIL),
    "HELP_FIRST": naming_council(HELP_FIRST, LONGEST_COUNCIL),
    "WHO_WE_ARE": naming_council(WHO_WE_ARE, LONGEST_COUNCIL),
    "WHO_WE_ARE_WELCOME": naming_council(WHO_WE_ARE_WELCOME, LONGEST_COUNCIL),
    "WHO_WE_ARE_INVITED": naming_council(WHO_WE_ARE_INVITED, LONGEST_COUNCIL),
    "NUMBER_FROM_THEM": naming_council(NUMBER_FROM_THEM, LONGEST_COUNCIL),
    "WHO_WE_ARE_ASKING_STATUS": naming_council(WHO_WE_ARE_ASKING_STATUS, LONGEST_COUNCIL),
    "WHO_WE_ARE_ASKING_AGE": naming_council(WHO_WE_ARE_ASKING_AGE, LONGEST_COUNCIL),
    "WELCOME": naming_council(WELCOME, LONGEST_COUNCIL),
    "STOP_CONFIRMED": STOP_CONFIRMED,
    "START_WELCOME_BACK": START_WELCOME_BACK,
    "START_WELCOME_BACK_SURVEY": START_WELCOME_BACK_SURVEY,
    "START_ALREADY": START_ALREADY,
    "START_CLOSED": START_CLOSED,
    "WELCOME_BACK_STATUS": WELCOME_BACK_STATUS,
    "WELCOME_BACK_AGE": WELCOME_BACK_AGE,
    "HELP_ANY_TIME": HELP_ANY_TIME,
    "CANT_SKIP": CANT_SKIP,
    "CLOSED": CLOSED,
    "TEXT_IN_THANKS": TEXT_IN_THANKS,
    "RESUME_NUDGE": RESUME_NUDGE,
    "INVITE_NUDGE": INVITE_NUDGE,
    "DECLINED": DECLINED,
    "UNREAD": UNREAD,
    "UNREAD_OUT_OF_HOURS": UNREAD_OUT_OF_HOURS.format(back=LONGEST_BACK),
    "QUESTION_WAITS": QUESTION_WAITS,
    "PICTURE_ANSWER": PICTURE_ANSWER,
    "PICTURE_MESSAGE": PICTURE_MESSAGE,
    "PICTURE_AFTER_DISCLOSURE": PICTURE_AFTER_DISCLOSURE,
    "DISCLOSURE_IN_HOURS": DISCLOSURE_IN_HOURS,
    "DISCLOSURE_OUT_OF_HOURS": DISCLOSURE_OUT_OF_HOURS.format(back=LONGEST_BACK),
    "PLEA_DISCLOSURE_IN_HOURS": PLEA_DISCLOSURE_IN_HOURS,
    "PLEA_DISCLOSURE_OUT_OF_HOURS": PLEA_DISCLOSURE_OUT_OF_HOURS.format(back=LONGEST_BACK),
    "DISCLOSURE_PASSED_ON": DISCLOSURE_PASSED_ON,
    "PLEA_DISCLOSURE_PASSED_ON": PLEA_DISCLOSURE_PASSED_ON,
    "AFTER_DISCLOSURE_PASSED_ON": AFTER_DISCLOSURE_PASSED_ON,
    "NOTHING_WAITING_PASSED_ON": NOTHING_WAITING_PASSED_ON,
    "WANTS_PERSON_AFTER_DISCLOSURE_PASSED_ON": WANTS_PERSON_AFTER_DISCLOSURE_PASSED_ON,
    "PAUSED_OFFER": PAUSED_OFFER,
    "PAUSED_THANKS": PAUSED_THANKS,
    "PAUSED_WAITING": PAUSED_WAITING,
    "SURVEY_PAUSED": SURVEY_PAUSED,
    "ONBOARDING_PAUSED": ONBOARDING_PAUSED,
    "HELP_PAUSED": naming_council(HELP_PAUSED, LONGEST_COUNCIL),
    "WANTS_PERSON_IN_HOURS": WANTS_PERSON_IN_HOURS,
    "WANTS_PERSON_OUT_OF_HOURS": WANTS_PERSON_OUT_OF_HOURS.format(back=LONGEST_BACK),
    "AFTER_DISCLOSURE_IN_HOURS": AFTER_DISCLOSURE_IN_HOURS,
    "AFTER_DISCLOSURE_OUT_OF_HOURS": AFTER_DISCLOSURE_OUT_OF_HOURS.format(back=LONGEST_BACK),
    "NOTHING_WAITING_IN_HOURS": NOTHING_WAITING_IN_HOURS,
    "NOTHING_WAITING_OUT_OF_HOURS": NOTHING_WAITING_OUT_OF_HOURS.format(back=LONGEST_BACK),
    "WANTS_PERSON_AFTER_DISCLOSURE_IN_HOURS": WANTS_PERSON_AFTER_DISCLOSURE_IN_HOURS,
    "WANTS_PERSON_AFTER_DISCLOSURE_OUT_OF_HOURS": WANTS_PERSON_AFTER_DISCLOSURE_OUT_OF_HOURS.format(back=LONGEST_BACK),
}


def disclosure_reply(back: str | None, *, passed_on: bool = False) -> str:
    """The help reply to a disclosure; `back` says when the office reopens ("at 9am on Monday",
    `inbound.office.office_reopens`), None in office hours. `passed_on`: out of hours, the alert went at once to
    the out-of-hours team (`PASSED_ON`), said instead of when the office is back."""
    if back is None:
        return DISCLOSURE_IN_HOURS
    return DISCLOSURE_PASSED_ON if passed_on else DISCLOSURE_OUT_OF_HOURS.format(back=back)


def unread_reply(back: str | None) -> str:
    """The reply to text the screen cannot read that answers nothing waiting: a person will read it, where help
    is, and, out of office hours, when the office is back; `back` as for `disclosure_reply`."""
    return UNREAD if back is None else UNREAD_OUT_OF_HOURS.format(back=back)


def plea_disclosure_reply(back: str | None, *, passed_on: bool = False) -> str:
    """The help reply to a further disclosure that is also a plea, once the duty routes have been told of it;
    `back` and `passed_on` as for `disclosure_reply`."""
    if back is None:
        return PLEA_DISCLOSURE_IN_HOURS
    return PLEA_DISCLOSURE_PASSED_ON if passed_on else PLEA_DISCLOSURE_OUT_OF_HOURS.format(back=back)


def _recogniser(*wordings: str) -> Callable[[str], bool]:
    """Whether a text is this reply, in any of its `wordings` (in office hours, and out of hours: a template with
    {back}), as some young person got it: for a child, an adult or someone of unknown age, in English or any
    language it is written in."""
    languages = [("en", wordings)] + [
        (code, [table[words] for words in wordings]) for code, table in IN_LANGUAGE.items()
    ]
    adults = (False, True, None)
    said = [for_age(words, adult=adult, language=code) for code, own in languages for words in own for adult in adults]
    fixed = frozenset(words for words in said if "{" not in words)
    patterns = [_template(words) for words in said if "{" in words]
    return lambda text: text in fixed or any(pattern.fullmatch(text) is not None for pattern in patterns)


# The help reply to a disclosure, and the reply to text the screen cannot read, as each young person gets them.
_IS_DISCLOSURE_REPLY = _recogniser(DISCLOSURE_IN_HOURS, DISCLOSURE_OUT_OF_HOURS, DISCLOSURE_PASSED_ON)
_IS_UNREAD_REPLY = _recogniser(UNREAD, UNREAD_OUT_OF_HOURS)


def is_disclosure_reply(text: str) -> bool:
    """True for the help reply to a disclosure, in or out of office hours, in the words for any age."""
    return _IS_DISCLOSURE_REPLY(text)


def is_unread_reply(text: str) -> bool:
    """True for the reply to text the screen cannot read (`unread_reply`), in or out of office hours, in the words
    for any age, in any language it is written in."""
    return _IS_UNREAD_REPLY(text)


# What may still reach a young person once a disclosure of theirs has come after the message a reply answers (the
# spool's replay: texts spooled before it are answered only after it). From then on the survey is paused and no survey
# text goes to them while the alert is live, so only help and what says someone will read or call is left, and STOP's
# confirmation: never a question, its re-ask, an invitation's "Reply YES", onboarding's questions or the thank-you.
_MAY_FOLLOW_DISCLOSURE = _recogniser(
    DISCLOSURE_IN_HOURS,
    DISCLOSURE_OUT_OF_HOURS,
    DISCLOSURE_PASSED_ON,
    PLEA_DISCLOSURE_IN_HOURS,
    PLEA_DISCLOSURE_OUT_OF_HOURS,
    PLEA_DISCLOSURE_PASSED_ON,
    UNREAD,
    UNREAD_OUT_OF_HOURS,
    WANTS_PERSON_IN_HOURS,
    WANTS_PERSON_OUT_OF_HOURS,
    WANTS_PERSON_AFTER_DISCLOSURE_IN_HOURS,
    WANTS_PERSON_AFTER_DISCLOSURE_OUT_OF_HOURS,
    WANTS_PERSON_AFTER_DISCLOSURE_PASSED_ON,
    STOP_CONFIRMED,
    STOP_WHILE_ALERT,
)


def may_follow_disclosure(text: str) -> bool:
    """True for a reply that may still go to a young person whose disclosure came after the message it answers:
    help, a person will read it or get back to them, STOP's confirmation (in any wording they may have got); False
    for the survey's words and the rest, which the disclosure supersedes (`spool.replay`)."""
    return _MAY_FOLLOW_DISCLOSURE(text)


def wants_person_reply(back: str | None, *, after_disclosure: bool = False, passed_on: bool = False) -> str:
    """The acknowledgement when someone asks to talk to a person; `back` as for `disclosure_reply`.

    `after_disclosure`: their safeguarding alert is live, so the reply also names the emergency options;
    `passed_on`: out of hours, that alert is with the out-of-hours team (`PASSED_ON`)."""
    if after_disclosure and passed_on and back is not None:
        return WANTS_PERSON_AFTER_DISCLOSURE_PASSED_ON
    if after_disclosure:
        in_hours, out_of_hours = WANTS_PERSON_AFTER_DISCLOSURE_IN_HOURS, WANTS_PERSON_AFTER_DISCLOSURE_OUT_OF_HOURS
    else:
        in_hours, out_of_hours = WANTS_PERSON_IN_HOURS, WANTS_PERSON_OUT_OF_HOURS
    return in_hours if back is None else out_of_hours.format(back=back)


def after_disclosure_reply(back: str | None, *, nothing_waiting: bool = False, passed_on: bool = False) -> str:
    """The reply to a message while their alert is live (what happens next, and help); `back` and `passed_on` as
    for `disclosure_reply`. `nothing_waiting`: they asked to carry on with a survey and none is paused."""
    if passed_on and back is not None:
        return NOTHING_WAITING_PASSED_ON if nothing_waiting else AFTER_DISCLOSURE_PASSED_ON
    if nothing_waiting:
        return NOTHING_WAITING_IN_HOURS if back is None else NOTHING_WAITING_OUT_OF_HOURS.format(back=back)
    return AFTER_DISCLOSURE_IN_HOURS if back is None else AFTER_DISCLOSURE_OUT_OF_HOURS.format(back=back)


def who_after_disclosure_reply(council: str, *, texted_first: bool = False) -> str:
    """The reply to "who is this?" while their alert is live: who we are, that they did right, and the help lines
    with 999 (`WHO_AFTER_DISCLOSURE`). `texted_first`: they asked how we got their number, and we have it only
    because they texted us (`TEXTED_US_FIRST`, then who we are and the help lines)."""
    who = WHO_WE_ARE_ASKING.format(council=council_words(council))
    if texted_first:
        return TEXTED_US_FIRST + who + WHO_AFTER_DISCLOSURE.removeprefix(_DID_RIGHT)
    return who + WHO_AFTER_DISCLOSURE


def reask(question: Question) -> str:
    """The kind re-ask sent once when an answer to `question` can't be read."""
    if question.kind == "scale":
        text = REASK_SCALE.format(lo=question.min, hi=question.max)
    elif question.kind == "yes_no":
        text = REASK_YES_NO
    elif question.kind == "choice":
        text = REASK_CHOICE.format(n=len(question.choices))
    else:
        text = REASK_TEXT
    # Only offer SKIP where it works, so nobody is told to do something that fails.
    return text + SKIP_HINT if question.optional else text
