"""Admin views of our own beside Wagtail's: the editor's live brand checks, similar past posts, and
the alt text an image suggests."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from brands.checks.types import Severity
from brands.selectors import brands_for, images_visible_to
from cms.archive.selectors import similar_archived_posts
from cms.ids import as_id

from .checking import content_of_form, findings_for
from .forms import post_form_class
from .models import Post
from .selectors import posts_visible_to

SEVERITY_ORDER = {Severity.BLOCK: 0, Severity.WARN: 1, Severity.INFO: 2}


def utf16_index(text: str, index: int) -> int:
    """Python indexes code points; the browser's textarea indexes UTF-16 units (emoji count 2)."""
    return len(text[:index].encode("utf-16-le")) // 2


def highlighted(caption: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """The caption cut into (text, severity-or-None) pieces, marking non-overlapping spans."""
    pieces, position = [], 0
    for start, end, severity in sorted(spans):
        if start < position or start >= end:
            continue
        pieces.append((caption[position:start], None))
        pieces.append((caption[start:end], severity))
        position = end
    pieces.append((caption[position:], None))
    return [piece for piece in pieces if piece[0]]


@require_POST
def live_checks(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The editor's unsaved form in, its findings out (an htmx partial, refreshed as the user types)."""
    instance = get_object_or_404(posts_visible_to(request.user), pk=pk) if pk else Post()
    form = post_form_class()(request.POST, instance=instance, for_user=request.user)
    form.is_valid()  # we want cleaned values where there are any; errors are the form's business
    brand = form.cleaned_data.get("brand")
    if brand is None:
        return render(request, "posts/panels/_findings.html", {"needs_brand": True})

    content = content_of_form(form, brand)
    findings = sorted(
        findings_for(content, brand, post_id=instance.pk),
        key=lambda finding: SEVERITY_ORDER[finding.severity],
    )
    rows = []
    for finding in findings:
        on_main_caption = finding.start is not None and (
            finding.platform is None or finding.platform not in content.caption_variants
        )
        rows.append(
            {
                "finding": finding,
                "on_main_caption": on_main_caption,
                # The one-click fix replaces from suggestion_start (a determiner it takes the place of).
                "start16": utf16_index(content.caption, finding.suggestion_start)
                if on_main_caption
                else None,
                "replaces": content.caption[finding.suggestion_start : finding.end]
                if on_main_caption
                else None,
                "end16": utf16_index(content.caption, finding.end) if on_main_caption else None,
            }
        )
    spans = [
        (row["finding"].start, row["finding"].end, row["finding"].severity)
        for row in rows
        if row["on_main_caption"]
    ]
    context = {
        "rows": rows,
        "brand": brand,
        "blocking": sum(finding.severity == Severity.BLOCK for finding in findings),
        "caption_pieces": highlighted(content.caption, spans) if spans else None,
    }
    return render(request, "posts/panels/_findings.html", context)


@require_POST
def similar_posts(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The editor's caption in, the brand's most similar archived posts out (an htmx partial).

    Only for the brands the user works on: someone else's post, or a brand not theirs, is a 404,
    as if it did not exist."""
    if pk:
        post = get_object_or_404(posts_visible_to(request.user).select_related("brand"), pk=pk)
        brand = post.brand
    else:
        brand_id = as_id(request.POST.get("brand"))
        if brand_id is None:
            return render(request, "posts/panels/_similar.html", {"needs_brand": True})
        brand = get_object_or_404(brands_for(request.user), pk=brand_id)
    caption = request.POST.get("caption", "")
    similar = similar_archived_posts(brand=brand, caption=caption, exclude_post_id=pk)
    return render(
        request,
        "posts/panels/_similar.html",
        {"brand": brand, "similar": similar, "searched": bool(caption.strip())},
    )


@require_GET
def image_alt_text(request: HttpRequest, image_id: int) -> JsonResponse:
    """The alt text an image suggests for a post: its default alt text (Wagtail's: the image's
    description, else its title). The editor fills an empty alt text field with it when the
    image is chosen, for the creative to confirm; images outside the user's brands are not found."""
    image = get_object_or_404(images_visible_to(request.user), pk=image_id)
    return JsonResponse({"alt_text": image.default_alt_text or ""})
