"""`ivr studio sheet`: the numbered page a translator reads from, and the numbering the phone shares."""

import html.parser

import pytest

from ivr import cli
from ivr.audio.library import needed
from ivr.menu import loads
from ivr.studio import sheet
from tests.conftest import LINE, LINE_MENU


class Sections(html.parser.HTMLParser):
    """The page's numbered sections as (number, text, meaning, prompt id), and the sheet code shown."""

    def __init__(self) -> None:
        super().__init__()
        self.found, self.code, self._class, self._attrs = [], "", None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._class = attrs.get("class")
        if self._class == "number":
            self.found.append({})
        if self._class == "text":
            self._attrs = attrs

    def handle_data(self, data):
        if self._class == "code":
            self.code = data
        elif self._class in ("number", "text", "meaning", "id") and self.found:
            self.found[-1][self._class] = self.found[-1].get(self._class, "") + data

    def handle_endtag(self, tag):
        self._class = None


def ivr_studio_sheet(*argv: str) -> int:
    return cli.main(["studio", "sheet", *argv])


def read(page: str) -> Sections:
    parsed = Sections()
    parsed.feed(page)
    return parsed


def test_every_prompt_the_line_plays_is_numbered_from_one_in_the_order_a_call_reaches_it():
    fa = LINE_MENU.language("fa")
    numbered = sheet.numbered(LINE_MENU, fa)
    assert [e.prompt.id for e in numbered.entries] == list(needed(LINE_MENU, fa))
    assert [e.number for e in numbered.entries] == list(range(1, len(numbered.entries) + 1))


def test_each_text_has_its_english_meaning_and_the_language_option_means_this_language():
    numbered = sheet.numbered(LINE_MENU, LINE_MENU.language("fa"))
    english = needed(LINE_MENU, LINE_MENU.language("en"))
    by_id = {e.prompt.id: e for e in numbered.entries}
    assert by_id["phrase.goodbye"].meaning == english["phrase.goodbye"].text
    assert by_id["language.name"].meaning == "Dari, press 7."  # not English's own "In English, press 3"


@pytest.mark.parametrize("keyed, number", [("1", 1), ("07", 7), (" 3 ", 3)])
def test_a_keyed_in_number_names_its_entry(keyed, number):
    assert sheet.numbered(LINE_MENU, LINE_MENU.language("fa")).entry(keyed).number == number


@pytest.mark.parametrize("keyed", ["0", "", "abc", "1*", "99999", "٣", "-1"])
def test_a_number_the_sheet_does_not_have_names_nothing(keyed):
    numbered = sheet.numbered(LINE_MENU, LINE_MENU.language("fa"))
    assert numbered.entry(keyed) is None
    assert numbered.entry(len(numbered.entries) + 1) is None


def test_the_sheet_code_changes_when_a_text_changes_and_not_otherwise():
    text = LINE.read_text(encoding="utf-8")
    fa = LINE_MENU.language("fa")
    same = loads(text, LINE)
    assert sheet.numbered(same, fa).code == sheet.numbered(LINE_MENU, fa).code
    changed = loads(text.replace("fa: دفتر کمک می کند.", "fa: دفتر کمک می کند، تست."), LINE)
    assert sheet.numbered(changed, fa).code != sheet.numbered(LINE_MENU, fa).code


def test_the_page_shows_each_number_with_its_text_large_its_meaning_and_the_code(tmp_path):
    out = tmp_path / "fa.html"
    assert ivr_studio_sheet("--lang", "fa", "--out", str(out)) == 0
    page = read(out.read_text(encoding="utf-8"))
    numbered = sheet.numbered(LINE_MENU, LINE_MENU.language("fa"))
    assert page.code == numbered.code
    assert [(s["number"], s["text"], s.get("meaning", ""), s["id"]) for s in page.found] == [
        (str(e.number), e.prompt.text, e.meaning, e.prompt.id) for e in numbered.entries]
    assert 'dir="rtl"' in out.read_text(encoding="utf-8")


def test_text_from_the_menu_is_escaped_never_markup():
    text = LINE.read_text(encoding="utf-8")
    fa = LINE_MENU.language("fa")
    hostile = loads(text.replace("fa: دفتر کمک می کند.", "fa: <script>alert(1)</script> & co"), LINE)
    page = sheet.page(sheet.numbered(hostile, fa))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_the_page_goes_to_stdout_without_out(capsys):
    assert ivr_studio_sheet("--lang", "fa") == 0
    assert len(read(capsys.readouterr().out).found) == len(needed(LINE_MENU, LINE_MENU.language("fa")))


def test_a_language_the_menu_does_not_have_is_exit_1_naming_the_codes(capsys):
    assert ivr_studio_sheet("--lang", "xx") == 1
    assert "the menu has no language 'xx': choose one of fi, sv, en" in capsys.readouterr().err
