"""What changed in a post since a tier last saw it, part by part (plain data, no database)."""

from approvals.since_last_seen import TextPiece, content_changes, text_pieces


def content(**parts) -> dict:
    """A revision's content (Revision.content) with these parts."""
    base = {
        "brand": 1,
        "caption": "Our autumn blend is here.",
        "platforms": ["instagram"],
        "format": "feed",
        "intent": "know",
        "cta_label": "",
        "cta_url": "",
        "campaign": "",
        "sponsored": False,
        "go_live_at": "2026-10-01T08:30:00Z",
        "media": [{"image": 7, "alt_text": "Beans", "sort_order": 0}],
        "poll_options": [],
        "caption_variants": [],
        "title": "Autumn",
    }
    return base | parts


def test_the_same_content_has_no_changes_whatever_its_internal_title():
    assert content_changes(content(), content(title="Autumn (second draft)")) == []


def test_a_caption_is_compared_word_by_word():
    [change] = content_changes(content(), content(caption="Our Kiln autumn blend is here!"))

    assert change.name == "Caption"
    assert [piece.text.strip() for piece in change.pieces if piece.kind == "added"] == ["Kiln", "!"]
    assert TextPiece("removed", ".") in change.pieces and TextPiece("added", "!") in change.pieces
    kept = "".join(piece.text for piece in change.pieces if piece.kind != "removed")
    assert kept == "Our Kiln autumn blend is here!"


def test_a_changed_line_break_shows_as_one():
    pieces = text_pieces("One line.\nTwo lines.", "One line.\n\nTwo lines.")

    assert [piece for piece in pieces if piece.kind != "same"] == [
        TextPiece("removed", "\n"),
        TextPiece("added", "\n\n"),
    ]


def test_the_time_platforms_and_images_are_named_as_people_say_them():
    changes = content_changes(
        content(),
        content(
            platforms=["instagram", "linkedin"],
            go_live_at="2026-10-02T09:00:00+01:00",
            media=[{"image": 8, "alt_text": "A cup", "sort_order": 0}],
        ),
    )

    by_part = {change.part: change for change in changes}
    assert by_part["platforms"].before == "Instagram" and by_part["platforms"].after == "Instagram; LinkedIn"
    assert by_part["go_live_at"].before == "Thu 1 Oct 2026, 08:30 UTC"
    assert by_part["go_live_at"].after == "Fri 2 Oct 2026, 08:00 UTC"
    assert [ref.image_id for ref in by_part["media"].images_before] == [7]
    assert [(ref.image_id, ref.alt_text) for ref in by_part["media"].images_after] == [(8, "A cup")]


def test_the_same_time_in_another_zone_is_no_change():
    assert content_changes(content(), content(go_live_at="2026-10-01T10:30:00+02:00")) == []
