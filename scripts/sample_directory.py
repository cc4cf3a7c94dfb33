"""Writes data/directory.json: a realistic sample of Rajasthan's master data.

Every one of the state's 41 districts (as reorganised in December 2024, in 7 divisions), 11
departments with their complaint categories and the days allowed at each level (calendar
days for services that fail at once, working days for office work), a
level-1 and a level-2 post per department and district (each with an official mobile
number, invented), the head of department (level 3) and
the state government's secretary (level 4), a route per department and district, and the
escalation chain above each route, and the state's holidays for 2026 and 2027. Holder names
are invented and fixed, so the file is stable.

One category is for demonstrations: `PHED/demo-minutes` allows one minute at each level, so
in `make run` a complaint filed under it climbs from L1 to L4 in a few minutes.

    python scripts/sample_directory.py > data/directory.json
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta

DIVISIONS = {
    "Ajmer": [
        ("AJM", "Ajmer"),
        ("BWR", "Beawar"),
        ("BHL", "Bhilwara"),
        ("NAG", "Nagaur"),
        ("DDK", "Didwana-Kuchaman"),
        ("TON", "Tonk"),
    ],
    "Bharatpur": [
        ("BHP", "Bharatpur"),
        ("DEG", "Deeg"),
        ("DHO", "Dholpur"),
        ("KRL", "Karauli"),
        ("SWM", "Sawai Madhopur"),
    ],
    "Bikaner": [
        ("BKN", "Bikaner"),
        ("CHU", "Churu"),
        ("HNM", "Hanumangarh"),
        ("SGN", "Sri Ganganagar"),
    ],
    "Jaipur": [
        ("JAI", "Jaipur"),
        ("ALW", "Alwar"),
        ("DAU", "Dausa"),
        ("JJN", "Jhunjhunu"),
        ("SIK", "Sikar"),
        ("KHT", "Khairthal-Tijara"),
        ("KPB", "Kotputli-Behror"),
    ],
    "Jodhpur": [
        ("JOD", "Jodhpur"),
        ("BLT", "Balotra"),
        ("BMR", "Barmer"),
        ("JSM", "Jaisalmer"),
        ("JLR", "Jalore"),
        ("PAL", "Pali"),
        ("PHL", "Phalodi"),
        ("SIR", "Sirohi"),
    ],
    "Kota": [("KOT", "Kota"), ("BRN", "Baran"), ("BUN", "Bundi"), ("JHL", "Jhalawar")],
    "Udaipur": [
        ("UDR", "Udaipur"),
        ("BSW", "Banswara"),
        ("CTG", "Chittorgarh"),
        ("DUN", "Dungarpur"),
        ("PTG", "Pratapgarh"),
        ("RSM", "Rajsamand"),
        ("SLM", "Salumbar"),
    ],
}

# Departments whose work is office work count working days; the others calendar days.
WORKING_DAY_DEPARTMENTS = frozenset({"REVENUE", "RDPR", "SJE", "EDUCATION"})

# A sample of the state's gazetted holidays (fixed dates, and the main festivals).
HOLIDAYS = [
    ("2026-01-26", "Republic Day"),
    ("2026-03-04", "Holi (Dhulandi)"),
    ("2026-03-30", "Rajasthan Diwas"),
    ("2026-04-14", "Dr. Ambedkar Jayanti"),
    ("2026-08-15", "Independence Day"),
    ("2026-10-02", "Gandhi Jayanti"),
    ("2026-10-20", "Dussehra"),
    ("2026-11-09", "Govardhan Puja"),
    ("2026-11-24", "Guru Nanak Jayanti"),
    ("2026-12-25", "Christmas"),
    ("2027-01-26", "Republic Day"),
    ("2027-03-22", "Holi (Dhulandi)"),
    ("2027-03-30", "Rajasthan Diwas"),
    ("2027-04-14", "Dr. Ambedkar Jayanti"),
    ("2027-08-15", "Independence Day"),
    ("2027-10-02", "Gandhi Jayanti"),
    ("2027-12-25", "Christmas"),
]
DEMO_CATEGORY = {
    "department": "PHED",
    "code": "demo-minutes",
    "name": "Demonstration: one minute at each level",
    "sla": {"allowed": [1, 1, 1, 1], "unit": "minutes"},
}

# code, name, designations at L1..L4, categories (code, name, days at L1..L4); the first
# category is the department's default (used when a complaint is transferred without one).
DEPARTMENTS = [
    (
        "PHED",
        "Public Health Engineering",
        [
            "Assistant Engineer",
            "Executive Engineer",
            "Chief Engineer",
            "Additional Chief Secretary, PHED",
        ],
        [
            ("water-supply", "Drinking water supply", [3, 3, 5, 7]),
            ("contaminated-water", "Contaminated water", [2, 2, 3, 5]),
            ("handpump-repair", "Hand pump or tube well repair", [5, 5, 7, 10]),
            ("new-connection", "New water connection", [15, 7, 7, 10]),
        ],
    ),
    (
        "ENERGY",
        "Energy (Discoms)",
        [
            "Assistant Engineer",
            "Executive Engineer",
            "Managing Director, Discom",
            "Principal Secretary, Energy",
        ],
        [
            ("power-supply", "Power supply interruption", [1, 2, 3, 5]),
            ("transformer", "Burnt or faulty transformer", [3, 3, 5, 7]),
            ("meter-billing", "Meter or billing dispute", [15, 7, 7, 10]),
            ("new-connection", "New electricity connection", [21, 7, 7, 10]),
        ],
    ),
    (
        "PWD",
        "Public Works",
        [
            "Assistant Engineer",
            "Executive Engineer",
            "Chief Engineer",
            "Additional Chief Secretary, PWD",
        ],
        [
            ("road-repair", "Road damaged or potholes", [15, 10, 10, 15]),
            ("bridge-culvert", "Bridge or culvert", [21, 10, 10, 15]),
        ],
    ),
    (
        "FOOD",
        "Food, Civil Supplies and Consumer Affairs",
        [
            "Enforcement Inspector",
            "District Supply Officer",
            "Commissioner, Food",
            "Secretary, Food",
        ],
        [
            ("ration-not-received", "Ration not received", [7, 7, 7, 10]),
            ("ration-card", "Ration card issue or correction", [15, 7, 7, 10]),
            ("fair-price-shop", "Fair price shop malpractice", [7, 7, 7, 10]),
        ],
    ),
    (
        "REVENUE",
        "Revenue",
        [
            "Tehsildar",
            "Sub Divisional Officer",
            "Chairman, Board of Revenue",
            "Principal Secretary, Revenue",
        ],
        [
            ("land-records", "Mutation or land records", [21, 10, 10, 15]),
            ("encroachment", "Encroachment on public land", [15, 10, 10, 15]),
            ("certificates", "Caste, domicile or income certificate", [7, 7, 7, 10]),
        ],
    ),
    (
        "MEDICAL",
        "Medical and Health",
        [
            "Block Chief Medical Officer",
            "Chief Medical and Health Officer",
            "Director, Public Health",
            "Additional Chief Secretary, Medical and Health",
        ],
        [
            ("hospital-services", "Hospital services", [3, 3, 5, 7]),
            ("medicine-availability", "Free medicines not available", [2, 2, 3, 5]),
            ("health-scheme", "Health insurance scheme claim", [15, 7, 7, 10]),
        ],
    ),
    (
        "EDUCATION",
        "School Education",
        [
            "Block Education Officer",
            "District Education Officer",
            "Director, Secondary Education",
            "Secretary, School Education",
        ],
        [
            ("teacher-absence", "Teacher absent", [7, 7, 7, 10]),
            ("scholarship", "Scholarship not received", [15, 7, 7, 10]),
            ("mid-day-meal", "Mid-day meal", [3, 3, 5, 7]),
        ],
    ),
    (
        "LSG",
        "Local Self Government",
        [
            "Executive Officer, Municipality",
            "Deputy Director (Regional), LSG",
            "Director, LSG",
            "Principal Secretary, Urban Development and LSG",
        ],
        [
            ("sanitation", "Garbage and sanitation", [3, 3, 5, 7]),
            ("streetlight", "Street light not working", [3, 3, 5, 7]),
            ("sewerage", "Sewerage blocked or overflowing", [3, 3, 5, 7]),
        ],
    ),
    (
        "RDPR",
        "Rural Development and Panchayati Raj",
        [
            "Block Development Officer",
            "Chief Executive Officer, Zila Parishad",
            "Commissioner, EGS",
            "Additional Chief Secretary, Rural Development and Panchayati Raj",
        ],
        [
            ("mgnrega-wages", "MGNREGA wages not paid", [7, 7, 7, 10]),
            ("awas-yojana", "Housing scheme instalment", [15, 7, 7, 10]),
            ("panchayat-works", "Gram panchayat works", [15, 10, 10, 15]),
        ],
    ),
    (
        "SJE",
        "Social Justice and Empowerment",
        [
            "Tehsil Social Welfare Officer",
            "Deputy Director, Social Justice",
            "Director, Social Justice",
            "Secretary, Social Justice and Empowerment",
        ],
        [
            ("pension", "Social security pension not received", [7, 7, 7, 10]),
            ("hostel", "Government hostel", [7, 7, 7, 10]),
            ("disability", "Disability certificate or aid", [15, 7, 7, 10]),
        ],
    ),
    (
        "POLICE",
        "Home (Police)",
        [
            "Station House Officer",
            "Superintendent of Police",
            "Director General of Police",
            "Additional Chief Secretary, Home",
        ],
        [
            ("fir-not-registered", "FIR not registered", [3, 3, 5, 7]),
            ("traffic", "Traffic and parking", [7, 7, 7, 10]),
            ("cyber-fraud", "Cyber fraud", [3, 3, 5, 7]),
        ],
    ),
]

# The Hindi names, as the state's own offices write them (districts, departments, designations
# at L1..L4, categories): the citizen's report and the documents in Hindi name them so.
DISTRICTS_HI = {
    "AJM": "अजमेर",
    "BWR": "ब्यावर",
    "BHL": "भीलवाड़ा",
    "NAG": "नागौर",
    "DDK": "डीडवाना-कुचामन",
    "TON": "टोंक",
    "BHP": "भरतपुर",
    "DEG": "डीग",
    "DHO": "धौलपुर",
    "KRL": "करौली",
    "SWM": "सवाई माधोपुर",
    "BKN": "बीकानेर",
    "CHU": "चूरू",
    "HNM": "हनुमानगढ़",
    "SGN": "श्रीगंगानगर",
    "JAI": "जयपुर",
    "ALW": "अलवर",
    "DAU": "दौसा",
    "JJN": "झुंझुनूं",
    "SIK": "सीकर",
    "KHT": "खैरथल-तिजारा",
    "KPB": "कोटपूतली-बहरोड़",
    "JOD": "जोधपुर",
    "BLT": "बालोतरा",
    "BMR": "बाड़मेर",
    "JSM": "जैसलमेर",
    "JLR": "जालोर",
    "PAL": "पाली",
    "PHL": "फलोदी",
    "SIR": "सिरोही",
    "KOT": "कोटा",
    "BRN": "बारां",
    "BUN": "बूंदी",
    "JHL": "झालावाड़",
    "UDR": "उदयपुर",
    "BSW": "बांसवाड़ा",
    "CTG": "चित्तौड़गढ़",
    "DUN": "डूंगरपुर",
    "PTG": "प्रतापगढ़",
    "RSM": "राजसमंद",
    "SLM": "सलूम्बर",
}
DEPARTMENTS_HI = {
    "PHED": (
        "जन स्वास्थ्य अभियांत्रिकी विभाग",
        ["सहायक अभियंता", "अधिशासी अभियंता", "मुख्य अभियंता", "अतिरिक्त मुख्य सचिव, जन स्वास्थ्य अभियांत्रिकी"],
    ),
    "ENERGY": (
        "ऊर्जा विभाग (डिस्कॉम)",
        ["सहायक अभियंता", "अधिशासी अभियंता", "प्रबंध निदेशक, डिस्कॉम", "प्रमुख शासन सचिव, ऊर्जा"],
    ),
    "PWD": (
        "सार्वजनिक निर्माण विभाग",
        ["सहायक अभियंता", "अधिशासी अभियंता", "मुख्य अभियंता", "अतिरिक्त मुख्य सचिव, सार्वजनिक निर्माण"],
    ),
    "FOOD": (
        "खाद्य, नागरिक आपूर्ति एवं उपभोक्ता मामले विभाग",
        ["प्रवर्तन निरीक्षक", "जिला रसद अधिकारी", "आयुक्त, खाद्य", "शासन सचिव, खाद्य"],
    ),
    "REVENUE": (
        "राजस्व विभाग",
        ["तहसीलदार", "उपखण्ड अधिकारी", "अध्यक्ष, राजस्व मण्डल", "प्रमुख शासन सचिव, राजस्व"],
    ),
    "MEDICAL": (
        "चिकित्सा एवं स्वास्थ्य विभाग",
        [
            "ब्लॉक मुख्य चिकित्सा अधिकारी",
            "मुख्य चिकित्सा एवं स्वास्थ्य अधिकारी",
            "निदेशक, जन स्वास्थ्य",
            "अतिरिक्त मुख्य सचिव, चिकित्सा एवं स्वास्थ्य",
        ],
    ),
    "EDUCATION": (
        "स्कूल शिक्षा विभाग",
        [
            "ब्लॉक शिक्षा अधिकारी",
            "जिला शिक्षा अधिकारी",
            "निदेशक, माध्यमिक शिक्षा",
            "शासन सचिव, स्कूल शिक्षा",
        ],
    ),
    "LSG": (
        "स्वायत्त शासन विभाग",
        [
            "अधिशासी अधिकारी, नगरपालिका",
            "उप निदेशक (क्षेत्रीय), स्वायत्त शासन",
            "निदेशक, स्वायत्त शासन",
            "प्रमुख शासन सचिव, नगरीय विकास एवं स्वायत्त शासन",
        ],
    ),
    "RDPR": (
        "ग्रामीण विकास एवं पंचायती राज विभाग",
        [
            "विकास अधिकारी, पंचायत समिति",
            "मुख्य कार्यकारी अधिकारी, जिला परिषद",
            "आयुक्त, ईजीएस",
            "अतिरिक्त मुख्य सचिव, ग्रामीण विकास एवं पंचायती राज",
        ],
    ),
    "SJE": (
        "सामाजिक न्याय एवं अधिकारिता विभाग",
        [
            "तहसील समाज कल्याण अधिकारी",
            "उप निदेशक, सामाजिक न्याय",
            "निदेशक, सामाजिक न्याय",
            "शासन सचिव, सामाजिक न्याय एवं अधिकारिता",
        ],
    ),
    "POLICE": (
        "गृह विभाग (पुलिस)",
        ["थानाधिकारी", "पुलिस अधीक्षक", "पुलिस महानिदेशक", "अतिरिक्त मुख्य सचिव, गृह"],
    ),
}
CATEGORIES_HI = {
    ("PHED", "water-supply"): "पेयजल आपूर्ति",
    ("PHED", "contaminated-water"): "दूषित पानी",
    ("PHED", "handpump-repair"): "हैंडपंप या ट्यूबवेल की मरम्मत",
    ("PHED", "new-connection"): "नया जल कनेक्शन",
    ("PHED", "demo-minutes"): "प्रदर्शन: हर स्तर पर एक मिनट",
    ("ENERGY", "power-supply"): "बिजली आपूर्ति बाधित",
    ("ENERGY", "transformer"): "जला या खराब ट्रांसफार्मर",
    ("ENERGY", "meter-billing"): "मीटर या बिल संबंधी विवाद",
    ("ENERGY", "new-connection"): "नया बिजली कनेक्शन",
    ("PWD", "road-repair"): "क्षतिग्रस्त सड़क या गड्ढे",
    ("PWD", "bridge-culvert"): "पुल या पुलिया",
    ("FOOD", "ration-not-received"): "राशन नहीं मिला",
    ("FOOD", "ration-card"): "राशन कार्ड संबंधी समस्या या सुधार",
    ("FOOD", "fair-price-shop"): "उचित मूल्य दुकान पर अनियमितता",
    ("REVENUE", "land-records"): "नामांतरण या भू-अभिलेख",
    ("REVENUE", "encroachment"): "सार्वजनिक भूमि पर अतिक्रमण",
    ("REVENUE", "certificates"): "जाति, मूल निवास या आय प्रमाण पत्र",
    ("MEDICAL", "hospital-services"): "अस्पताल सेवाएं",
    ("MEDICAL", "medicine-availability"): "निःशुल्क दवाइयां उपलब्ध नहीं",
    ("MEDICAL", "health-scheme"): "स्वास्थ्य बीमा योजना का दावा",
    ("EDUCATION", "teacher-absence"): "शिक्षक अनुपस्थित",
    ("EDUCATION", "scholarship"): "छात्रवृत्ति नहीं मिली",
    ("EDUCATION", "mid-day-meal"): "मिड-डे मील",
    ("LSG", "sanitation"): "कचरा एवं सफाई",
    ("LSG", "streetlight"): "स्ट्रीट लाइट बंद",
    ("LSG", "sewerage"): "सीवरेज जाम या ओवरफ्लो",
    ("RDPR", "mgnrega-wages"): "मनरेगा मजदूरी का भुगतान नहीं",
    ("RDPR", "awas-yojana"): "आवास योजना की किस्त",
    ("RDPR", "panchayat-works"): "ग्राम पंचायत के कार्य",
    ("SJE", "pension"): "सामाजिक सुरक्षा पेंशन नहीं मिली",
    ("SJE", "hostel"): "राजकीय छात्रावास",
    ("SJE", "disability"): "दिव्यांगता प्रमाण पत्र या सहायता",
    ("POLICE", "fir-not-registered"): "एफआईआर दर्ज नहीं",
    ("POLICE", "traffic"): "यातायात एवं पार्किंग",
    ("POLICE", "cyber-fraud"): "साइबर धोखाधड़ी",
}

FIRST = [
    "Rakesh",
    "Sunita",
    "Mahendra",
    "Kavita",
    "Suresh",
    "Anita",
    "Vikram",
    "Pooja",
    "Dinesh",
    "Rekha",
    "Ashok",
    "Meena",
    "Rajendra",
    "Neha",
    "Manoj",
    "Sangeeta",
    "Gopal",
    "Priya",
]
LAST = [
    "Sharma",
    "Meena",
    "Rathore",
    "Choudhary",
    "Gupta",
    "Jat",
    "Shekhawat",
    "Bishnoi",
    "Saini",
    "Verma",
    "Joshi",
    "Gurjar",
    "Mali",
    "Purohit",
    "Agarwal",
    "Solanki",
    "Charan",
]


# Services notified under the Public Services Guarantee Act (docs/guarantee.md): code, name,
# department, category of their complaints, stipulated days. The designated officer, the first
# appeal officer and the second appeal authority are the department's designations at L1, L2
# and L3 (the posts the complaint is routed to and climbs to). Public Works and Police notify
# none here: their categories are not applications for a service.
NOTIFIED_SERVICES = [
    ("phed-new-connection", "New water connection", "PHED", "new-connection", 7),
    ("phed-handpump-repair", "Repair of a hand pump", "PHED", "handpump-repair", 3),
    (
        "energy-new-connection",
        "New domestic electricity connection",
        "ENERGY",
        "new-connection",
        30,
    ),
    ("energy-meter-change", "Replacement of a defective meter", "ENERGY", "meter-billing", 15),
    ("energy-transformer", "Replacement of a failed transformer", "ENERGY", "transformer", 3),
    ("food-ration-card", "New ration card", "FOOD", "ration-card", 30),
    ("food-ration-card-change", "Change in a ration card", "FOOD", "ration-card", 15),
    ("revenue-caste-certificate", "Caste certificate", "REVENUE", "certificates", 7),
    (
        "revenue-bonafide-certificate",
        "Bonafide (domicile) certificate",
        "REVENUE",
        "certificates",
        7,
    ),
    ("revenue-mutation", "Mutation of land records (namantaran)", "REVENUE", "land-records", 30),
    ("revenue-jamabandi-copy", "Certified copy of the jamabandi", "REVENUE", "land-records", 3),
    ("medical-jsy-payment", "Janani Suraksha Yojana payment", "MEDICAL", "health-scheme", 7),
    ("education-scholarship", "Post-matric scholarship", "EDUCATION", "scholarship", 30),
    ("lsg-sewer-connection", "Sewer connection", "LSG", "sewerage", 15),
    ("lsg-streetlight-repair", "Repair of a street light", "LSG", "streetlight", 3),
    ("rdpr-mgnrega-wages", "Payment of MGNREGA wages", "RDPR", "mgnrega-wages", 15),
    ("rdpr-job-card", "MGNREGA job card", "RDPR", "panchayat-works", 15),
    ("sje-old-age-pension", "Old age pension", "SJE", "pension", 30),
    ("sje-disability-pension", "Disability pension", "SJE", "disability", 30),
]


def notified_services() -> list[dict[str, object]]:
    designations = {code: names for code, _, names, _ in DEPARTMENTS}
    return [
        {
            "code": code,
            "name": name,
            "department": department,
            "category": category,
            "stipulated_days": days,
            "designated_officer": designations[department][0],
            "first_appeal_officer": designations[department][1],
            "second_appeal_authority": designations[department][2],
        }
        for code, name, department, category, days in NOTIFIED_SERVICES
    ]


def holder(n: int) -> str:
    return f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}"


def office_mobile(n: int) -> str:
    """The post's official number (invented): where it hears of its complaints."""
    return f"94{n:08d}"


def build() -> dict[str, object]:
    districts = [
        {"code": code, "name": name, "division": division, "name_hi": DISTRICTS_HI[code]}
        for division, members in DIVISIONS.items()
        for code, name in members
    ]
    departments, categories, posts, routes, chains = [], [], [], [], []
    n = 0
    for code, name, designations, cats in DEPARTMENTS:
        name_hi, designations_hi = DEPARTMENTS_HI[code]
        unit = "working_days" if code in WORKING_DAY_DEPARTMENTS else "calendar_days"
        departments.append(
            {
                "code": code,
                "name": name,
                "default_category": cats[0][0],
                "sla": {"allowed": [7, 7, 7, 7], "unit": unit},
                "name_hi": name_hi,
            }
        )
        categories += [
            {
                "department": code,
                "code": c,
                "name": cname,
                "sla": {"allowed": days, "unit": unit},
                "name_hi": CATEGORIES_HI[(code, c)],
            }
            for c, cname, days in cats
        ]
        hod, state = f"{code}-HOD", f"{code}-STATE"
        posts.append(
            {
                "id": hod,
                "designation": designations[2],
                "name_hi": designations_hi[2],
                "department": code,
                "district": None,
                "level": 3,
                "holder": holder(n := n + 1),
                "mobile": office_mobile(n),
            }
        )
        posts.append(
            {
                "id": state,
                "designation": designations[3],
                "name_hi": designations_hi[3],
                "department": code,
                "district": None,
                "level": 4,
                "holder": holder(n := n + 1),
                "mobile": office_mobile(n),
            }
        )
        for district in districts:
            d = district["code"]
            l1, l2 = f"{code}-{d}-L1", f"{code}-{d}-L2"
            posts.append(
                {
                    "id": l1,
                    "designation": f"{designations[0]}, {district['name']}",
                    "name_hi": f"{designations_hi[0]}, {district['name_hi']}",
                    "department": code,
                    "district": d,
                    "level": 1,
                    "holder": holder(n := n + 1),
                    "mobile": office_mobile(n),
                }
            )
            posts.append(
                {
                    "id": l2,
                    "designation": f"{designations[1]}, {district['name']}",
                    "name_hi": f"{designations_hi[1]}, {district['name_hi']}",
                    "department": code,
                    "district": d,
                    "level": 2,
                    "holder": holder(n := n + 1),
                    "mobile": office_mobile(n),
                }
            )
            routes.append({"department": code, "category": None, "district": d, "post": l1})
            chains.append({"department": code, "district": d, "posts": [l2, hod, state]})
    # A category with its own desk: Jaipur's power cuts go to the Discom control room.
    posts.append(
        {
            "id": "ENERGY-JAI-CONTROL-ROOM",
            "designation": "Assistant Engineer (Control Room), Jaipur",
            "name_hi": "सहायक अभियंता (कंट्रोल रूम), जयपुर",
            "department": "ENERGY",
            "district": "JAI",
            "level": 1,
            "holder": holder(n + 1),
            "mobile": office_mobile(n + 1),
        }
    )
    routes.append(
        {
            "department": "ENERGY",
            "category": "power-supply",
            "district": "JAI",
            "post": "ENERGY-JAI-CONTROL-ROOM",
        }
    )
    categories.append({**DEMO_CATEGORY, "name_hi": CATEGORIES_HI[("PHED", "demo-minutes")]})
    return {
        "districts": districts,
        "departments": departments,
        "categories": categories,
        "posts": posts,
        "routes": routes,
        "chains": chains,
        "holidays": [{"day": day, "name": name} for day, name in HOLIDAYS],
        "services": notified_services(),
        "diwas": [
            {"district": d["code"], "starts_at": starts_at, "place": f"Collectorate, {d['name']}"}
            for d in districts
            for starts_at in diwas_days()
        ],
    }


def diwas_days() -> list[str]:
    """A sample Rajasthan Sampark Diwas timetable: the third Thursday of each month of
    December 2026 to December 2027, from 11:00 in India (05:30 UTC)."""
    days = []
    for year, month in [(2026, 12)] + [(2027, m) for m in range(1, 13)]:
        first = date(year, month, 1)
        thursday = first + timedelta(days=(3 - first.weekday()) % 7 + 14)
        days.append(f"{thursday.isoformat()}T05:30:00Z")
    return days


if __name__ == "__main__":
    json.dump(build(), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
