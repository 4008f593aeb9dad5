"""The image rules, on real Pillow images made here. No database."""

import io
import random
import struct
import zlib

import pytest
from PIL import Image, ImageDraw

from brands.checks.images import check_images, delta_e_2000, inspect_image, srgb_to_lab
from brands.checks.types import Finding, ImageInput, KitRules, PostContent, Severity

KILN_PALETTE = ("#E0762F", "#3B2418", "#C68642")  # orange and browns only: no green, no blue
KILN = KitRules(
    brand_name="Kiln Coffee", palette=KILN_PALETTE, palette_names=("Kiln orange", "Espresso", "Roast")
)
NO_PALETTE = KitRules(brand_name="Kiln Coffee")

ORANGE = (224, 118, 47)
GREEN = (40, 200, 60)


# --- helpers ------------------------------------------------------------------------------------


def encode(image: Image.Image, format: str = "JPEG", **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **params)
    return buffer.getvalue()


def jpeg(size=(1080, 1080), colour=(200, 200, 200), **params) -> bytes:
    return encode(Image.new("RGB", size, colour), "JPEG", **params)


def photo(size, colour, *, seed=1) -> bytes:
    """A photo-like picture dominated by `colour`: lit unevenly, with noise and darker shapes."""
    width, height = size
    rng = random.Random(seed)
    shade = Image.linear_gradient("L").resize(size)  # light from the top
    dark = tuple(int(channel * 0.7) for channel in colour)
    image = Image.composite(Image.new("RGB", size, colour), Image.new("RGB", size, dark), shade)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(width // 20, width // 8)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(int(c * rng.uniform(0.8, 1.1)) for c in colour))
    # Seeded grain (Image.effect_noise can't be seeded), so a photo is the same on every run.
    noise = Image.frombytes("L", size, rng.randbytes(width * height)).convert("RGB")
    return encode(Image.blend(image, noise, 0.12), "JPEG", quality=90)


def post(*images: ImageInput, platforms=("instagram",), format="feed") -> PostContent:
    return PostContent(caption="", platforms=platforms, format=format, images=images)


def described(data: bytes | None, **kwargs) -> ImageInput:
    """An image with good alt text, so only the rule under test speaks."""
    kwargs.setdefault("alt_text", "A barista pouring latte art into a blue cup")
    return ImageInput(data=data, **kwargs)


def rules(findings: list[Finding]) -> list[str]:
    return [finding.rule for finding in findings]


def only(findings: list[Finding], rule: str) -> list[Finding]:
    return [finding for finding in findings if finding.rule == rule]


def png_declaring(width: int, height: int) -> bytes:
    """A valid, tiny 1-bit PNG of the given size: all zeros compress to almost nothing."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\0" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    compressor = zlib.compressobj(9)
    rows_per_step = max(1, 4_000_000 // len(row))
    compressed = []
    for start in range(0, height, rows_per_step):
        compressed.append(compressor.compress(row * min(rows_per_step, height - start)))
    compressed.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", b"".join(compressed))
        + chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header is rewritten to declare another size."""
    data = bytearray(jpeg((64, 64)))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def with_orientation(image: Image.Image, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(image, "JPEG", exif=exif)


# --- aspect ratio -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(1080, 1350), (1080, 1080), (1080, 566), (1600, 900), (1080, 1352)])
def test_an_image_inside_instagrams_feed_range_is_not_cropped(size):
    assert only(check_images(post(described(jpeg(size))), KILN), "image_aspect_ratio") == []


def test_a_panorama_is_cropped_to_1_91_on_instagram():
    [finding] = only(check_images(post(described(jpeg((3000, 1000)))), KILN), "image_aspect_ratio")
    assert finding.severity == Severity.WARN
    assert finding.platform == "instagram"
    assert finding.image_index == 0
    assert "3:1 (3000×1000)" in finding.message
    assert "crop its sides to 1.91:1" in finding.message
    assert "Choose an image between 4:5 (portrait) and 1.91:1 (landscape)" in finding.message


def test_a_tall_9_16_image_is_cropped_to_4_5_in_the_feed():
    [finding] = only(check_images(post(described(jpeg((1080, 1920)))), KILN), "image_aspect_ratio")
    assert "9:16" in finding.message
    assert "top and bottom to 4:5" in finding.message


def test_one_finding_per_platform_that_crops():
    findings = only(
        check_images(
            post(described(jpeg((1080, 1920))), platforms=("instagram", "facebook", "linkedin")), KILN
        ),
        "image_aspect_ratio",
    )
    # LinkedIn takes 1:1.91 portrait, so 9:16 (1:1.78) fits there.
    assert [finding.platform for finding in findings] == ["instagram", "facebook"]


def test_a_story_must_be_9_16():
    story = post(described(jpeg((1080, 1920))), format="story")
    assert only(check_images(story, KILN), "image_aspect_ratio") == []

    [finding] = only(
        check_images(post(described(jpeg((1080, 1080))), format="story"), KILN), "image_aspect_ratio"
    )
    assert "Instagram stories are 9:16 portrait" in finding.message


def test_a_carousel_uses_the_feed_ranges():
    assert (
        only(check_images(post(described(jpeg((1080, 1350))), format="carousel"), KILN), "image_aspect_ratio")
        == []
    )
    assert rules(check_images(post(described(jpeg((1080, 1920))), format="carousel"), KILN)) == [
        "image_aspect_ratio"
    ]


@pytest.mark.parametrize("format", ["story", "reply", "poll"])
def test_formats_a_platform_has_no_range_for_fall_back_to_its_feed(format):
    # X has only a feed range (1:1 to 16:9).
    assert (
        only(
            check_images(post(described(jpeg((1600, 900))), platforms=("x",), format=format), KILN),
            "image_aspect_ratio",
        )
        == []
    )
    [finding] = only(
        check_images(post(described(jpeg((1080, 1920))), platforms=("x",), format=format), KILN),
        "image_aspect_ratio",
    )
    assert finding.platform == "x"
    assert "to 1:1" in finding.message


def test_the_exif_orientation_decides_which_way_up_the_image_is():
    landscape = Image.new("RGB", (1600, 1200), (200, 200, 200))  # 4:3, fine on Instagram
    assert (
        only(check_images(post(described(with_orientation(landscape, 1))), KILN), "image_aspect_ratio") == []
    )

    # Orientation 6: shown turned a quarter, 1200×1600 (3:4), taller than Instagram's 4:5.
    [finding] = only(
        check_images(post(described(with_orientation(landscape, 6))), KILN), "image_aspect_ratio"
    )
    assert "3:4 (1200×1600)" in finding.message


def test_an_unknown_platform_code_is_ignored():
    assert check_images(post(described(jpeg((3000, 1000))), platforms=("myspace",)), KILN) == []


# --- resolution -------------------------------------------------------------------------------


def test_an_image_wide_enough_for_every_platform_passes():
    platforms = ("instagram", "facebook", "x", "linkedin")
    assert (
        only(check_images(post(described(jpeg((1200, 1200))), platforms=platforms), KILN), "image_resolution")
        == []
    )


def test_an_image_under_the_minimum_width_warns_it_will_look_blurry():
    findings = check_images(post(described(jpeg((500, 500))), platforms=("instagram", "facebook")), KILN)
    [finding] = only(findings, "image_resolution")  # Instagram's minimum is 320 px, Facebook's 600
    assert finding.platform == "facebook"
    assert finding.severity == Severity.WARN
    assert "only 500 px wide" in finding.message
    assert "1080 px" in finding.message


def test_an_image_under_half_the_minimum_width_blocks():
    [finding] = only(
        check_images(post(described(jpeg((250, 250))), platforms=("facebook",)), KILN), "image_resolution"
    )
    assert finding.severity == Severity.BLOCK
    assert "pixelated" in finding.message


def test_the_width_is_read_as_displayed():
    # Stored 1000×500, shown 500×1000 once turned: too narrow for Facebook's 600 px.
    rotated = with_orientation(Image.new("RGB", (1000, 500), (200, 200, 200)), 8)
    [finding] = only(
        check_images(post(described(rotated), platforms=("facebook",)), KILN), "image_resolution"
    )
    assert "500 px" in finding.message


# --- file size --------------------------------------------------------------------------------


def test_a_file_over_a_platforms_limit_is_blocked_for_that_platform_only():
    # A valid JPEG with 5.5 MB after its end marker: decoders ignore it, the upload limit does not.
    padded = jpeg((1080, 1080)) + b"\0" * int(5.5 * 1024 * 1024)
    findings = check_images(post(described(padded), platforms=("instagram", "x")), KILN)
    [finding] = only(findings, "image_file_size")
    assert finding.platform == "x"  # X takes 5 MB, Instagram 8 MB
    assert finding.severity == Severity.BLOCK
    assert "5.5 MB" in finding.message and "5 MB" in finding.message
    assert rules(findings) == ["image_file_size"]


def test_a_small_file_passes_the_size_rule():
    assert only(check_images(post(described(jpeg()), platforms=("x",)), KILN), "image_file_size") == []


# --- image count ------------------------------------------------------------------------------


def test_more_images_than_a_platform_takes_blocks_once_for_that_platform():
    images = tuple(described(jpeg()) for _ in range(5))
    findings = check_images(post(*images, platforms=("instagram", "x")), KILN)
    [finding] = only(findings, "image_count")
    assert finding.platform == "x"
    assert finding.image_index is None
    assert finding.severity == Severity.BLOCK
    assert "5 images" in finding.message and "at most 4" in finding.message
    assert "Remove 1 image," in finding.message


def test_as_many_images_as_allowed_pass():
    images = tuple(described(jpeg()) for _ in range(4))
    assert only(check_images(post(*images, platforms=("x",)), KILN), "image_count") == []


@pytest.mark.parametrize("format", ["story", "reel"])
def test_a_story_or_reel_without_an_image_blocks(format):
    # Platforms reject a story or reel with nothing to show (issue 13: the preview said so, the
    # checker only warned).
    [finding] = check_images(post(format=format), KILN)
    assert finding.rule == "image_missing"
    assert finding.severity == Severity.BLOCK
    assert finding.platform == "instagram"
    assert f"Instagram {format[:-1]}" in finding.message


def test_a_feed_post_without_images_passes_where_text_only_posts_go_out():
    assert check_images(post(platforms=("facebook", "x", "linkedin")), KILN) == []


def test_an_instagram_feed_post_without_images_blocks():
    [finding] = check_images(post(platforms=("instagram", "x")), KILN)
    assert (finding.rule, finding.severity, finding.platform) == (
        "image_missing",
        Severity.BLOCK,
        "instagram",
    )


# --- alt text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("alt_text", "title"), [("", ""), ("   \n\t", "Flat white")])
def test_missing_alt_text_blocks(alt_text, title):
    [finding] = check_images(post(ImageInput(jpeg(), alt_text=alt_text, title=title)), KILN)
    assert finding.rule == "image_alt_text"
    assert finding.severity == Severity.BLOCK
    assert finding.message.startswith("Image 1 has no alt text. Describe what it shows")


@pytest.mark.parametrize(
    ("alt_text", "title"),
    [
        ("Flat white", "Flat white"),
        ("flat-white", "Flat_White"),
        ("IMG_1234.JPG", ""),
        ("img 1234", "IMG_1234.jpg"),
        ("Photo", ""),
    ],
)
def test_meaningless_alt_text_warns(alt_text, title):
    [finding] = check_images(post(ImageInput(jpeg(), alt_text=alt_text, title=title)), KILN)
    assert finding.rule == "image_alt_text"
    assert finding.severity == Severity.WARN
    assert finding.image_index == 0
    assert "Describe what it shows" in finding.message


def test_alt_text_that_describes_the_image_passes():
    image = ImageInput(jpeg(), alt_text="A flat white with a leaf of latte art", title="Flat white")
    assert check_images(post(image), KILN) == []


# --- brand collection -------------------------------------------------------------------------


def test_an_image_outside_the_brands_collection_blocks():
    [finding] = check_images(post(described(jpeg(), in_brand_collection=False)), KILN)
    assert finding.rule == "image_outside_brand"
    assert finding.severity == Severity.BLOCK
    assert "Kiln Coffee's image collection" in finding.message


def test_an_image_in_the_brands_collection_passes():
    assert check_images(post(described(jpeg(), in_brand_collection=True)), KILN) == []


# --- palette ----------------------------------------------------------------------------------


def test_a_photo_dominated_by_a_palette_colour_is_on_palette():
    assert check_images(post(described(photo((1200, 1200), ORANGE))), KILN) == []


def test_a_bright_green_photo_against_an_orange_and_brown_palette_is_off_palette():
    [finding] = check_images(post(described(photo((1200, 1200), GREEN))), KILN)
    assert finding.rule == "image_off_palette"
    assert finding.severity == Severity.WARN
    assert finding.image_index == 0
    assert finding.platform is None
    assert "Off-palette" in finding.message
    assert "a green" in finding.message
    assert "(nearest: " in finding.message and "ΔE " in finding.message


def test_the_off_palette_message_names_the_nearest_palette_colour():
    # A red: Kiln orange is nearest (ΔE about 40) by a clear margin over Roast and Espresso, however
    # the photo's light and noise shift its main colour.
    red = photo((800, 800), (230, 40, 60))
    [finding] = check_images(post(described(red)), KILN)
    assert "nearest: Kiln orange #E0762F" in finding.message


def test_without_palette_names_the_message_gives_the_hex_alone():
    kit = KitRules(palette=("#e0762f",))
    [finding] = check_images(post(described(photo((800, 800), GREEN))), kit)
    assert "(nearest: #E0762F, ΔE" in finding.message


def test_a_green_photo_is_on_palette_for_a_brand_with_green():
    kit = KitRules(palette=("#E0762F", "#2FA84A"))
    assert check_images(post(described(photo((800, 800), GREEN))), kit) == []


@pytest.mark.parametrize(
    "colour", [(255, 255, 255), (0, 0, 0), (128, 128, 128), (20, 16, 12), (245, 240, 232)]
)
def test_neutral_images_are_never_off_palette(colour):
    assert check_images(post(described(jpeg((800, 800), colour))), KILN) == []


def test_a_kit_without_a_palette_skips_the_rule():
    assert check_images(post(described(photo((800, 800), GREEN))), NO_PALETTE) == []


def test_a_small_off_palette_detail_on_a_neutral_image_is_not_a_main_colour():
    image = Image.new("RGB", (1000, 1000), (250, 250, 250))
    ImageDraw.Draw(image).rectangle((0, 0, 1000, 100), fill=GREEN)  # 10% of the image
    assert check_images(post(described(encode(image))), KILN) == []


def test_one_main_colour_on_palette_is_enough():
    image = Image.new("RGB", (1000, 1000), GREEN)
    ImageDraw.Draw(image).rectangle((0, 0, 1000, 400), fill=ORANGE)
    assert check_images(post(described(encode(image))), KILN) == []


def test_transparent_pixels_do_not_count_towards_the_colours():
    logo = Image.new("RGBA", (800, 800), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((300, 300, 500, 500), fill=(*GREEN, 255))  # ~5% of the canvas
    findings = check_images(post(described(encode(logo, "PNG"))), KILN)
    assert rules(findings) == ["image_off_palette"]
    assert "about 100% of the image" in findings[0].message

    orange_logo = Image.new("RGBA", (800, 800), (0, 0, 0, 0))
    ImageDraw.Draw(orange_logo).ellipse((300, 300, 500, 500), fill=(*ORANGE, 255))
    assert check_images(post(described(encode(orange_logo, "PNG"))), KILN) == []


def test_entries_of_the_palette_that_are_not_colours_are_skipped():
    kit = KitRules(palette=("not a colour", "#E0762F"), palette_names=("Broken", "Kiln orange"))
    assert check_images(post(described(photo((800, 800), ORANGE))), kit) == []
    [finding] = check_images(post(described(photo((800, 800), GREEN))), kit)
    assert "Kiln orange #E0762F" in finding.message


def test_the_main_colours_are_read_from_the_image():
    facts = inspect_image(photo((800, 600), ORANGE))
    assert (facts.width, facts.height) == (800, 600)
    main_colour, share = facts.colours[0]
    assert share > 0.5
    assert (
        delta_e_2000(
            srgb_to_lab(tuple(int(main_colour[i : i + 2], 16) for i in (1, 3, 5))), srgb_to_lab(ORANGE)
        )
        < 15
    )


# --- colour science ---------------------------------------------------------------------------


def test_srgb_to_lab_matches_reference_values():
    assert srgb_to_lab((255, 255, 255)) == pytest.approx((100, 0, 0), abs=0.01)
    assert srgb_to_lab((0, 0, 0)) == pytest.approx((0, 0, 0), abs=0.01)
    assert srgb_to_lab((255, 0, 0)) == pytest.approx((53.24, 80.09, 67.20), abs=0.05)
    assert srgb_to_lab((0, 0, 255)) == pytest.approx((32.30, 79.19, -107.86), abs=0.05)


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # From Sharma, Wu and Dalal's CIEDE2000 test data.
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
        ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ],
)
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    assert delta_e_2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert delta_e_2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


# --- unreadable and hostile images ------------------------------------------------------------


def truncated_jpeg() -> bytes:
    data = photo((1200, 900), ORANGE)
    return data[: len(data) // 2]


HOSTILE = {
    "random bytes": lambda: random.Random(7).randbytes(5000),
    "truncated JPEG": truncated_jpeg,
    "PNG header with garbage": lambda: b"\x89PNG\r\n\x1a\n" + random.Random(3).randbytes(2000),
    "PNG with a corrupt IDAT": lambda: png_declaring(64, 64).replace(b"IDAT", b"IDAT" + b"\xff" * 8, 1),
    "empty file": lambda: b"",
    "decompression bomb (30000×30000 PNG)": lambda: png_declaring(30_000, 30_000),
    "over our own limit (7000×7000 PNG)": lambda: png_declaring(7000, 7000),
    "JPEG declaring 10000×8000": lambda: jpeg_declaring(10_000, 8000),
    "JPEG declaring zero height": lambda: jpeg_declaring(100, 0),
    "TIFF (not a post format)": lambda: encode(Image.new("RGB", (100, 100)), "TIFF"),
    "EPS": lambda: b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n" + b"0" * 100,
    "text": lambda: "Not an image at all ✨".encode(),
}


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_broken_or_hostile_image_gives_one_blocking_finding_and_no_exception(make):
    findings = check_images(post(described(make()), platforms=("instagram", "x")), KILN)
    assert rules(findings) == ["image_unreadable"]
    [finding] = findings
    assert finding.severity == Severity.BLOCK
    assert finding.image_index == 0
    assert finding.message.startswith("Image 1 could not be read: ")


def test_a_bomb_is_refused_with_its_size_in_the_message():
    [finding] = check_images(post(described(png_declaring(7000, 7000))), KILN)
    assert "7000×7000 pixels (49 megapixels)" in finding.message


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_jpeg_over_pillows_warning_limit_is_refused_by_ours():
    # 108 MP: Pillow only warns (its error starts at 179 MP); our 64 MP limit refuses it.
    [finding] = check_images(post(described(jpeg_declaring(12_000, 9000))), KILN)
    assert finding.rule == "image_unreadable"
    assert "108 megapixels" in finding.message


def test_a_missing_file_gives_one_blocking_finding():
    [finding] = check_images(post(described(None)), KILN)
    assert finding.rule == "image_unreadable"
    assert finding.severity == Severity.BLOCK
    assert "file is missing" in finding.message


def test_an_unreadable_image_still_gets_the_rules_that_need_no_pixels():
    image = ImageInput(data=b"garbage", alt_text="", in_brand_collection=False)
    assert rules(check_images(post(image), KILN)) == [
        "image_outside_brand",
        "image_alt_text",
        "image_unreadable",
    ]


def test_each_image_is_judged_on_its_own():
    findings = check_images(
        post(described(jpeg()), described(b"garbage"), described(jpeg((3000, 1000)))), KILN
    )
    assert [(finding.rule, finding.image_index) for finding in findings] == [
        ("image_unreadable", 1),
        ("image_aspect_ratio", 2),
    ]


@pytest.mark.parametrize(
    "make",
    [
        lambda: encode(Image.new("RGB", (800, 800), ORANGE), "PNG"),
        lambda: encode(Image.new("P", (800, 800), 3), "GIF"),
        lambda: encode(Image.new("RGBA", (800, 800), (*ORANGE, 200)), "WEBP"),
        lambda: encode(Image.new("CMYK", (800, 800), (10, 120, 200, 20)), "JPEG"),
        lambda: encode(Image.new("L", (800, 800), 128), "JPEG", progressive=True),
        lambda: encode(Image.new("I;16", (800, 800), 30000), "PNG"),
        lambda: encode(Image.new("LA", (800, 800), (128, 0)), "PNG"),
        lambda: encode(Image.new("1", (800, 800), 1), "PNG"),
        lambda: encode(
            Image.new("RGB", (800, 800), ORANGE),
            "GIF",
            save_all=True,
            append_images=[Image.new("RGB", (800, 800), GREEN)],
        ),
    ],
    ids=[
        "png",
        "gif",
        "webp-alpha",
        "cmyk-jpeg",
        "progressive-grey-jpeg",
        "16-bit-png",
        "transparent-la",
        "1-bit",
        "animated-gif",
    ],
)
def test_every_format_and_mode_a_post_can_carry_is_read(make):
    findings = check_images(post(described(make())), KILN)
    assert "image_unreadable" not in rules(findings)


def test_a_12_megapixel_photo_is_checked_from_a_reduced_decode():
    data = photo((4000, 3000), ORANGE)
    facts = inspect_image(data)
    assert (facts.width, facts.height) == (4000, 3000)  # from the header, not the thumbnail
    assert check_images(post(described(data)), KILN) == []


def test_a_second_look_at_the_same_image_gives_the_same_findings_from_the_cache():
    from brands.checks import images

    data = _jpeg_bytes_for_cache_test()
    content = PostContent(
        caption="", platforms=("instagram",), images=(ImageInput(data=data, alt_text="Beans"),)
    )
    kit = KitRules(palette=("#E0762F",))
    images._facts_cache.clear()

    first = check_images(content, kit)
    assert len(images._facts_cache) == 1
    second = check_images(content, kit)

    assert first == second


def test_an_unreadable_image_stays_unreadable_from_the_cache():
    content = PostContent(
        caption="", platforms=("x",), images=(ImageInput(data=b"not an image", alt_text="x y"),)
    )

    for _ in range(2):
        assert "image_unreadable" in {finding.rule for finding in check_images(content, KitRules())}


def _jpeg_bytes_for_cache_test() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1080, 1350), (224, 118, 47)).save(buffer, format="JPEG")
    return buffer.getvalue()
