"""Warnings are errors, except WeasyPrint's one about the optional HarfBuzz-Subset library, which a fresh
machine lacks (WeasyPrint subsets fonts with fontTools then): that one alone is let through."""

import warnings

import pytest

MISSING_HARFBUZZ_SUBSET = ("HarfBuzz-Subset will be required by future versions of WeasyPrint. "
                           "Please install this library with your package manager.")


def _warn_from_weasyprint(message):
    warnings.warn_explicit(message, DeprecationWarning, "weasyprint/text/ffi.py", 528,
                           module="weasyprint.text.ffi", registry={})


def test_missing_harfbuzz_subset_does_not_fail_the_tests():
    _warn_from_weasyprint(MISSING_HARFBUZZ_SUBSET)


def test_any_other_weasyprint_deprecation_still_fails():
    with pytest.raises(DeprecationWarning):
        _warn_from_weasyprint("Something else is deprecated.")


def test_the_same_words_from_elsewhere_still_fail():
    with pytest.raises(DeprecationWarning):
        warnings.warn_explicit(MISSING_HARFBUZZ_SUBSET, DeprecationWarning, "ours.py", 1, module="reviews.pdf",
                               registry={})
