"""An app whose import fails, as a project's typo would."""

import djust_serve_tests_no_such_module  # noqa: F401
