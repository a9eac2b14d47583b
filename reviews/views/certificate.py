"""The designation certificate: a printable page styled as the official paper, and the same as PDF."""

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from ..models import Department, Designation


def _designation(request, pk) -> Designation:
    designation = get_object_or_404(
        Designation.objects.select_related("alliance__sector", "alliance__chairman", "designated_by"), pk=pk)
    if not request.user.has_perm("reviews.view_certificate", designation.alliance):
        raise Http404  # another organisation's certificate does not exist for this user
    return designation


def _official_name(name: str) -> str:
    """“市科学技术局” signs a certificate as “淄博市科学技术局”: the city's name in full."""
    city = settings.PORTAL["CITY_NAME"]
    if name.startswith("市") and city.endswith("市"):
        return city[:-1] + name
    return name


def _context(request, designation) -> dict:
    verify_url = request.build_absolute_uri(
        reverse("reviews:register") + "?" + urlencode({"q": designation.certificate_number}))
    return {
        "designation": designation,
        "alliance": designation.alliance,
        "issuers": [_official_name(d.name) for d in Department.objects.filter(joins_joint_review=True,
                                                                                is_active=True)],
        "city": settings.PORTAL["CITY_NAME"],
        "verify_url": verify_url,
        "qr_svg": segno.make(verify_url, error="m").svg_inline(scale=2, border=1, dark="#7a1f1f"),
    }


@login_required
def certificate(request, pk):
    designation = _designation(request, pk)
    return render(request, "reviews/certificate.html", _context(request, designation))


def _no_fetching(url, *args, **kwargs):
    # Everything the certificate needs is inline (QR code as SVG, the stylesheet passed in): fetch nothing.
    raise ValueError(f"certificate PDF fetches no resources ({url})")


@login_required
def certificate_pdf(request, pk):
    from weasyprint import CSS, HTML

    designation = _designation(request, pk)
    html = render_to_string("reviews/certificate_pdf.html", _context(request, designation), request=request)
    stylesheet = CSS(filename=finders.find("css/reviews.css"))
    pdf = HTML(string=html, url_fetcher=_no_fetching).write_pdf(stylesheets=[stylesheet])
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"certificate-{designation.year}-{designation.sequence:03d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
