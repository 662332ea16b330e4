"""`midnight sources`: a scenario's fact sheet — every source with its doubts, and the starting
figures and content that cite it, numbered as the game's log cites them."""

from __future__ import annotations

import re

from engine import load_game
from engine.rules.citations import source_number
from midnight.cli import main

from helpers import RULES


def section(sheet: str, number: int) -> str:
    """The text under the heading of source [number], up to the next heading."""
    start = sheet.index(f"## [{number}] ")
    end = sheet.find("\n## ", start + 1)
    return sheet[start:end if end != -1 else None]


def test_every_source_is_listed_as_the_log_numbers_it_with_the_figures_that_cite_it(capsys):
    assert main(["sources", "trilateral-2026"]) == 0
    sheet = capsys.readouterr().out
    scenario = load_game("trilateral-2026").scenario
    headings = re.findall(r"^## \[(\d+)\] ", sheet, flags=re.MULTILINE)
    assert [int(n) for n in headings] == list(range(1, len(scenario.sources) + 1))
    # China's notebook: China's own figures, not the US's, and its doubt where the reader reads them
    china = section(sheet, source_number(scenario, "fas-china-2025"))
    assert "Warheads assigned to ICBMs (China) 300" in china and "Deployed strategic warheads (China) 24" in china
    assert "(United States)" not in china and "UNVERIFIED" in china
    # the other nuclear-armed states, each under its own notebook
    assert "Indian warheads 180" in section(sheet, source_number(scenario, "fas-india-2024"))
    assert "British warheads 225" in section(sheet, source_number(scenario, "fas-uk-2024"))
    # content that cites a source without a figure: a move, an agreement, an event
    new_start = section(sheet, source_number(scenario, "new-start"))
    assert "Cap deployed strategic warheads" in new_start and "New START expires" in new_start
    assert "trilateral-2026 version 1." in sheet


def test_the_sheet_in_chinese_uses_the_scenarios_chinese(capsys):
    assert main(["sources", "trilateral-2026", "--lang", "zh"]) == 0
    sheet = capsys.readouterr().out
    assert sheet.startswith("# 资料来源与数据：") and "起始数据" in sheet and "印度核弹头 180" in sheet
    assert "Starting figures" not in sheet and "Cited in play by" not in sheet


def test_a_scenario_without_sources_says_so(tmp_path, capsys):
    bare = tmp_path / "bare.yaml"
    text = RULES.read_text(encoding="utf-8")
    text = text.replace('sources:\n  - {id: made-up, title: Invented for tests, publisher: Midnight, date: "2026"}\n', "")
    bare.write_text(text.replace(", source: made-up", ""), encoding="utf-8")
    assert main(["sources", str(bare)]) == 0
    assert "The scenario cites no sources." in capsys.readouterr().out


def test_the_sheet_carries_no_figure_the_room_may_not_see(tmp_path, capsys):
    # the fixture's owner-only budget and facilitator-only track, both citing its source
    cited = tmp_path / "cited.yaml"
    text = RULES.read_text(encoding="utf-8")
    text = text.replace("initial: 4, visibility: owner}", "initial: 4, visibility: owner, source: made-up}")
    text = text.replace("initial: 3, visibility: facilitator}", "initial: 3, visibility: facilitator, source: made-up}")
    assert text.count("source: made-up") == 3
    cited.write_text(text, encoding="utf-8")
    assert main(["sources", str(cited)]) == 0
    sheet = capsys.readouterr().out
    assert "Warheads (Red) 1000" in sheet  # the public figure citing it
    assert "Budget" not in sheet and "Facilitator only" not in sheet
    # trilateral-2026's budgets are their owners' secret
    assert main(["sources", "trilateral-2026"]) == 0
    sheet = capsys.readouterr().out
    assert "Budget (" not in sheet and "Quarterly budget" not in sheet


def test_out_writes_the_sheet_to_a_file(tmp_path, capsys):
    out = tmp_path / "handout.md"
    assert main(["sources", "--out", str(out)]) == 0
    assert f"fact sheet written to {out}" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").startswith("# Sources and figures: ")
    assert [p.name for p in tmp_path.iterdir()] == ["handout.md"]  # no temporary file left behind


def test_mistakes_get_one_line_and_exit_1(tmp_path, capsys):
    assert main(["sources", "trilateral-2026", "--lang", "fr"]) == 1
    err = capsys.readouterr().err
    assert "--lang" in err and "fr" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["sources", "no-such-scenario"]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert main(["sources", "--out", str(tmp_path / "missing" / "x.md")]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and len(err.strip().splitlines()) == 1
