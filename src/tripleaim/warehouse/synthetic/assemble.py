"""Assemble the generator's results into the warehouse tables, typed by the schema."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from tripleaim.warehouse.synthetic.conditions import Conditions, condition_specs
from tripleaim.warehouse.synthetic.people import ETHNIC_CODES, People
from tripleaim.warehouse.synthetic.prescribing import SECTIONS, Prescribing
from tripleaim.warehouse.synthetic.tables import arrow, categorical, dates
from tripleaim.warehouse.synthetic.vital import Births, Deaths


def _ids(n: int) -> np.ndarray:
    return np.arange(1, n + 1, dtype=np.int64)


def assemble_tables(
    *,
    everyone: People,
    conditions: Conditions,
    deaths: Deaths,
    baby_deaths: Deaths,
    baby_offset: int,
    births: Births,
    lsoas: pd.DataFrame,
    organisations: pd.DataFrame,
    practice_codes: list[str],
    spells: tuple[pd.DataFrame, ...],
    ae: pd.DataFrame,
    outpatients: pd.DataFrame,
    prescribing: Prescribing,
    national: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
    identity: pd.DataFrame,
    facts: dict[str, str],
) -> dict[str, pa.Table]:
    """Every loadable table plus build facts, as Arrow tables in schema order."""
    pid = everyone.person_id
    lsoa_codes = lsoas["lsoa_code"].to_numpy(str)
    practices = np.asarray(practice_codes)
    out: dict[str, pa.Table] = {}
    out["organisations"] = arrow("organisations", organisations)
    out["lsoas"] = arrow("lsoas", lsoas)
    out["persons"] = arrow(
        "persons",
        {
            "person_id": pid,
            "sex": np.where(everyone.sex == 1, "M", "F"),
            "date_of_birth": dates(everyone.dob),
            "lsoa_code": lsoa_codes[everyone.lsoa],
            "practice_code": practices[everyone.practice],
            "registration_start": dates(everyone.registration_start),
            "registration_end": dates(everyone.registration_end),
            "ethnic_group": ETHNIC_CODES[everyone.ethnic],
        },
    )
    out["person_identity"] = arrow("person_identity", identity)
    specs = condition_specs()
    who, col = np.nonzero(conditions.has)
    names = np.asarray(conditions.names)
    out["conditions"] = arrow(
        "conditions",
        {
            "person_id": pid[who],
            "condition": names[col],
            "snomed_code": np.asarray([specs[n].snomed for n in conditions.names])[col],
            "diagnosis_date": dates(conditions.diagnosed[who, col]),
        },
    )
    death_person = np.concatenate([deaths.person, baby_deaths.person + baby_offset])
    death_day = np.concatenate([deaths.day, baby_deaths.day])
    out["deaths"] = arrow(
        "deaths",
        {
            "person_id": pid[death_person],
            "date_of_death": dates(death_day),
            "underlying_cause": np.concatenate([deaths.cause, baby_deaths.cause]),
            "place_of_death": np.concatenate([deaths.place, baby_deaths.place]),
        },
    )
    died_on = np.full(len(everyone), np.iinfo(np.int64).max)
    died_on[death_person] = death_day
    maternity = spells[-1]  # one delivery spell per birth, in the same order
    out["births"] = arrow(
        "births",
        {
            "birth_id": _ids(births.mother.size),
            "mother_person_id": pid[births.mother],
            "baby_person_id": pa.array(
                pid[np.maximum(births.baby, 0)], type=pa.int64(), mask=births.baby < 0
            ),
            "birth_date": dates(births.day),
            "outcome": np.where(births.live, "live", "still"),
            "sex": np.where(births.sex == 1, "M", "F"),
            "birth_weight_g": births.weight_g,
            "gestation_weeks": births.gestation,
            "provider_code": maternity["provider_code"].to_numpy(str),
        },
    )
    spell = (
        pd.concat(spells, ignore_index=True)
        .sort_values(["admission_day", "person"], kind="stable")
        .reset_index(drop=True)
    )
    discharge = np.minimum(
        spell["discharge_day"].to_numpy(), died_on[spell["person"].to_numpy()]
    )
    discharge = np.maximum(discharge, spell["admission_day"].to_numpy())
    los = discharge - spell["admission_day"].to_numpy()
    out["inpatient_spells"] = arrow(
        "inpatient_spells",
        {
            "spell_id": _ids(len(spell)),
            "person_id": pid[spell["person"].to_numpy()],
            "provider_code": spell["provider_code"],
            "site_code": spell["site_code"],
            "admission_date": dates(spell["admission_day"].to_numpy()),
            "discharge_date": dates(discharge),
            "admission_method": spell["admission_method"],
            "day_case": spell["day_case"],
            "primary_diagnosis": spell["primary_diagnosis"],
            "secondary_diagnoses": spell["secondary_diagnoses"].replace("", None),
            "primary_procedure": spell["primary_procedure"].replace("", None),
            "secondary_procedures": pd.Series([None] * len(spell), dtype=object),
            "length_of_stay": los,
            "treatment_function": spell["treatment_function"],
            "cost_gbp": spell["cost_gbp"],
        },
    )
    ae = ae.sort_values(["arrival_time", "person"], kind="stable").reset_index(
        drop=True
    )
    out["ae_attendances"] = arrow(
        "ae_attendances",
        {
            "attendance_id": _ids(len(ae)),
            "person_id": pid[ae["person"].to_numpy()],
            **{c: ae[c] for c in ae.columns if c != "person"},
        },
    )
    op = outpatients.sort_values(
        ["appointment_day", "person"], kind="stable"
    ).reset_index(drop=True)
    out["outpatient_appointments"] = arrow(
        "outpatient_appointments",
        {
            "appointment_id": _ids(len(op)),
            "person_id": pid[op["person"].to_numpy()],
            "provider_code": op["provider_code"],
            "appointment_date": dates(op["appointment_day"].to_numpy()),
            "first_attendance": op["first_attendance"],
            "treatment_function": op["treatment_function"],
            "attendance_status": op["attendance_status"],
            "cost_gbp": op["cost_gbp"],
        },
    )
    out["prescribing"] = arrow(
        "prescribing",
        {
            "person_id": pid[prescribing.person],
            "practice_code": categorical(
                everyone.practice[prescribing.person], practices
            ),
            "period_start": dates(prescribing.period_start),
            "bnf_section": categorical(prescribing.section, SECTIONS),
            "items": prescribing.items,
            "cost_gbp": prescribing.cost_gbp,
        },
    )
    areas, population, activity = national
    out["national_areas"] = arrow("national_areas", areas)
    out["national_population"] = arrow("national_population", population)
    out["national_activity"] = arrow("national_activity", activity)
    out["build_facts"] = arrow(
        "build_facts", {"key": list(facts), "value": list(facts.values())}
    )
    return out
