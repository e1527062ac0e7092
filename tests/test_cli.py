"""The command line: evaluate, protocol check, schema; exit codes and no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ELIGIBLE, answers

from desktop_app.cli import main
from desktop_app.paths import default_protocol_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, doc: object, name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def test_evaluate_prints_the_documented_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "evaluate", write(tmp_path, ELIGIBLE))
    result = json.loads(out)
    assert code == 0
    assert result["determination"] == "eligible"
    assert {"id", "verdict", "reason"} <= set(result["criteria"][0])
    assert {"entry", "exclusions_present", "domains", "total", "classified"} <= set(
        result["acr_eular"]
    )
    assert result["acr_eular"]["total"] == 43
    assert result["warnings"] == []
    assert result["protocol"]["id"] == "NCT04660565"
    assert len(result["protocol"]["sha256"]) == 64


def test_evaluate_exit_zero_for_any_determination(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "evaluate", write(tmp_path, answers(hiv="positive")))[0] == 0
    assert run(capsys, "evaluate", write(tmp_path, {}))[0] == 0


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        (answers(consent_date="2023-03-20"), "consent_date"),
        (answers(serum_igg4_unit="mmol/L"), "serum_igg4_unit"),
        ([1, 2], "(document)"),
    ],
)
def test_evaluate_invalid_input_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], doc: object, field: str
) -> None:
    code, out, err = run(capsys, "evaluate", write(tmp_path, doc))
    assert code == 2
    assert out == ""
    assert field in err
    assert "Traceback" not in err


def test_evaluate_future_date_against_today(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = answers(screening_date="2030-01-01")
    code, _, err = run(capsys, "evaluate", write(tmp_path, doc), "--today", "2026-11-24")
    assert code == 2
    assert "screening_date: 2030-01-01 is in the future" in err


def test_evaluate_not_json_and_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert run(capsys, "evaluate", str(bad))[0] == 2
    code, _, err = run(capsys, "evaluate", str(tmp_path / "absent.json"))
    assert code == 2
    assert "cannot read" in err


def test_evaluate_reads_files_strictly_and_accepts_a_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue #17: the command line goes through the one strict parse, reading bytes.
    text = json.dumps(answers(), indent=2)
    notepad = tmp_path / "notepad.json"
    notepad.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, out, _ = run(capsys, "evaluate", str(notepad), "--today", "2023-03-10")
    assert code == 0
    assert json.loads(out)["determination"] == "eligible"
    for bad, words in [
        (text.replace('"sex": "male"', '"sex": "male", "sex": "female"'), "sex: appears more than once"),
        (text.replace('"consent_given": true', '"consent_given": "yes"'), "consent_given: must be yes or no"),
        (text.replace('"screening_date": "2023-03-08"', '"screening_date": 0'), "screening_date: must be a date"),
        (text.replace('"sex": "male"', '"sex": "Male"'), "did you mean 'male'?"),
        (text.replace('"acr_histopathology": "storiform_fibrosis"', '"acr_histopathology": "Storiform"'),
         "acr_histopathology: unknown code 'Storiform'; allowed: "),
    ]:  # fmt: skip
        path = tmp_path / "bad.json"
        path.write_text(bad, encoding="utf-8")
        code, out, err = run(capsys, "evaluate", str(path), "--today", "2023-03-10")
        assert code == 2
        assert words in err
        assert out == ""
        assert "Traceback" not in err


def test_protocol_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "protocol", "check", str(default_protocol_path()))
    assert code == 0
    assert "NCT04660565" in out
    code, _, err = run(capsys, "protocol", "check", write(tmp_path, {"format": "eligo-protocol/1"}))
    assert code == 1
    assert "$.metadata: is required" in err


@pytest.mark.parametrize("which", ["answers", "protocol"])
def test_schema(capsys: pytest.CaptureFixture[str], which: str) -> None:
    code, out, _ = run(capsys, "schema", which)
    assert code == 0
    assert json.loads(out)["type"] == "object"


def test_module_entry_point_runs_without_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_app", "evaluate", write(tmp_path, answers(sex="x"))],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "sex:" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("typed", "words"),
    [("2023-02-30", "'2023-02-30' is not a calendar date (no such day)"),
     ("2023-W09-3", "write the date as YYYY-MM-DD"), ("3/2/2023", "write the date as YYYY-MM-DD")],
)  # fmt: skip
def test_a_bad_reference_date_is_named_in_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, typed: str, words: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(capsys, "evaluate", write(tmp_path, answers()), "--today", typed)
    assert exit_info.value.code == 2
    assert words in capsys.readouterr().err


# -- --language zh-CN: the texts printed in Chinese; codes, parameters and exit codes unchanged
def test_evaluate_in_chinese_changes_only_the_texts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = write(tmp_path, answers(hiv="positive"))
    _, english, _ = run(capsys, "evaluate", doc, "--today", "2026-01-01")
    code, chinese, _ = run(capsys, "evaluate", doc, "--today", "2026-01-01", "--language", "zh-CN")
    assert code == 0
    en, zh = json.loads(english), json.loads(chinese)
    for left, right in zip(en["criteria"], zh["criteria"], strict=True):
        assert {k: v for k, v in left.items() if k != "text"} == {
            k: v for k, v in right.items() if k != "text"
        }
    assert {k: v for k, v in en.items() if k != "criteria"} == {
        k: v for k, v in zh.items() if k != "criteria"
    }
    e8 = next(c for c in zh["criteria"] if c["id"] == "E8")
    assert e8["text"] == "E8：HIV阳性"


def test_verify_and_db_check_in_chinese_say_every_line_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from english_words import english_runs
    from helpers import as_demo_admin, demo_site_bundle

    from desktop_app.store.demo import DEMO_ACCOUNTS, DEMO_SITE

    data, bundle = demo_site_bundle(tmp_path)
    capsys.readouterr()  # what making the DEMO bundle printed
    names = [DEMO_SITE["name"], *(name for _, name, _, _ in DEMO_ACCOUNTS), str(tmp_path)]
    code, out, _ = run(capsys, "verify", str(bundle), "--language", "zh-CN")
    assert code == 3  # valid, no trusted keys given: the signer was not checked
    lines = out.splitlines()
    assert lines[-1].startswith("有效，但未核验签名人：数据包与密钥 ")
    assert any(line.startswith("自述     导出人：Demo Coordinator (DEMO)") for line in lines)
    for line in lines:
        assert not english_runs(line, names), line
    import zipfile

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(tampered, "w") as copy:
        for info in source.infolist():
            member = source.read(info)
            if info.filename == "screening_log.csv":
                member = member.replace(b"DEMO-0001", b"DEMO-0002")
            copy.writestr(info, member)
    code, out, _ = run(capsys, "verify", str(tampered), "--language", "zh-CN")
    assert code != 0
    assert out.splitlines()[-1].startswith(("无效：", "无法读取："))
    code, out, err = run(capsys, "db", "check", "--data-dir", str(data), "--language", "zh-CN", *as_demo_admin())  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[-1] == "正常"
    for line in out.splitlines():
        assert not english_runs(line, names), line


def test_evaluate_takes_missing_data_codes_only_where_the_protocol_allows_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pending = answers(hbsag={"missing_data": "pending"})
    code, out, _ = run(capsys, "evaluate", write(tmp_path, pending), "--today", "2023-03-10")
    assert code == 0
    result = json.loads(out)
    assert result["determination"] == "incomplete"
    e8 = next(c for c in result["criteria"] if c["id"] == "E8")
    assert e8["params"]["awaited"] == {"hbsag": "pending"}
    refused = answers(hiv={"missing_data": "not_done"})
    code, out, err = run(capsys, "evaluate", write(tmp_path, refused), "--today", "2023-03-10")
    assert code == 2
    assert out == ""
    assert "hiv: the missing-data code 'not_done' is not allowed for this question" in err


@pytest.mark.parametrize(
    "argv",
    [[], ["--demo"], ["--data-dir", "d"], ["--data-dir=d", "--language", "zh-CN"], ["--de"],
     ["--dem", "--data", "x"], ["--lang=en"], ["--data-dir", "-1"],
     # not a plain start of the application: the full parser reads these
     ["--d", "x"], ["--version"], ["--v"], ["-h"], ["--he"], ["db", "check"], ["--self-test"],
     ["--se"], ["--data-dir", "d", "verify", "x"], ["--language", "fr"], ["--data-dir"], ["--"],
     ["--demo", "extra"], ["-d"], ["--demo=1"]],
)  # fmt: skip
def test_the_application_s_own_parser_reads_a_start_as_the_full_parser_does(
    argv: list[str],
) -> None:
    """The start reads its options without building every command's parser; whatever that
    parser would read otherwise (a command, help, the version, a mistake) is left to it."""
    from desktop_app.cli import _parser, application_arguments

    fast = application_arguments(argv)
    try:
        full = vars(_parser().parse_args(argv))
    except SystemExit:  # help, the version, or a mistake the full parser reports
        full = None
    if full is None or full.pop("command") is not None or full["self_test"]:
        assert fast is None
    else:
        assert fast is not None
        assert vars(fast) == full


def test_a_start_without_a_command_opens_the_application_with_its_options(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from desktop_app import app

    started: list[tuple[Path | None, bool]] = []

    def run_gui(*, data_dir: Path | None, demo: bool) -> int:
        started.append((data_dir, demo))
        return 0

    monkeypatch.setattr(app, "run_gui", run_gui)
    assert main(["--data-dir", str(tmp_path), "--demo"]) == 0
    assert main([]) == 0
    assert started == [(tmp_path, True), (None, False)]
