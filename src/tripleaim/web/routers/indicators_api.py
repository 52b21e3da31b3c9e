"""The JSON API of population health indicators (v1)."""

from __future__ import annotations

from fastapi import APIRouter

from tripleaim.web.routers.api import ERRORS

router = APIRouter(prefix="/api/v1/indicators", tags=["indicators"], responses=ERRORS)
