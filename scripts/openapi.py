"""Write the central service's OpenAPI document (the protocol's contract) to docs/openapi.json.

Usage: python scripts/openapi.py [OUT]   (tests check the committed copy is current)
"""

import json
import sys
import tempfile
from pathlib import Path

from hms_central.app import create_app


def openapi_text() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(f"sqlite:///{tmp}/openapi.sqlite3")
        text = json.dumps(app.openapi(), indent=2, sort_keys=True) + "\n"
        app.state.engine.dispose()
    return text


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/openapi.json")
    out.write_text(openapi_text(), encoding="utf-8")
    print(f"wrote {out}")
