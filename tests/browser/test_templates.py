"""The pack's example workflows in ComfyUI's template browser, as a user opens it (Templates,
then Extensions -> xyz-plot-studio): a readable title on one line, the description 1.32
shows under it, and a picture that the card shows whole, clear of 1.58's corner badge."""
from __future__ import annotations

from harness.example_workflows import WORKFLOWS
from harness.make_thumbnails import BADGE_BAND

PACK = "xyz-plot-studio"  # the folder name the test host links the pack under (harness/host.py)
TITLES = ["Colour x blur (no model)", "Tiny SD1.5 sampler x CFG x steps", "SD1.5 sampler and scheduler x CFG",
          "SD1.5 every checkpoint x subject", "Tiny SD1.5 search for the sharpest"]

# What a card shows, measured in the page: its title (and whether one line holds it), the
# description under it (1.32), and where the picture lies against its square frame and the badge.
CARD = """(card) => {
    const title = card.querySelector('h3');
    const description = title.parentElement.querySelector('p');
    const img = card.querySelector('img');
    const frame = img.closest('.aspect-square').getBoundingClientRect();
    const box = img.getBoundingClientRect();
    const badge = [...card.querySelectorAll('span')].find(s => s.textContent.trim() === 'Node graph');
    return {
        title: title.innerText.trim(),
        clamped: title.scrollHeight > title.clientHeight + 1 || title.scrollWidth > title.clientWidth + 1,
        description: description ? description.innerText.trim() : null,
        loaded: img.complete && img.naturalWidth > 0,
        natural: [img.naturalWidth, img.naturalHeight],
        img: [box.left, box.top, box.right, box.bottom],
        frame: [frame.left, frame.top, frame.right, frame.bottom],
        badgeBottom: badge ? badge.parentElement.getBoundingClientRect().bottom : null,
    };
}"""


def open_templates(page) -> None:
    page.evaluate("() => window.app.extensionManager.command.execute('Comfy.BrowseTemplates')")
    page.wait_for_selector("[data-testid^='template-workflow-']", timeout=20000)
    page.get_by_text(PACK, exact=True).first.click()  # the pack's entry under Extensions


def test_the_template_browser_shows_readable_titles_and_whole_pictures(page, screenshots):
    open_templates(page)
    stems = [name.removesuffix(".json") for name in WORKFLOWS]
    assert sorted(stems) == sorted(TITLES)
    cards = {}
    for stem in stems:
        card = page.locator(f"[data-testid='template-workflow-{stem}']")
        card.scroll_into_view_if_needed()
        page.wait_for_function("(c) => { const i = c.querySelector('img'); "
                               "return i && i.complete && i.naturalWidth > 0; }",
                               arg=card.element_handle(), timeout=10000)
        cards[stem] = card.evaluate(CARD)
    page.screenshot(path=str(screenshots / f"templates_{page.frontend}.png"))

    for stem, seen in cards.items():
        assert seen["title"] == stem and "_" not in seen["title"], seen  # the title a user reads
        assert not seen["clamped"], f"the title {stem!r} does not fit its one line: {seen}"
        if seen["description"] is not None:  # 1.32 shows a description: the name, read as words
            assert seen["description"] == stem, seen
        assert seen["natural"] == [320, 320], seen
        left, top, right, bottom = seen["img"]
        f_left, f_top, f_right, f_bottom = seen["frame"]
        assert f_left - 1 <= left and right <= f_right + 1 and f_top - 1 <= top and bottom <= f_bottom + 1, \
            f"the picture of {stem!r} is cut by its frame: {seen}"
        if seen["badgeBottom"] is not None:  # 1.58: the badge lies on the picture's empty top band only
            assert seen["badgeBottom"] <= top + BADGE_BAND * (bottom - top) + 1, seen
    if page.frontend.startswith("1.32"):
        assert all(seen["description"] is not None for seen in cards.values())
    else:
        assert all(seen["badgeBottom"] is not None for seen in cards.values())
