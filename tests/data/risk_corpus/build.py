"""Build tests/data/risk_corpus.jsonl from the hand-written families in this folder.

    python tests/data/risk_corpus/build.py      (deterministic: same files, same output)

Each `*.txt` file holds families: "== family_id: categories" (or "none") followed by
lines, which are paraphrases or close variants of one grid cell (category x subject x
register x time x negation, or a topic-only / everyday / survey-reply cell). Lines with
{S} {he} {him} {his} are written once and filled with third-person subjects here.

Every line also gets a "texting" variant (no apostrophes, a typo, text speak) and risk
lines a "buried" variant (inside an ordinary survey reply). All variants of a line stay in
its family, and whole families are assigned to train, dev or test, so paraphrases of one
idea never sit on both sides of the split. Tune on train and dev only; report test.

Families in `train/*.txt` are learned from only (always the train split): more wording for
the kinds of disclosure held-out text misses, and hard negatives. They are built after every
other family, each with its own seeded random stream and its own subjects, so adding one never
changes a dev or test row, nor which split any other family is in; a line whose text already
appears earlier is dropped, so nothing learned from is also tested on word for word.

Families in `pending/*.txt` are written for train/ but not read (measured, not yet learned from;
see docs/risk-screen.md).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "risk_corpus.jsonl"
SEED = 20261129
CATEGORIES = ("self_harm", "abuse", "exploitation", "missing", "violence", "unsafe_home")
# Repeating pattern over families (in a seeded order, within each group): 60/20/20.
SPLITS = ("train", "dev", "train", "test", "train")

# (subject, he, him, his); "{him}self" becomes "himself" / "herself".
SUBJECTS = [
    ("my mate", "he", "him", "his"),
    ("my best friend", "she", "her", "her"),
    ("my little brother", "he", "him", "his"),
    ("my sister", "she", "her", "her"),
    ("my foster sister", "she", "her", "her"),
    ("my little sister who is 9", "she", "her", "her"),
    ("a boy in my class", "he", "him", "his"),
    ("my cousin", "he", "him", "his"),
    ("this girl at my school", "she", "her", "her"),
    ("my foster brother", "he", "him", "his"),
    ("my friend from the home", "she", "her", "her"),
    ("my younger brother", "he", "him", "his"),
]
PER_TEMPLATE = 5  # subjects per template line
# Subjects for the train/ families (more kinds of "someone else"; a separate list, so the
# dev and test rows stay as they were).
TRAIN_SUBJECTS = [
    ("my mate", "he", "him", "his"),
    ("my best mate", "she", "her", "her"),
    ("my little bro", "he", "him", "his"),
    ("my big sister", "she", "her", "her"),
    ("my foster brother", "he", "him", "his"),
    ("the new girl at the home", "she", "her", "her"),
    ("the little one in my placement", "he", "him", "his"),
    ("my girlfriend", "she", "her", "her"),
    ("my boyfriend", "he", "him", "his"),
    ("a year 7 at my school", "he", "him", "his"),
    ("my friend from college", "she", "her", "her"),
    ("my twin", "he", "him", "his"),
    ("my younger sister", "she", "her", "her"),
    ("the lad in the room next to mine", "he", "him", "his"),
    ("my bestie", "she", "her", "her"),
    ("my cousin who is 11", "she", "her", "her"),
]
TRAIN_PER_TEMPLATE = 3
# In train/ families a line may be a grid: "[a|b|c]" is one choice among alternatives ("[|]"
# allows nothing). GRID_SAMPLE of all the combinations are kept (seeded), each with one subject.
GRID_SAMPLE = 5
GRID = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")

SPEAK = {
    "you": "u",
    "your": "ur",
    "are": "r",
    "because": "cos",
    "tonight": "2nite",
    "people": "ppl",
    "please": "pls",
    "really": "rly",
    "something": "smth",
    "going to": "gonna",
    "want to": "wanna",
    "i am": "im",
    "he is": "hes",
    "she is": "shes",
    "they are": "theyre",
    "don't": "dont",
    "can't": "cant",
    "i'm": "im",
    "i've": "ive",
    "won't": "wont",
    "with": "wiv",
    "before": "b4",
    "tomorrow": "tmrw",
}
FILLERS_BEFORE = ["", "", "tbh ", "honestly ", "idk ", "ngl ", "so like ", "um ", "ok so "]
FILLERS_AFTER = ["", "", " tbh", " idk", " 😔", " 😭", " 💔", " ...", " ngl", " fr", " lol", " x"]
BURY_BEFORE = [
    "3. ",
    "school is ok i guess. ",
    "my sw is alright but ",
    "can i tell u something. ",
    "please dont tell anyone but ",
    "idk if this is the right place but ",
    "its fine here mostly but ",
    "2 ",
    "not great tbh. ",
    "i dont know who else to tell. ",
]
BURY_AFTER = ["", " what do i do", " pls help", " dont tell my carer", " i dont know who to tell", " sorry", ""]


def parse(path: Path) -> list[dict]:
    """Families in one file: id, categories, lines."""
    families: list[dict] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("=="):
            name, _, cats = line[2:].partition(":")
            cats, _, fixed = cats.partition("@")  # "@train": a known false-alarm kind, always learned from
            labels = [] if cats.strip() == "none" else [c.strip() for c in cats.split(",")]
            unknown = set(labels) - set(CATEGORIES)
            if unknown:
                raise SystemExit(f"{path.name}: {name.strip()}: unknown categories {sorted(unknown)}")
            families.append({"id": name.strip(), "categories": labels, "lines": [], "fixed": fixed.strip()})
        else:
            families[-1]["lines"].append(line)
    return families


def fill(
    template: str, rng: random.Random, subjects: list[tuple[str, str, str, str]] = SUBJECTS, count: int = PER_TEMPLATE
) -> list[str]:
    """A template line filled with `count` different third-person subjects."""
    if "{S}" not in template:
        return [template]
    out = []
    for subject, he, him, his in rng.sample(subjects, count):
        text = template.replace("{him}self", him + "self")
        text = text.replace("{S}", subject).replace("{he}", he).replace("{him}", him).replace("{his}", his)
        out.append(text)
    return out


def grid(line: str, rng: random.Random) -> list[str]:
    """A train/ line's texts: the line itself, or GRID_SAMPLE of its "[a|b]" combinations."""
    texts = [line]
    while any(GRID.search(t) for t in texts):
        texts = [
            t[: m.start()] + option + t[m.end() :]
            for t in texts
            for m in [GRID.search(t)]
            if m is not None
            for option in m.group(1).split("|")
        ]
    texts = sorted({re.sub(r" +", " ", t).strip() for t in texts})
    return texts if len(texts) == 1 else rng.sample(texts, min(GRID_SAMPLE, len(texts)))


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:  # swap two letters
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:  # drop one
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # double one


def texting(text: str, rng: random.Random) -> str:
    """How the same line looks typed fast: lower case, no apostrophes, text speak, one typo."""
    out = text.lower().replace("’", "'")
    for long, short in SPEAK.items():
        if rng.random() < 0.6:
            out = re.sub(rf"\b{re.escape(long)}\b", short, out)
    out = out.replace("'", "")
    out = re.sub(r"[.,!?]+$", "", out)
    words = out.split(" ")
    if len(words) > 2 and rng.random() < 0.7:
        j = rng.randrange(len(words))
        words[j] = _typo(words[j], rng)
    out = " ".join(words)
    return (rng.choice(FILLERS_BEFORE) + out + rng.choice(FILLERS_AFTER)).strip()


def buried(text: str, rng: random.Random) -> str:
    """The line inside an ordinary survey reply, as disclosures often come."""
    return (rng.choice(BURY_BEFORE) + text + rng.choice(BURY_AFTER)).strip()


def build() -> list[dict]:
    """Every labelled row, with its family and split."""
    rng = random.Random(SEED)
    families = [f for path in sorted(HERE.glob("*.txt")) for f in parse(path)]
    learned = [f for path in sorted((HERE / "train").glob("*.txt")) for f in parse(path)]
    for fam in learned:
        fam["fixed"] = fam["split"] = "train"
        fam["learned"] = True
    seen_ids = set()
    for fam in families + learned:
        if fam["id"] in seen_ids:
            raise SystemExit(f"family {fam['id']} defined twice")
        seen_ids.add(fam["id"])
    # Split whole families, round-robin inside each group (the id's first part) in a seeded order.
    groups: dict[str, list[dict]] = {}
    for fam in families:
        if fam["fixed"]:
            fam["split"] = fam["fixed"]
        else:
            groups.setdefault(fam["id"].split("_")[0], []).append(fam)
    turn = 0
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda f: f["id"])
        rng.shuffle(members)
        for fam in members:
            fam["split"] = SPLITS[turn % len(SPLITS)]
            turn += 1
    rows: list[dict] = []
    seen_text: set[str] = set()
    for fam in families + learned:
        if fam.get("learned"):
            # Its own stream: adding or editing a train/ family changes no other row.
            rng = random.Random(f"{SEED}:{fam['id']}")
        rows.extend(_family_rows(fam, rng, seen_text))
    return rows


def _family_rows(fam: dict, rng: random.Random, seen_text: set[str]) -> list[dict]:
    """One family's rows: each line (filled, and a learned line's grid sampled), its texting variant and
    sometimes a buried one; a text already in `seen_text` is dropped, and each kept one is added to it."""
    rows: list[dict] = []
    for line in fam["lines"]:
        variants = []
        if fam.get("learned"):
            texts = grid(line, rng)
            count = 1 if len(texts) > 1 else TRAIN_PER_TEMPLATE
            filled = [t for text in texts for t in fill(text, rng, TRAIN_SUBJECTS, count)]
        else:
            filled = fill(line, rng)
        for text in filled:
            variants.append(("written", text))
            variants.append(("texting", texting(text, rng)))
            if rng.random() < (0.5 if fam["categories"] else 0.3):
                variants.append(("buried", buried(text, rng)))
        for kind, text in variants:
            if text.lower() in seen_text:
                continue
            seen_text.add(text.lower())
            rows.append(
                {
                    "id": f"{fam['id']}-{len(rows) + 1:03d}",
                    "text": text,
                    "risk": bool(fam["categories"]),
                    "risk_categories": list(fam["categories"]),
                    "family": fam["id"],
                    "split": fam["split"],
                    "variant": kind,
                }
            )
    return rows


def pending(author: str, corpus: list[dict]) -> list[dict]:
    """Rows of one author's pending/ files (`pending/<author>_*.txt`), built as they would be if learned
    (the same seeded stream per family), without any text the corpus already holds: for measuring an
    author the model never learned from (`make eval`), never for tuning."""
    seen_text = {row["text"].lower() for row in corpus}
    rows: list[dict] = []
    for path in sorted((HERE / "pending").glob(f"{author}_*.txt")):
        for fam in parse(path):
            fam["split"], fam["learned"] = "pending", True
            rows.extend(_family_rows(fam, random.Random(f"{SEED}:{fam['id']}"), seen_text))
    return rows


def main() -> None:
    """Write the corpus and print its size by split."""
    rows = build()
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    for split in ("train", "dev", "test"):
        part = [r for r in rows if r["split"] == split]
        risky, families = sum(r["risk"] for r in part), len({r["family"] for r in part})
        print(f"{split:5} {len(part):5} rows, {risky:5} risk, {families} families")
    print(f"total {len(rows)} -> {OUT}")


if __name__ == "__main__":
    main()
