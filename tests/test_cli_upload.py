import io
import json

import pytest
from django.core.management import CommandError, call_command

from jamsos.registry.models import Employer, Employment

pytestmark = pytest.mark.django_db
HEADER = "nik,full_name,birth_date,sex,start_on,wage_idr,division,end_on,exit_reason\n"


def test_upload_check_then_apply(demo, tmp_path):
    npp = Employer.objects.get(legal_name="PT Borneo Sawit Lestari").npp
    good = tmp_path / "list.csv"
    good.write_text(HEADER + "6471021508850001,Budi,1985-08-15,M,2026-01-05,4500000,,,\n")
    out = io.StringIO()
    call_command(
        "upload", str(good), "--employer", npp, "--period", "2026-01", "--as", "cabang", stdout=out
    )
    assert json.loads(out.getvalue())["status"] == "dry_run"
    assert not Employment.objects.exists()
    out = io.StringIO()
    call_command(
        "upload",
        str(good),
        "--employer",
        npp,
        "--period",
        "2026-01",
        "--as",
        "cabang",
        "--apply",
        stdout=out,
    )
    assert json.loads(out.getvalue())["status"] == "finalised"
    assert Employment.objects.count() == 1


def test_upload_with_errors_exits_2_and_writes_the_errors(demo, tmp_path):
    npp = Employer.objects.get(legal_name="PT Borneo Sawit Lestari").npp
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "6471023208850001,X,1985-08-15,M,2026-01-05,4500000,,,\n")
    errors = tmp_path / "errors.csv"
    with pytest.raises(SystemExit) as exc:
        call_command(
            "upload",
            str(bad),
            "--employer",
            npp,
            "--period",
            "2026-01",
            "--as",
            "cabang",
            "--apply",
            "--errors-out",
            str(errors),
            stdout=io.StringIO(),
        )
    assert exc.value.code == 2
    assert "day 32" in errors.read_text()
    assert not Employment.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--employer", "99999999", "--as", "cabang"], "--employer: no employer"),
        (["--employer", "NPP", "--as", "ghost"], "--as: no active user"),
        (["--employer", "NPP", "--as", "auditor"], "permission_denied|Only the employer"),
    ],
)
def test_upload_refuses_naming_the_problem(demo, tmp_path, args, message):
    npp = Employer.objects.get(legal_name="PT Borneo Sawit Lestari").npp
    f = tmp_path / "l.csv"
    f.write_text(HEADER)
    args = [a.replace("NPP", npp) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("upload", str(f), "--period", "2026-01", *args)
