"""How money is written on the portal's pages (万元)."""

from decimal import Decimal

from django.utils import numberformat


def wan(value, places=None):
    """A 万元 amount grouped in thousands: two decimals, or up to four when they matter (exact, no float).

    ``|wan:4`` always shows four decimals.
    """
    if value is None or value == "":
        return "—"
    amount = Decimal(value).quantize(Decimal("0.0001"))
    if places is None:
        decimals = len(str(amount.normalize()).partition(".")[2]) if amount != amount.to_integral() else 0
        places = min(4, max(2, decimals))
    # grouped in thousands in every language, as money is written on Chinese government forms
    return numberformat.format(amount, ".", decimal_pos=int(places), grouping=3, thousand_sep=",",
                               force_grouping=True)
