"""Build the IRaMuTeQ corpus of the `entretiens_centre_social` dataset.

The 24 transcripts in `transcriptions/` were written for the toolkit: fictitious interviews
with fictitious people, places and organisations. This script assembles them, with the
metadata of `metadonnees.csv`, into `corpus_iramuteq.txt`, keeping only what the interviewee
says (the interviewer's questions and the speaker labels are left out, as is usual before a
Reinert classification). It is deterministic: run it again and the file is identical.

Run: python datasets/entretiens_centre_social/generate.py
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEAKER = re.compile(r"^(?P<who>Enquêteur|Interviewée?)\s*:\s*(?P<text>.*)$")
VARIABLES = ["statut", "sexe", "age", "anciennete"]


def interviewee_turns(text: str) -> list[str]:
    """Return the interviewee's turns of a transcript, without speaker labels."""
    turns: list[str] = []
    current: str | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = SPEAKER.match(line)
        if match:
            current = match["who"]
            line = match["text"]
        if current and current != "Enquêteur" and line:
            turns.append(line)
    return turns


def star_line(row: dict[str, str]) -> str:
    """The `****` line of a text: `**** *entretien_01 *statut_usager …`."""
    tokens = [f"*entretien_{row['entretien']}"]
    tokens += [f"*{name}_{row[name].lower()}" for name in VARIABLES]
    return "**** " + " ".join(tokens)


def main() -> None:
    with (HERE / "metadonnees.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    parts = []
    for row in rows:
        text = (HERE / "transcriptions" / row["fichier"]).read_text(encoding="utf-8")
        parts.append(star_line(row) + "\n" + "\n".join(interviewee_turns(text)) + "\n")
    (HERE / "corpus_iramuteq.txt").write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main()
