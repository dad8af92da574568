"""The class tests (`make test-class`): the real nbgrader and a real JupyterHub.

They need the `class` extra (nbgrader, jupyterhub) and configurable-http-proxy from npm, and
take a few minutes, so the plain test command does not collect them: `make test-class` sets
OSKIT_CLASS_TESTS=1 (and installs what they need first).
"""

import os

if not os.environ.get("OSKIT_CLASS_TESTS"):
    collect_ignore_glob = ["test_*.py"]
