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


def holder(n: int) -> str:
    return f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}"


def office_mobile(n: int) -> str:
    """The post's official number (invented): where it hears of its complaints."""
    return f"94{n:08d}"


def build() -> dict[str, object]:
    districts = [
        {"code": code, "name": name, "division": division}
        for division, members in DIVISIONS.items()
        for code, name in members
    ]
    departments, categories, posts, routes, chains = [], [], [], [], []
    n = 0
    for code, name, designations, cats in DEPARTMENTS:
        unit = "working_days" if code in WORKING_DAY_DEPARTMENTS else "calendar_days"
        departments.append(
            {
                "code": code,
                "name": name,
                "default_category": cats[0][0],
                "sla": {"allowed": [7, 7, 7, 7], "unit": unit},
            }
        )
        categories += [
            {
                "department": code,
                "code": c,
                "name": cname,
                "sla": {"allowed": days, "unit": unit},
            }
            for c, cname, days in cats
        ]
        hod, state = f"{code}-HOD", f"{code}-STATE"
        posts.append(
            {
                "id": hod,
                "designation": designations[2],
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
    categories.append(DEMO_CATEGORY)
    return {
        "districts": districts,
        "departments": departments,
        "categories": categories,
        "posts": posts,
        "routes": routes,
        "chains": chains,
        "holidays": [{"day": day, "name": name} for day, name in HOLIDAYS],
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
