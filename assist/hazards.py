"""Hazards: the kinds of risk to life or safety a complaint can tell of, each recognised by
its words in Hindi (Devanagari), English and Hinglish (`docs/assist.md`, "Urgency").

The urgency model learns from labelled examples how much each hazard weighs (a live wire
is urgent; "bahut urgent" is not); this list only says which words tell of which hazard,
so the model need not learn each spelling from examples, and so the reasons it gives name
a hazard a reader understands ("live wire or electric current: 'करंट'") rather than pieces
of words. Emphatic words ("urgent", "turant", "तुरंत", "immediately") are deliberately
no hazard: being in a hurry is not a risk to life.

The patterns are matched against `assist.wording.normalise`'s text (lower case, the nukta
dropped, runs of a letter cut to one), so they are written in that form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assist.wording import normalise


@dataclass(frozen=True)
class Hazard:
    name: str  # stored with the model's weights: never rename one without retraining
    says: str  # what a reason tells the reader
    pattern: re.Pattern[str]

    def found(self, text: str) -> str | None:
        """The words of `text` (normalised) that tell of this hazard, if any."""
        match = self.pattern.search(text)
        return match.group(0).strip() if match else None


def _hazard(name: str, says: str, *words: str) -> Hazard:
    # A Roman word starts at a word's start (so "current" is not in "concurrent"); a
    # Devanagari one anywhere (Hindi joins and inflects: "करंट" in "करंटयुक्त").
    alternatives = "|".join(words)
    return Hazard(name, says, re.compile(rf"(?<![a-z])(?:{alternatives})"))


# fmt: off
HAZARDS: tuple[Hazard, ...] = (
    _hazard(
        "live-wire",
        "live wire or electric current",
        r"live wire", r"current", r"karant", r"electrocut", r"electric shock", r"got a shock",
        r"shock", r"jhatka", r"sparking", r"sparks?\b", r"chingari", r"taa?r tu?o?o?t",
        r"wires? (?:snapped|fallen|hanging|lying)", r"snapped", r"hanging low", r"latak",
        r"short circuit", r"bare wire", r"nange? taa?r",
        r"करंट", r"करेंट", r"झटका", r"चिंगारी", r"तार टूट", r"लटक", r"नंगे तार", r"शॉर्ट सर्किट",
    ),
    _hazard(
        "fire",
        "fire or smoke",
        r"fire\b", r"flames?", r"smok(?:e|ing)", r"aag\b", r"lapte", r"dhua+n",
        r"आग", r"लपट", r"धुआ", r"blaze",
    ),
    _hazard(
        "collapse",
        "a structure collapsing or washed away",
        r"collaps", r"caved? in", r"cave-in", r"washed away", r"swept away", r"cracks? in",
        r"crack(?:s|ing)", r"sunk", r"sinking", r"dhas", r"beh gay", r"bah gay", r"daraa?r",
        r"gir (?:gay|sakt|raha|rahi)",
        r"landslide", r"girne wal",
        r"धंस", r"ढह", r"बह ग(?:य|ई|ए)", r"दरार", r"गिर (?:ग(?:य|ई|ए)|सकत|रहा|रही)", r"गिरने",
    ),
    _hazard(
        "open-pit",
        "an open manhole, borewell or pit",
        r"open manhole", r"manhole\w* (?:is )?(?:open|uncovered|without)", r"uncovered",
        r"without (?:a )?lid", r"no barricade", r"borewell\w* (?:left )?(?:open|uncovered)",
        r"(?:open|uncovered) borewell", r"manhole khula", r"khula (?:manhole|borewell|pada)",
        r"dhakk?an nahi", r"barricade (?:bhi )?nahi", r"pit\b", r"gadd?ha\w* (?:khula|gehra)",
        r"खुला मैनहोल", r"मैनहोल खुला", r"ढक्कन (?:नहीं|गायब)", r"बोरवेल\S* खुला",
        r"खुला (?:बोरवेल|पड़ा)",
        r"गहरा गड्ढा", r"बैरिकेड",
    ),
    _hazard(
        "illness",
        "people falling ill (an outbreak or poisoning)",
        r"diarrh", r"vomit", r"cholera", r"jaundice", r"outbreak", r"food poison", r"fell ill",
        r"falling sick", r"children (?:sick|ill)", r"hospitali[sz]ed", r"admitted",
        r"ulti", r"dast\b", r"pii?lia", r"haij", r"bimar", r"behosh", r"hospital me bharti",
        r"poison", r"zeh?ri?li", r"jahrili",
        r"उल्टी", r"दस्त", r"पीलिया", r"हैज", r"बीमार", r"बेहोश", r"अस्पताल में भर्ती", r"जहरील",
    ),
    _hazard(
        "emergency-care",
        "a patient in an emergency without care",
        r"emergency", r"ambulance", r"in labou?r", r"bleeding", r"stroke", r"heart attack",
        r"snake", r"rabies", r"anti.?venom", r"burns?\b", r"unconscious", r"turned away",
        r"delivery (?:dard|pain)", r"saa?ns nahi", r"saa?np", r"khoon",
        r"इमरजेंसी", r"आपातकाल", r"एंबुलेंस", r"एम्बुलेंस", r"प्रसव", r"खून", r"सांप", r"रेबीज",
        r"हार्ट अटैक", r"सीने में दर्द",
    ),
    _hazard(
        "violence",
        "a threat of violence or a person in danger",
        r"threat\w* to kill", r"kill me", r"threaten", r"knife", r"weapon", r"beats? me",
        r"strangl", r"(?:daughter|son|child|girl|boy)\w* (?:is |has been )?missing",
        r"jaa?n se maa?r", r"maar dung", r"maar denge", r"dhamki", r"hathiyar", r"gala dab",
        r"maa?rpeet", r"(?:beti|beta|bachh?[ia])\w* (?:kal se )?gayab",
        r"attack", r"assault", r"hamla", r"dog bite", r"kutt?e ne kaa?t",
        r"जान से मार", r"मार देंगे", r"धमकी", r"हथियार", r"गला दबा", r"मारपीट", r"लापता", r"हमला",
        r"कुत्ते ने काट",
    ),
    _hazard(
        "harm",
        "someone hurt, killed or drowned, or an accident waiting to happen",
        r"accident", r"injur", r"died", r"death\b", r"dead (?:dog|animal|body)", r"killed",
        r"drown", r"could die",
        r"risk to life", r"danger", r"any moment", r"hadsa", r"durghatna", r"ghayal",
        r"maut", r"mar (?:gay|sakt)", r"doob", r"jaa?n ka khatra", r"kabhi bhi",
        r"हादसा", r"दुर्घटना", r"घायल", r"मौत", r"मर (?:ग(?:य|ई|ए)|सकत)", r"डूब", r"जान का खतरा",
        r"कभी भी", r"serious condition", r"critical condition", r"haa?lat (?:bahut )?gambhir",
        r"हालत (?:बहुत )?गंभीर", r"gas leak", r"गैस (?:रिसाव|लीक)",
    ),
)
# fmt: on
NAMES = tuple(h.name for h in HAZARDS)
_BY_NAME = {h.name: h for h in HAZARDS}


def matrix(texts: Sequence[str]) -> np.ndarray:
    """One row a text, one column a hazard: 1 where the text tells of it."""
    found = np.zeros((len(texts), len(HAZARDS)), dtype=np.float32)
    for row, text in enumerate(texts):
        plain = normalise(text)
        for column, hazard in enumerate(HAZARDS):
            if hazard.pattern.search(plain):
                found[row, column] = 1.0
    return found


def reasons(text: str, weights: dict[str, float]) -> list[tuple[float, str]]:
    """The hazards `text` tells of that raise urgency (a positive weight), each as a reason
    a reader understands: what the hazard is and the words that told of it."""
    plain = normalise(text)
    found = []
    for name, weight in weights.items():
        hazard = _BY_NAME.get(name)
        if hazard is None or weight <= 0:
            continue
        words = hazard.found(plain)
        if words:
            found.append((weight, f"{hazard.says}: '{words}'"))
    return found
