"""The portal's core: what every app may use and which uses no app.

The error base (``errors``), the workflow engine (``workflow``: ``apply_transition`` over a declared table;
``records``: ``TransitionRecord``, the abstract record), the to-do registry (``todo``), the API's base classes
(``auth``: token authentication, scope and throttles; ``permissions``, ``pagination``, ``filters``, ``rest``,
``api_schema``), and cross-cutting helpers (``validators``, ``uploads``, ``downloads``, ``converters``,
``csv_export``, ``middleware``, ``admin``). Nothing here imports
an app of the portal (``lint-imports`` checks it) and nothing here defines a concrete model.
"""
