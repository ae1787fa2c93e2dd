"""Labels in any script: each character is drawn with the first font that has it (CJK, emoji,
Latin, right-to-left), a character no font has becomes a box with its code point, and
text fitting (wrap and shrink, never cut) works on all of it.

The fonts come from Debian's packages that `make fonts` installs (`make test` depends on it).
"""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from xyz_studio.render.cmap import FontFileError, read_coverage
from xyz_studio.render.fonts import LabelFont, font_chain, load_font, sized
from xyz_studio.render.text_fit import draw_lines, fit_text, text_width, wrap_to_width

LABEL = "CFG 実験 🙂 漢字"
NOWHERE = "\U0010FFFD"  # a private-use code point no font has a glyph for


def ink(font, text: str, size=(400, 90), face=None) -> np.ndarray:
    """The pixels of `text` drawn black on white, by a LabelFont or, with `face`, a single Pillow font."""
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    if face is None:
        font.draw(draw, (4, 8), text, 0)
    else:
        draw.text((4, 8 + font.getmetrics()[0]), text, font=face, fill=0, anchor="ls")
    return np.asarray(img)


def face_named(font: LabelFont, ch: str):
    face = font.face_of(ch)
    assert face is not None, f"no installed font has {ch!r}; run `make fonts` (Debian fonts-droid-fallback, " \
                             f"fonts-symbola) — the chain is {[f.name for f in font.chain]}"
    return face


def test_a_mixed_label_is_split_into_runs_by_the_font_that_has_each_character():
    font = load_font(32)
    runs = font.runs(LABEL)
    assert "".join(r.text for r in runs) == LABEL
    primary = font.chain[0]
    for ch in "実験漢字🙂":
        face = face_named(font, ch)
        assert face is not primary and ord(ch) in face.coverage and ord(ch) not in primary.coverage
    for ch in "CFG":
        assert font.face_of(ch) is primary
    assert [r.face for r in runs if "🙂" in r.text] != [r.face for r in runs if "実" in r.text]
    assert all(r.face is not None for r in runs)  # no code-point box in this label


@pytest.mark.parametrize("ch", ["実", "漢", "🙂"])
def test_cjk_and_emoji_draw_their_glyphs_not_a_box(ch):
    font = load_font(48)
    drawn = ink(font, ch)
    assert (drawn < 128).sum() > 30  # real ink
    face = sized(face_named(font, ch), 48)
    notdef = ink(font, "\uFFFF", face=face)  # the same font's .notdef box (U+FFFF has no glyph anywhere)
    assert not np.array_equal(drawn, notdef)
    tofu = ink(font, ch, face=font.primary)  # what the DejaVu-only search drew before: DejaVu's box
    assert not np.array_equal(drawn, tofu)
    assert not np.array_equal(drawn, ink(font, NOWHERE))  # and not the code-point box either


def test_latin_is_drawn_exactly_as_by_the_primary_font():
    font = load_font(30)
    assert np.array_equal(ink(font, "Sampler: euler_a"), ink(font, "Sampler: euler_a", face=font.primary))
    assert font.getlength("Sampler: euler_a") == font.primary.getlength("Sampler: euler_a")


def test_a_character_no_font_has_is_a_box_that_tells_its_code_point():
    font = load_font(40)
    assert font.face_of(NOWHERE) is None and font.runs(NOWHERE)[0].face is None
    box = ink(font, NOWHERE)
    other = ink(font, "\U0010FFFC")
    assert (box < 128).sum() > 40 and not np.array_equal(box, other)  # the hex digits differ
    assert font.getlength(NOWHERE) > font.size * 0.5
    # an emoji presentation selector or a joiner no font of its run has is left out, never boxed
    assert all(r.face is not None for r in font.runs("🙂\ufe0f x\u200d🙂"))


def test_right_to_left_labels_lay_their_font_runs_out_from_the_right():
    font = load_font(40)
    hebrew, emoji = "שלום ", "🙂"
    both = ink(font, hebrew + emoji, size=(500, 90))
    w = round(font.run_width(font.runs(emoji)[0]))
    alone = ink(font, emoji, size=(500, 90))
    # the emoji, logically last, is drawn first (leftmost), exactly as on its own
    assert np.array_equal(both[:, :4 + w - 1], alone[:, :4 + w - 1])
    assert (both[:, 4 + w:] < 128).sum() > 100  # and the Hebrew to its right


def test_fitting_wraps_and_shrinks_cjk_without_losing_a_character():
    text = "実験漢字" * 12 + " 🙂"
    font, lines = fit_text(text, 160, 60, 32, 12)
    assert font.size < 32 and len(lines) > 1
    assert all(text_width(font, ln) <= 160 for ln in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    wrapped = wrap_to_width("a\u0301" * 40, load_font(16), 60)  # never starts a line with a lone accent
    assert all(not ln.startswith("\u0301") for ln in wrapped)
    img = Image.new("L", (170, 400), 255)
    draw_lines(ImageDraw.Draw(img), lines, font, 5, 5, 160, 0)
    assert (np.asarray(img) < 128).sum() > 200


def test_fonts_and_their_sizes_are_read_once():
    assert load_font(21) is load_font(21) and font_chain() is font_chain()
    font = load_font(21)
    assert font.runs(LABEL) is font.runs(LABEL)
    assert sized(font.chain[1], 21) is sized(font.chain[1], 21)


def test_the_character_map_reader():
    built_in = read_coverage(io.BytesIO(ImageFont.load_default(12).font_bytes))
    assert ord("A") in built_in and ord("漢") not in built_in
    dejavu = font_chain()[0]
    assert ord("ж") in dejavu.coverage and ord("🙂") not in dejavu.coverage
    for bad in (b"", b"not a font at all", b"\x00\x01\x00\x00" + b"\x00" * 8):
        with pytest.raises(FontFileError):
            read_coverage(io.BytesIO(bad))
