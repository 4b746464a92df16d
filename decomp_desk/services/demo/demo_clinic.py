"""The demo clinic's cast: who the patients are and what happens to each. Made-up people (phone numbers
in the 555-01xx range kept for fiction, e-mail at example.com), chosen so that every indication, every
contraindication and every course status shows up at least once."""
from __future__ import annotations

from decimal import Decimal

from decomp_desk.domain.records import record
from decomp_desk.domain.types import Condition as C
from decomp_desk.domain.types import Contraindication as X
from decomp_desk.domain.types import Coverage, Region

CLINIC = {"name": "Riverside Spine & Decompression",
          "address": "418 River Road, Suite 200", "city": "Springfield", "state": "IL", "zip_code": "62704",
          "phone": "(217) 555-0142", "tax_id": "37-0000000"}
CLINICIANS = ("Dr. Maya Patel, DC", "Dr. Daniel Okafor, DC", "Laura Chen, PT")
SEED = 20260302

L, CV = Region.LUMBAR, Region.CERVICAL

# What the insurer said when the front desk called (DOMAIN.md: often not covered, some plans pay part).
INSURANCE = {
    "Blue Cross Blue Shield": (Coverage.PARTLY_COVERED, Decimal("50"), None, "Plan pays 50% after deductible"),
    "Aetna": (Coverage.NOT_COVERED, None, None, "Considered experimental under this plan"),
    "Cigna": (Coverage.PARTLY_COVERED, None, Decimal("40.00"), "Pays $40 per session, up to 24 sessions"),
    "UnitedHealthcare": (Coverage.NOT_VERIFIED, None, None, "Waiting for a call back from the plan"),
    "Humana": (Coverage.PARTLY_COVERED, Decimal("30"), None, "30% with prior authorization on file"),
    "Medicare": (Coverage.NOT_COVERED, None, None, "Medicare does not cover decompression; ABN signed"),
    "": (Coverage.NOT_COVERED, None, None, "Self-pay"),
}

ICD10 = {
    (L, C.HERNIATED_DISC): "M51.26", (L, C.SCIATICA): "M54.31", (L, C.DEGENERATIVE_DISEASE): "M51.36",
    (L, C.POSTERIOR_FACET_SYNDROME): "M47.816", (L, C.NERVE_ROOT_INJURY): "M54.16",
    (L, C.NECK_BACK_PAIN): "M54.40", (CV, C.NECK_BACK_PAIN): "M54.2", (CV, C.HERNIATED_DISC): "M50.20",
    (CV, C.DEGENERATIVE_DISEASE): "M50.30", (CV, C.NERVE_ROOT_INJURY): "M50.10",
}


@record
class Story:
    """One patient's course of events. `sessions` are recorded ending `ended` days before today."""

    first: str
    last: str
    sex: str
    insurer: str
    plot: str  # completed, active, discontinued, booked, screened, paused, blocked, new
    region: Region = L
    conditions: tuple[C, ...] = ()
    sessions: int = 0
    ended: int = 2
    trend: str = "improving"  # improving, slow, flat, worse
    blocked_by: tuple[X, ...] = ()
    no_xray: bool = False
    xray_finding: str = ""  # an abnormal x-ray
    stops: tuple[int, ...] = ()  # session numbers when the patient pressed the stop button
    spasms: tuple[int, ...] = ()
    tissue_damage: int = 0
    note: str = ""
    paid: tuple[tuple[int, str], ...] = ()  # (sessions paid for, method)
    age: tuple[int, int] = (30, 78)


STORIES = (
    Story("Margaret", "Sullivan", "F", "Medicare", "completed", L, (C.DEGENERATIVE_DISEASE, C.SCIATICA), 30, 40,
          paid=((10, "check"), (10, "check"), (10, "card")), age=(66, 79)),
    Story("James", "Whitaker", "M", "Blue Cross Blue Shield", "completed", L, (C.HERNIATED_DISC, C.SCIATICA), 30, 75,
          spasms=(4,), paid=((15, "card"), (15, "insurance"))),
    Story("Priya", "Raman", "F", "Cigna", "completed", CV, (C.NECK_BACK_PAIN, C.HERNIATED_DISC), 30, 22,
          stops=(3,), paid=((30, "insurance"),)),
    Story("Robert", "Kowalski", "M", "", "completed", L, (C.POSTERIOR_FACET_SYNDROME,), 30, 110, trend="slow",
          paid=((30, "cash"),)),
    Story("Linda", "Haddad", "F", "Humana", "completed", L, (C.NERVE_ROOT_INJURY, C.DISLOCATED_SPINE), 30, 55),
    Story("Kevin", "O'Brien", "M", "Aetna", "discontinued", L, (C.HERNIATED_DISC,), 12, 30, trend="flat",
          tissue_damage=12, stops=(12,), note="Discontinued after tissue damage at session 12; referred to "
          "orthopedics.", paid=((6, "card"),)),
    Story("Grace", "Nakamura", "F", "UnitedHealthcare", "discontinued", CV, (C.DEGENERATIVE_DISEASE,), 8, 60,
          trend="flat", note="Patient moved out of state."),
    Story("Thomas", "Brennan", "M", "Blue Cross Blue Shield", "discontinued", L, (C.SCIATICA,), 15, 18,
          trend="worse", spasms=(9, 14), note="Pain rising; referred for an MRI."),
    Story("Elena", "Morales", "F", "Blue Cross Blue Shield", "active", L, (C.HERNIATED_DISC, C.SCIATICA), 18,
          spasms=(2,)),
    Story("Marcus", "Johnson", "M", "Cigna", "active", L, (C.DEGENERATIVE_DISEASE,), 14, 3, stops=(6,)),
    Story("Hannah", "Lindqvist", "F", "", "active", CV, (C.NECK_BACK_PAIN,), 22, 1, paid=((10, "card"),)),
    Story("David", "Cohen", "M", "Aetna", "active", L, (C.POSTERIOR_FACET_SYNDROME, C.NECK_BACK_PAIN), 9, 2,
          trend="flat", spasms=(5,)),
    Story("Fatima", "Al-Sayed", "F", "Humana", "active", L, (C.NERVE_ROOT_INJURY,), 16, 4),
    Story("William", "Tran", "M", "Medicare", "active", L, (C.DEGENERATIVE_DISEASE, C.SCIATICA), 24, 1,
          stops=(11,), age=(66, 82), paid=((12, "check"),)),
    Story("Sofia", "Rossi", "F", "Blue Cross Blue Shield", "active", CV, (C.HERNIATED_DISC, C.NERVE_ROOT_INJURY), 11,
          2),
    Story("Anthony", "Greene", "M", "UnitedHealthcare", "active", L, (C.DISLOCATED_SPINE,), 13, 5, trend="slow"),
    Story("Rachel", "Goldberg", "F", "Cigna", "active", L, (C.SCIATICA,), 20, 2, paid=((10, "insurance"),)),
    Story("Christopher", "Adeyemi", "M", "", "active", L, (C.HERNIATED_DISC,), 8, 1, trend="worse"),
    Story("Mei", "Huang", "F", "Aetna", "active", CV, (C.DEGENERATIVE_DISEASE, C.NECK_BACK_PAIN), 17, 3),
    Story("Brian", "McAllister", "M", "Humana", "active", L, (C.POSTERIOR_FACET_SYNDROME,), 25, 1),
    Story("Olivia", "Bennett", "F", "Blue Cross Blue Shield", "active", L, (C.NECK_BACK_PAIN,), 3, 1),
    Story("Jorge", "Ramirez", "M", "Cigna", "active", L, (C.HERNIATED_DISC, C.SCIATICA), 2, 2),
    Story("Abigail", "Foster", "F", "", "active", CV, (C.NECK_BACK_PAIN,), 1, 1, paid=((1, "card"),)),
    Story("Samuel", "Osei", "M", "Medicare", "active", L, (C.DEGENERATIVE_DISEASE,), 3, 4, stops=(1,), age=(67, 80)),
    Story("Natalie", "Dubois", "F", "UnitedHealthcare", "active", L, (C.SCIATICA, C.NERVE_ROOT_INJURY), 2, 1),
    Story("Ethan", "Park", "M", "Aetna", "active", L, (C.HERNIATED_DISC,), 10, 2),
    Story("Isabel", "Cruz", "F", "Humana", "active", CV, (C.HERNIATED_DISC,), 6, 3),
    Story("Patrick", "Doyle", "M", "Blue Cross Blue Shield", "booked", L, (C.SCIATICA,)),
    Story("Yuki", "Tanaka", "F", "", "booked", CV, (C.NECK_BACK_PAIN, C.DEGENERATIVE_DISEASE)),
    Story("Daniel", "Fischer", "M", "Cigna", "screened", L, (C.POSTERIOR_FACET_SYNDROME,)),
    Story("Emily", "Carter", "F", "Blue Cross Blue Shield", "paused", L, (C.HERNIATED_DISC,), 10, 12, age=(28, 36),
          note="Pregnant: decompression stopped until after delivery."),
    Story("Gary", "Holt", "M", "Medicare", "blocked", L, (C.DEGENERATIVE_DISEASE,), blocked_by=(X.SPINAL_HARDWARE,),
          note="L4-L5 fusion with pedicle screws (2019).", age=(65, 80)),
    Story("Sandra", "Vega", "F", "Aetna", "blocked", L, (C.NERVE_ROOT_INJURY,), blocked_by=(X.NERVE_DAMAGE,),
          note="EMG shows established nerve damage."),
    Story("Harold", "Jensen", "M", "Medicare", "blocked", L, (C.NECK_BACK_PAIN,), blocked_by=(X.BONE_CANCER,),
          note="History of multiple myeloma.", age=(70, 84)),
    Story("Dorothy", "Kim", "F", "Humana", "blocked", CV, (C.DEGENERATIVE_DISEASE,), blocked_by=(X.OSTEOPOROSIS,),
          note="DEXA T-score -2.9.", age=(68, 82)),
    Story("Laura", "Mitchell", "F", "Cigna", "blocked", L, (C.SCIATICA,), blocked_by=(X.PREGNANT,), age=(27, 35)),
    Story("Victor", "Petrov", "M", "", "blocked", L, (C.HERNIATED_DISC,), no_xray=True,
          note="X-ray ordered; waiting for the films."),
    Story("Janet", "Okoro", "F", "UnitedHealthcare", "blocked", L, (C.DISLOCATED_SPINE,),
          xray_finding="Grade II spondylolisthesis at L5-S1."),
    Story("Michael", "Andersen", "M", "Blue Cross Blue Shield", "new", L),
    Story("Chloe", "Martin", "F", "", "active", CV, (C.NECK_BACK_PAIN, C.NERVE_ROOT_INJURY), 12, 2, trend="slow"),
)
