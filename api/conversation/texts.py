"""What the WhatsApp conversation says, in Hindi and English, and the Cloud API's shapes of
its free-form messages (text, reply buttons, a list), held to the API's limits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.values import Language

# The Cloud API's limits on interactive messages.
BODY_LIMIT = 1024
BUTTON_TITLE_LIMIT = 20
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
MAX_BUTTONS = 3
MAX_ROWS = 10

SAY: dict[str, dict[str, str]] = {
    "choose_language": {
        "hi": "नमस्ते! राजस्थान सम्पर्क में आपका स्वागत है। Welcome to Rajasthan Sampark. "
        "भाषा चुनें / Choose your language.",
        "en": "नमस्ते! राजस्थान सम्पर्क में आपका स्वागत है। Welcome to Rajasthan Sampark. "
        "भाषा चुनें / Choose your language.",
    },
    "menu": {
        "hi": "आप क्या करना चाहेंगे? नीचे सूची से चुनें।",
        "en": "What would you like to do? Choose from the list below.",
    },
    "menu_button": {"hi": "विकल्प", "en": "Options"},
    "file": {"hi": "शिकायत दर्ज करें", "en": "File a complaint"},
    "status": {"hi": "मेरी शिकायत कहाँ है", "en": "Where is my complaint"},
    "remind": {"hi": "स्मरण भेजें", "en": "Send a reminder"},
    "photo": {"hi": "फ़ोटो जोड़ें", "en": "Add a photo"},
    "withdraw": {"hi": "शिकायत वापस लें", "en": "Withdraw a complaint"},
    "timed_out": {
        "hi": "आपकी पिछली बातचीत {0} मिनट तक रुकी रही, इसलिए फिर से शुरू करते हैं।",
        "en": "Your last conversation was idle for over {0} minutes, so we start again.",
    },
    "district": {
        "hi": "आपकी समस्या किस ज़िले में है? सूची से चुनें या ज़िले का नाम लिखें।",
        "en": "Which district is the problem in? Choose from the list or type its name.",
    },
    "district_button": {"hi": "ज़िला चुनें", "en": "Choose district"},
    "more": {"hi": "और ज़िले", "en": "More districts"},
    "more_detail": {"hi": "सूची का अगला पन्ना", "en": "The next page of the list"},
    "problem": {
        "hi": "अपनी समस्या अपने शब्दों में लिखें, या वॉइस नोट भेजें।",
        "en": "Describe the problem in your own words, or send a voice note.",
    },
    "photo_ask": {
        "hi": "समस्या की फ़ोटो भेजें (वैकल्पिक), या 'छोड़ें' दबाएँ।",
        "en": "Send a photo of the problem (optional), or tap 'Skip'.",
    },
    "location_ask": {
        "hi": "स्थान भेजें: 📎 → स्थान (Location) से जगह साझा करें, या 'छोड़ें' दबाएँ।",
        "en": "Share the place: 📎 → Location, or tap 'Skip'.",
    },
    "skip": {"hi": "छोड़ें", "en": "Skip"},
    "confirm": {
        "hi": "कृपया जाँच लें:\nज़िला: {0}\nसमस्या: {1}\nसंलग्न: {2}\nस्थान: {3}\nदर्ज करें?",
        "en": "Please check:\nDistrict: {0}\nProblem: {1}\nAttached: {2}\nPlace: {3}\nFile it?",
    },
    "yes_file": {"hi": "हाँ, दर्ज करें", "en": "Yes, file it"},
    "cancel": {"hi": "रद्द करें", "en": "Cancel"},
    "cancelled": {"hi": "ठीक है, रद्द कर दिया।", "en": "All right, cancelled."},
    "filed": {
        "hi": "आपकी शिकायत {0} दर्ज हो गई है ({1})। स्थिति देखें: {2}",
        "en": "Your complaint {0} is registered ({1}). Track it: {2}",
    },
    "in_triage": {"hi": "हेल्पलाइन डेस्क विभाग तय करेगी", "en": "the helpline desk will route it"},
    "none": {"hi": "कुछ नहीं", "en": "nothing"},
    "not_given": {"hi": "नहीं दिया", "en": "not given"},
    "point": {"hi": "नक्शे पर बिंदु", "en": "a point on the map"},
    "voice_note": {"hi": "(वॉइस नोट संलग्न)", "en": "(voice note attached)"},
    "voice_subject": {"hi": "वॉइस नोट द्वारा शिकायत", "en": "Complaint by voice note"},
    "files": {"hi": "{0} फ़ाइल", "en": "{0} file(s)"},
    "cannot_file": {
        "hi": "अभी WhatsApp पर शिकायत दर्ज नहीं हो सकी: {0} कृपया 181 पर कॉल करें।",
        "en": "The complaint could not be filed on WhatsApp just now: {0} Please call 181.",
    },
    "too_many": {
        "hi": "इस नंबर से बहुत सारी शिकायतें आई हैं; {0} सेकंड बाद फिर कोशिश करें।",
        "en": "Too many complaints from this number; try again in {0} seconds.",
    },
    "not_understood": {
        "hi": "क्षमा करें, यह समझ नहीं आया।",
        "en": "Sorry, we did not understand that.",
    },
    "bad_media": {
        "hi": "यह फ़ाइल नहीं ली जा सकी (फ़ोटो JPEG/PNG/WebP, वॉइस नोट)। कृपया फिर भेजें।",
        "en": "That file could not be taken (a JPEG/PNG/WebP photo, a voice note). Please send "
        "it again.",
    },
    "bad_location": {
        "hi": "यह स्थान स्वीकार नहीं हुआ: {0}। राजस्थान के भीतर का स्थान भेजें, या 'छोड़ें' दबाएँ।",
        "en": "That place was not accepted: {0}. Share a place in Rajasthan, or tap 'Skip'.",
    },
    "bad_text": {
        "hi": "यह संदेश नहीं लिया जा सका: {0}",
        "en": "That message could not be taken: {0}",
    },
    "no_complaints": {
        "hi": "इस नंबर से दर्ज कोई शिकायत नहीं मिली।",
        "en": "We found no complaint filed from this number.",
    },
    "no_open": {
        "hi": "इस नंबर की कोई खुली शिकायत नहीं है।",
        "en": "There is no open complaint of this number.",
    },
    "your_complaints": {"hi": "आपकी शिकायतें:", "en": "Your complaints:"},
    "status_line": {"hi": "{0}: {1}, स्तर {2}{3}", "en": "{0}: {1}, level {2}{3}"},
    "due": {"hi": ", अंतिम तिथि {0}", "en": ", due {0}"},
    "which": {"hi": "कौन सी शिकायत?", "en": "Which complaint?"},
    "which_button": {"hi": "शिकायत चुनें", "en": "Choose"},
    "reminded": {
        "hi": "शिकायत {0} के लिए आपका स्मरण दर्ज हो गया है।",
        "en": "Your reminder about complaint {0} is recorded.",
    },
    "refused": {"hi": "यह नहीं हो सका: {0}", "en": "That could not be done: {0}"},
    "withdraw_reason": {
        "hi": "शिकायत {0} वापस लेने का कारण लिखें।",
        "en": "Write why you withdraw complaint {0}.",
    },
    "withdraw_confirm": {
        "hi": "शिकायत {0} वापस लें? कारण: {1}",
        "en": "Withdraw complaint {0}? Reason: {1}",
    },
    "yes_withdraw": {"hi": "हाँ, वापस लें", "en": "Yes, withdraw"},
    "photo_send": {
        "hi": "शिकायत {0} के लिए फ़ोटो भेजें।",
        "en": "Send the photo for complaint {0}.",
    },
    "photo_added": {
        "hi": "फ़ोटो शिकायत {0} में जोड़ दी गई है।",
        "en": "The photo is added to complaint {0}.",
    },
    "fault": {
        "hi": "क्षमा करें, कुछ गड़बड़ हुई। कृपया फिर से संदेश भेजें।",
        "en": "Sorry, something went wrong on our side. Please send your message again.",
    },
}

STATUSES: dict[str, dict[str, str]] = {
    "unassigned": {"hi": "प्रतीक्षा में", "en": "waiting to be assigned"},
    "assigned": {"hi": "अधिकारी के पास", "en": "with the officer"},
    "reopened": {"hi": "फिर से खोली गई", "en": "reopened"},
    "resolved": {"hi": "निस्तारित", "en": "disposed of"},
    "closed": {"hi": "बंद", "en": "closed"},
    "withdrawn": {"hi": "वापस ली गई", "en": "withdrawn"},
}


def say(key: str, language: str | None, *params: object) -> str:
    texts = SAY[key]
    return texts.get(language or Language.HINDI, texts[Language.HINDI]).format(*params)


def status_word(status: str, language: str | None) -> str:
    words = STATUSES.get(status)
    return words.get(language or Language.HINDI, status) if words else status


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"preview_url": False, "body": _cut(body, 4096)}}


def buttons(body: str, choices: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": _cut(body, BODY_LIMIT)},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": id_, "title": _cut(t, BUTTON_TITLE_LIMIT)}}
                    for id_, t in choices[:MAX_BUTTONS]
                ]
            },
        },
    }


def choice_list(
    body: str, button: str, rows: Sequence[tuple[str, str, str | None]]
) -> dict[str, Any]:
    """A list message: at most ten rows (id, title, description)."""
    return {
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": _cut(body, BODY_LIMIT)},
            "action": {
                "button": _cut(button, BUTTON_TITLE_LIMIT),
                "sections": [
                    {
                        "title": _cut(button, ROW_TITLE_LIMIT),
                        "rows": [
                            {"id": id_, "title": _cut(t, ROW_TITLE_LIMIT)}
                            | ({"description": _cut(d, ROW_DESCRIPTION_LIMIT)} if d else {})
                            for id_, t, d in rows[:MAX_ROWS]
                        ],
                    }
                ],
            },
        },
    }


def plain(session: dict[str, Any]) -> str:
    """A free-form message as plain text (the template's parameter and the SMS after the
    24-hour window): its body and its choices, numbered."""
    if session["type"] == "text":
        return str(session["text"]["body"])
    interactive = session["interactive"]
    action = interactive["action"]
    titles = [b["reply"]["title"] for b in action.get("buttons", [])] + [
        r["title"] for s in action.get("sections", []) for r in s["rows"]
    ]
    lines = [interactive["body"]["text"]]
    lines += [f"{n}. {t}" for n, t in enumerate(titles, start=1)]
    return "\n".join(lines)
