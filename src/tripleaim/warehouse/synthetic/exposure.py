"""Each person's window of exposure in the period: registered, alive, in the footprint."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tripleaim.warehouse.synthetic.calendar import END, NO_DATE, START, Days
from tripleaim.warehouse.synthetic.people import People


@dataclass(frozen=True)
class Exposure:
    """First and last day each person can have activity, and the years between."""

    start: Days
    end: Days

    @property
    def years(self) -> npt.NDArray[np.float64]:
        """Exposure in years (zero when the window is empty)."""
        return np.asarray(np.maximum(self.end - self.start + 1, 0) / 365.25)

    @property
    def active(self) -> npt.NDArray[np.bool_]:
        """People with any exposure."""
        return np.asarray(self.end >= self.start)


def exposure_of(people: People) -> Exposure:
    """From the later of the period start and registration to the earlier of leaving and the end."""
    start = np.maximum(np.maximum(people.registration_start, START), people.dob)
    end = np.where(
        people.registration_end != NO_DATE,
        np.minimum(people.registration_end, END),
        END,
    )
    return Exposure(start=start, end=end)
