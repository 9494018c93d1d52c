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


def fill(template: str, rng: random.Random) -> list[str]:
    """A template line filled with PER_TEMPLATE different third-person subjects."""
    if "{S}" not in template:
        return [template]
    out = []
    for subject, he, him, his in rng.sample(SUBJECTS, PER_TEMPLATE):
        text = template.replace("{him}self", him + "self")
        text = text.replace("{S}", subject).replace("{he}", he).replace("{him}", him).replace("{his}", his)
        out.append(text)
    return out


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
    seen_ids = set()
    for fam in families:
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
    for fam in families:
        n = 0
        for line in fam["lines"]:
            variants = []
            for text in fill(line, rng):
                variants.append(("written", text))
                variants.append(("texting", texting(text, rng)))
                if rng.random() < (0.5 if fam["categories"] else 0.3):
                    variants.append(("buried", buried(text, rng)))
            for kind, text in variants:
                if text.lower() in seen_text:
                    continue
                seen_text.add(text.lower())
                n += 1
                rows.append(
                    {
                        "id": f"{fam['id']}-{n:03d}",
                        "text": text,
                        "risk": bool(fam["categories"]),
                        "risk_categories": list(fam["categories"]),
                        "family": fam["id"],
                        "split": fam["split"],
                        "variant": kind,
                    }
                )
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
