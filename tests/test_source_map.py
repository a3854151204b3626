"""The fast item-by-item locator agrees with composing the whole file."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cxportfolio.load.source_map import SourceMap, _walk
from cxportfolio.load.yaml_reader import compose, read_yaml

_values = st.sampled_from(["x", "'quoted: yes'", "[a, b]", "{k: 1, j: [2, 3]}", "|\n      block\n      text", "12"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = []
    for key in draw(st.lists(st.sampled_from(["units", "kpis", "initiatives"]), min_size=1, max_size=3, unique=True)):
        lines.append(f"{key}:")
        indent = draw(st.sampled_from(["", "  "]))
        for n in range(draw(st.integers(1, 4))):
            if draw(st.booleans()):
                lines.append(f"{indent}# comment {n}")
            lines.append(f"{indent}- id: e{n}")
            for field in draw(st.lists(st.sampled_from(["title", "effects", "note"]), max_size=3, unique=True)):
                lines.append(f"{indent}  {field}: {draw(_values)}")
        if draw(st.booleans()):
            lines.append("")
    return "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None)
@given(documents(), st.data())
def test_item_locator_matches_whole_file_compose(text: str, data: st.DataObject) -> None:
    parsed = read_yaml(text.encode())
    assert parsed.usable, text
    fast = SourceMap(text, {k: len(v) for k, v in parsed.data.items()})
    whole = compose(text, positions_only=True)
    for key, items in parsed.data.items():
        for index, item in enumerate(items):
            for field in [None, *item]:
                pointer = (key, index) + ((field,) if field else ())
                for at_key in (False, True):
                    assert fast.locate(pointer, at_key) == _walk(whole, pointer, at_key, 0), (text, pointer)
