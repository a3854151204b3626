"""The file format's choices as Norwegian, Danish and Swedish writers write them.

A portfolio is kept by people who think in those languages, and `status: pågår`,
`size: prosjekt` or `kind: upplevelse` is what they write first. The choices themselves
stay English (the file format is a contract: docs/format.md); a refused value that is one of
these words is told the choice it means (`did you mean 'in_progress'?`), where spelling
alone finds nothing alike. Only words that mean one choice are here: `klar` is "done"
in Swedish and "ready" in Norwegian, `avsluttet` may be done or dropped, `planlagt`
says nothing of a decision — those are left to the list of valid values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# choice → the words for it (lower case; a space stands for any run of spaces, '-' or '_')
_WORDS: dict[str, tuple[str, ...]] = {
    # Initiative.status
    "idea": ("idé", "ide", "idè", "idéer"),
    "proposed": ("foreslått", "foreslatt", "forslag", "foreslået", "föreslagen", "föreslaget", "förslag",
                 "föreslagna"),
    "approved": ("godkjent", "godkjend", "vedtatt", "godkendt", "vedtaget", "godkänd", "godkänt",
                 "godkända", "beslutad", "beslutat", "beviljad"),
    "in_progress": ("pågår", "pågående", "i gang", "igang", "i arbeid", "under arbeid", "påbegynt",
                    "i gang sat", "igangsat", "i gång", "igång", "i arbete", "påbörjad", "påbörjat",
                    "under arbete", "pågaar"),
    "done": ("ferdig", "ferdigstilt", "fullført", "gjennomført", "levert", "implementert", "færdig",
             "gennemført", "fuldført", "leveret", "implementeret", "färdig", "färdigt", "genomförd",
             "genomfört", "slutförd", "slutfört", "levererad", "levererat", "implementerad", "implementerat"),
    "dropped": ("droppet", "avbrutt", "avlyst", "skrinlagt", "forkastet", "stoppet", "opgivet",
                "annulleret", "aflyst", "afbrudt", "avbruten", "avbrutet", "struken", "struket",
                "stoppad", "stoppat", "nedlagd", "nedlagt"),
    # Initiative.size: three sizes, small to big (a quick win is a small fix, a programme
    # the biggest; docs/format.md), so a word for small, medium or big names one of them
    "quick_win": ("rask gevinst", "raske gevinster", "hurtig gevinst", "hurtige gevinster", "snabb vinst",
                  "snabba vinster", "lavthengende frukt", "liten", "lite", "litet", "lille", "små", "smaa",
                  "small"),
    "project": ("prosjekt", "projekt", "middels", "mellomstor", "mellemstor", "mellem", "medel", "medelstor",
                "mellanstor", "medium"),
    "program": ("stor", "stort", "store", "stora", "større", "större", "programme", "large", "big"),
    # Kpi.kind
    "outcome": ("resultat", "effekt", "utfall", "utfallsmål", "resultatmål", "effektmål"),
    "experience": ("opplevelse", "kundeopplevelse", "brukeropplevelse", "oplevelse", "kundeoplevelse",
                   "upplevelse", "kundupplevelse", "erfaring", "erfarenhet"),
    "operational": ("operasjonell", "operasjonelt", "drift", "driftsmessig", "operationel", "operationelt",
                    "operationell", "operationellt", "operativ", "operativt"),
    # Kpi.kind and Evidence.kind alike
    "employee": ("ansatt", "ansatte", "medarbeider", "medarbeidere", "medarbejder", "medarbejdere",
                 "medarbetare", "anställd", "anställda", "personal", "medarbeidarar"),
    # direction (KPIs, goals)
    # (and the English a writer reaches for first: `direction: down`, found by a newcomer)
    "increase": ("øke", "økning", "øge", "øgning", "stige", "opp", "op", "öka", "ökning", "höja", "upp",
                 "up", "higher", "raise", "increasing", "higher is better"),
    "decrease": ("redusere", "reduksjon", "minske", "senke", "ned", "reducere", "reduktion", "sænke",
                 "minska", "minskning", "sänka", "reducera", "down", "lower", "reduce", "decreasing",
                 "lower is better"),
    # a rule's severity in cxportfolio.yaml
    "error": ("feil", "fejl", "fel"),
    "warning": ("advarsel", "varsel", "varning", "varsling"),
    "off": ("av", "avslått", "slått av", "deaktivert", "deaktiveret", "slukket", "avstängd", "avstängt"),
    # Evidence.kind
    "survey": ("undersøkelse", "spørreundersøkelse", "spørreskjema", "undersøgelse", "spørgeskema",
               "enkät", "enkäter", "undersökning", "kundundersøkelse", "kundeundersøgelse", "kundundersökning"),
    "complaint": ("klage", "klager", "klagemål", "reklamasjon", "klagesak", "klagesager", "klagomål",
                  "reklamation"),
    "interview": ("intervju", "intervjuer", "intervjun"),
    "observation": ("observasjon", "observasjoner", "observationer"),
    "analytics": ("analyse", "analyser", "analys", "webanalyse", "webbanalys", "statistikk", "statistik"),
    "assumption": ("antakelse", "antagelse", "antakelser", "antagelser", "antagande", "antaganden",
                   "hypotese", "hypotes", "formodning", "förmodan"),
}
_MEANING = {word: choice for choice, words in _WORDS.items() for word in words}
_SEPARATORS = re.compile(r"[\s_-]+")


def meant_choice(value: object, choices: Sequence[object]) -> str | None:
    """The choice among `choices` that `value` names in Norwegian, Danish or Swedish,
    if any (`pågår` → `in_progress` where the statuses go, not where a size does)."""
    if not isinstance(value, str):
        return None
    choice = _MEANING.get(_SEPARATORS.sub(" ", value.strip().casefold()))
    return choice if choice in choices else None


def nordic_hint(value: object, choices: Sequence[object]) -> str | None:
    """The hint naming the choice `value` is a Nordic word for, if it is one."""
    meant = meant_choice(value, choices)
    return None if meant is None else f"did you mean '{meant}'? (the values are the file format's English words)"
