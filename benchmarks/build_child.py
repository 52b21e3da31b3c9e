"""Child process for the build benchmark: build one footprint, print a JSON summary."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tripleaim import warehouse
from tripleaim.settings import Settings


def main() -> None:
    data_dir, footprint, scale, seed = (
        Path(sys.argv[1]),
        sys.argv[2],
        float(sys.argv[3]),
        int(sys.argv[4]),
    )
    settings = Settings(data_dir=data_dir, footprint=footprint, scale=scale, seed=seed)
    summary = warehouse.generate(settings)
    print(json.dumps({"seconds_in_build": summary.seconds, "rows": summary.rows}))


if __name__ == "__main__":
    main()
