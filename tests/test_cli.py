"""The ``fastmle`` console command: the README's main job must run."""
import json

import pytest

from fastmle._cli import main


def test_bench_runs_and_reports_both_libraries(tmp_path, capsys):
    out_json = tmp_path / "bench.json"
    code = main(["bench", "--sizes", "100", "--dists", "gamma,norm", "--repeat", "3", "--budget", "0.2",
                 "--json", str(out_json)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    for label in ("norm", "gamma floc=0", "gamma 3-param", "np.log pass"):
        assert label in captured.out
    assert "scipy (ms)" in captured.out and "fastmle (ms)" in captured.out
    results = json.loads(out_json.read_text())["results"]
    fits = [r for r in results if r["case"] != "np.log pass"]
    assert {r["case"] for r in fits} == {"norm", "gamma floc=0", "gamma 3-param"}
    for r in fits:
        assert r["fastmle_status"] == r["scipy_status"] == "ok"
        assert r["fastmle_median_s"] > 0 and r["scipy_median_s"] > 0
        # graded by scipy's own nnlf: never a worse optimum than scipy's
        assert r["dnll"] <= 1e-9 * abs(r["scipy_nnlf"])


def test_config_prints_the_build(capsys):
    assert main(["config"]) == 0
    assert "OpenMP" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["bench", "--sizes", "ten"], ["bench", "--dists", "nosuchdist"], ["frobnicate"]])
def test_bad_options_are_one_line_and_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        code = main(argv)
        raise SystemExit(code)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err and "\n" not in err
