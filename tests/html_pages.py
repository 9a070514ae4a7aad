"""Reading the HTML pages the renderers write, for test_render_html.py and
test_render_overview.py: a strict parser, and what every page must and must not contain."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from spindetect.render_html import SCRIPT

VOID_ELEMENTS = {"meta", "br", "img", "input", "link", "hr", "area", "base", "col", "embed",
                 "source", "track", "wbr"}
# Every element the renderer writes; anything else in a page came from the input.
RENDERER_ELEMENTS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2",
                     "b", "div", "span", "nav", "a", "main", "section", "script", "del", "ins",
                     "i", "table", "tr", "td", "th", "p", "svg", "rect", "line", "text"}

PAYLOADS = [
    "<script>document.title='pwned'</script>",
    "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)' x='",
    "</textarea><svg onload=alert(1)>",
    "</style><style>body{display:none}</style>",
    "<!-- unclosed comment",
    "]]><![CDATA[ x",
    "&lt;already escaped&gt; &amp; &#60;script&#62;",
    "</span></a></div></section></main><a href=\"javascript:alert(1)\">x</a>",
]


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    def find(self, **attrs: str) -> Element:
        (found,) = [element for element in self.walk()
                    if all(element.attrs.get(key) == value for key, value in attrs.items())]
        return found

    def text(self, skip: tuple[str, ...] = ()) -> str:
        """The text content, leaving out elements with any class in ``skip``."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not child.classes() & set(skip):
                parts.append(child.text(skip))
        return "".join(parts)


class TreeBuilder(HTMLParser):
    """Parse a page into Elements, failing on any end tag that does not close the open one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)

    def handle_comment(self, data):
        raise AssertionError(f"comment in page: {data!r}")


def parse(page: str) -> Element:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def column_text(document: Element, side: str) -> str:
    """What a reader sees in a column: the text without hover cards and passage numbers."""
    section = document.find(id=side)
    (text,) = [element for element in section.walk() if "text" in element.classes()]
    return text.text(skip=("tip", "pnum"))


def assert_safe_structure(document: Element, *, script: bool = True) -> None:
    """Only the renderer's elements, its one script (if any), no handlers, no fetches."""
    elements = list(document.walk())[1:]
    assert {element.tag for element in elements} <= RENDERER_ELEMENTS
    scripts = [element for element in elements if element.tag == "script"]
    assert [script.children for script in scripts] == ([[SCRIPT]] if script else [])
    for element in elements:
        assert not any(name.startswith("on") for name in element.attrs), element
        assert "src" not in element.attrs
        if script:
            assert (element.attrs.get("href") or "#").startswith("#"), element
        else:
            assert not re.match(r"[a-z]+:", element.attrs.get("href") or ""), element
