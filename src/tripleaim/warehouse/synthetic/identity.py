"""Direct-care identity for synthetic people: test-range NHS numbers and invented names.

NHS numbers are drawn from the 999 test range (never issued to patients). That range
holds about 909,000 valid numbers; a larger synthetic population continues into 998,
997 ... (ranges the NHS number rules leave unallocated), as recorded in
docs/decisions/0005-synthetic-nhs-numbers.md.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

WEIGHTS = np.arange(10, 1, -1)

GIVEN_FEMALE = (
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Margaret",
    "Susan",
    "Patricia",
    "Jean",
    "Sarah",
    "Emma",
    "Helen",
    "Elizabeth",
    "Mary",
    "Joan",
    "Ruth",
    "Priya",
    "Aisha",
    "Fatima",
    "Zofia",
    "Chloe",
    "Hannah",
    "Jessica",
)
GIVEN_MALE = (
    "Oliver",
    "George",
    "Noah",
    "Arthur",
    "Leo",
    "Oscar",
    "Harry",
    "Archie",
    "Jack",
    "Henry",
    "Charlie",
    "Freddie",
    "David",
    "John",
    "Michael",
    "Peter",
    "Robert",
    "James",
    "William",
    "Richard",
    "Thomas",
    "Paul",
    "Mohammed",
    "Arjun",
    "Jakub",
    "Daniel",
    "Samuel",
    "Joseph",
    "Edward",
    "Alfie",
)
FAMILY = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Lewis",
    "James",
    "Phillips",
    "Mason",
    "Morgan",
    "Price",
    "Powell",
    "Bevan",
    "Hughes",
    "Kowalski",
    "Begum",
    "Okafor",
    "Singh",
)


def check_digits(first_nine: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Modulus 11 check digit for 9-digit prefixes; 10 means the prefix has no valid number."""
    digits = (first_nine[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    remainder = (digits * WEIGHTS).sum(axis=1) % 11
    check = 11 - remainder
    return np.where(check == 11, 0, check)


def nhs_numbers(count: int) -> npt.NDArray[np.str_]:
    """``count`` distinct valid NHS numbers from 999 downwards, in order."""
    found: list[npt.NDArray[np.int64]] = []
    have = 0
    for prefix in range(999, 899, -1):
        nine = prefix * 1_000_000 + np.arange(1_000_000, dtype=np.int64)
        check = check_digits(nine)
        valid = nine[check < 10] * 10 + check[check < 10]
        found.append(valid)
        have += valid.size
        if have >= count:
            break
    return np.concatenate(found)[:count].astype(str)


def identities(
    rng: np.random.Generator,
    person_id: npt.NDArray[np.int64],
    sex: npt.NDArray[np.int8],
) -> pd.DataFrame:
    """One identity row per person, NHS numbers shuffled so they say nothing about the person."""
    n = person_id.size
    numbers = nhs_numbers(n)[rng.permutation(n)]
    female = np.asarray(GIVEN_FEMALE)[rng.integers(0, len(GIVEN_FEMALE), n)]
    male = np.asarray(GIVEN_MALE)[rng.integers(0, len(GIVEN_MALE), n)]
    return pd.DataFrame(
        {
            "person_id": person_id,
            "nhs_number": numbers,
            "given_name": np.where(sex == 1, male, female),
            "family_name": np.asarray(FAMILY)[rng.integers(0, len(FAMILY), n)],
        }
    )
