"""``fastmle fit FILE``: the printed numbers are the Python API's."""
import json
import sys
import warnings

import numpy as np
import pytest

import fastmle
from fastmle._cli import main
from fastmle._cli_fit import fit_to_dict


@pytest.fixture(scope="module")
def sample():
    return np.random.default_rng(21).gamma(2.5, 1.2, 1500)


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def api_fit(name, x, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastmle.ConvergenceWarning)
        return fastmle.fit(name, x, **kw)


def api_select(x, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastmle.ConvergenceWarning)
        return fastmle.select(x, *args, **kw)


def write_csv(path, header, columns, fmt=repr, sep=","):
    with open(path, "w") as fh:
        if header:
            fh.write(sep.join(header) + "\n")
        for row in zip(*columns):
            fh.write(sep.join(v if isinstance(v, str) else fmt(float(v)) for v in row) + "\n")
    return path


# -- files and columns ------------------------------------------------------------------
def test_csv_by_column_name_prints_the_api_summary(tmp_path, sample, capsys):
    ids = [f"u{i}" for i in range(sample.size)]
    path = write_csv(tmp_path / "d.csv", ["id", "size", "weight"], [ids, sample, 2 * sample + 1])
    code, out, err = run(["fit", path, "--column", "size", "--dist", "gamma"], capsys)
    assert code == 0, err
    assert out == api_fit("gamma", sample).summary() + "\n"
    code, out, _ = run(["fit", path, "--column", "2", "--dist", "gamma", "--floc", "0"], capsys)
    assert code == 0 and out == api_fit("gamma", 2 * sample + 1, floc=0.0).summary() + "\n"


def test_json_holds_the_api_numbers(tmp_path, sample, capsys):
    path = write_csv(tmp_path / "d.csv", ["x"], [sample])
    code, out, _ = run(["fit", path, "--dist", "weibull_min", "--json"], capsys)
    assert code == 0
    got = json.loads(out)
    ref = api_fit("weibull_min", sample)
    assert got["params"] == dict(ref.params._asdict())
    assert got["bse"] == dict(zip(ref.param_names, ref.bse.tolist()))
    assert got["conf_int"] == {n: list(ci) for n, ci in zip(ref.param_names, ref.conf_int().tolist())}
    for key in ("llf", "aic", "bic", "nobs", "converged", "message"):
        assert got[key] == getattr(ref, key)
    assert got["dist"] == "weibull_min" and got["fixed"] == {}
    assert got == json.loads(json.dumps(fit_to_dict(ref)))


def test_fixed_parameters_and_nan_standard_errors_in_json(tmp_path, capsys):
    counts = np.random.default_rng(3).binomial(12, 0.3, 800)
    path = tmp_path / "counts.txt"
    np.savetxt(path, counts, fmt="%d")
    code, out, _ = run(["fit", path, "--dist", "binom", "--f0", "12", "--json"], capsys)
    assert code == 0
    got = json.loads(out)
    ref = api_fit("binom", counts.astype(float), f0=12)
    assert got["params"] == {"n": 12.0, "p": ref.params.p, "loc": 0.0}
    assert got["fixed"] == {"n": 12.0, "loc": 0.0}
    assert got["bse"]["n"] == 0.0 and got["bse"]["p"] == ref.bse[1]
    # an estimate on the boundary has no standard error: null, not NaN (invalid JSON)
    x = np.random.default_rng(4).exponential(2.0, 300) + 1.0
    np.save(tmp_path / "e.npy", x)
    code, out, _ = run(["fit", tmp_path / "e.npy", "--dist", "expon", "--json"], capsys)
    got = json.loads(out)
    assert np.isnan(api_fit("expon", x).bse[0]) and got["bse"]["loc"] is None


def test_auto_prints_the_select_table(tmp_path, sample, capsys):
    path = write_csv(tmp_path / "d.csv", ["x"], [sample])
    code, out, err = run(["fit", path, "--candidates", "gamma,lognorm,weibull_min,norm"], capsys)
    assert code == 0, err
    assert out == api_select(sample, ["gamma", "lognorm", "weibull_min", "norm"]).summary() + "\n"
    code, out, _ = run(["fit", path, "--dist", "auto", "--criterion", "bic", "--json",
                        "--candidates", "gamma,lognorm"], capsys)
    got = json.loads(out)
    ref = api_select(sample, ["gamma", "lognorm"], "bic").to_dict()
    drop = lambda d: {**d, "rows": [{k: v for k, v in r.items() if k != "seconds"} for r in d["rows"]]}  # noqa: E731
    assert drop(got) == drop(ref)


def test_auto_with_floc_and_counts(tmp_path, capsys):
    counts = np.random.default_rng(5).poisson(3.0, 1000)
    path = write_csv(tmp_path / "c.csv", ["k"], [counts], fmt=lambda v: str(int(v)))
    code, out, _ = run(["fit", path, "--json"], capsys)
    got = json.loads(out)
    assert got["discrete"] and {r["name"] for r in got["rows"]} == {"geom", "nbinom", "poisson", "zipoisson"}
    x = np.random.default_rng(6).gamma(2.0, 1.0, 600)
    path = write_csv(tmp_path / "g.csv", None, [x])
    code, out, _ = run(["fit", path, "--candidates", "gamma,weibull_min", "--floc", "0"], capsys)
    assert code == 0 and out == api_select(x, ["gamma", "weibull_min"], floc=0.0).summary() + "\n"


def test_default_column_is_the_only_numeric_one(tmp_path, sample, capsys):
    names = [f"s{i % 7}" for i in range(sample.size)]
    path = write_csv(tmp_path / "d.csv", ["site", "value"], [names, sample])
    code, out, _ = run(["fit", path, "--dist", "lognorm"], capsys)
    assert code == 0 and out == api_fit("lognorm", sample).summary() + "\n"
    two = write_csv(tmp_path / "two.csv", ["a", "b"], [sample, sample])
    code, out, err = run(["fit", two, "--dist", "lognorm"], capsys)
    assert code == 1 and out == ""
    assert err.strip() == f"fastmle fit: error: {two} has 2 numeric columns ('a', 'b'): choose one with --column"


def test_tsv_quotes_comments_and_no_header(tmp_path, sample, capsys):
    path = tmp_path / "d.tsv"
    with open(path, "w") as fh:
        fh.write("# measured 2024\n")
        fh.write('"label"\t"value"\n')
        for v in sample:
            fh.write(f'"a"\t"{float(v)!r}"\n')
    code, out, _ = run(["fit", path, "--column", "value", "--dist", "gamma"], capsys)
    assert code == 0 and out == api_fit("gamma", sample).summary() + "\n"
    bare = write_csv(tmp_path / "bare.csv", None, [sample, sample + 1])
    code, out, _ = run(["fit", bare, "--column", "1", "--dist", "gamma"], capsys)
    assert code == 0 and out == api_fit("gamma", sample + 1).summary() + "\n"


def test_whitespace_text(tmp_path, sample, capsys):
    one = tmp_path / "one.txt"
    np.savetxt(one, sample, fmt="%.17g")
    code, out, _ = run(["fit", one, "--dist", "gamma"], capsys)
    assert code == 0 and out == api_fit("gamma", sample).summary() + "\n"
    # numbers wrapped over lines of different lengths: one sample
    ragged = tmp_path / "ragged.dat"
    with open(ragged, "w") as fh:
        i = 0
        while i < sample.size:
            k = 1 + i % 5
            fh.write("  ".join(f"{v:.17g}" for v in sample[i:i + k]) + "\n")
            i += k
    code, out, _ = run(["fit", ragged, "--dist", "gamma"], capsys)
    assert code == 0 and out == api_fit("gamma", sample).summary() + "\n"
    table = tmp_path / "table.txt"
    np.savetxt(table, np.column_stack([sample, 3 * sample]), fmt="%.17g")
    code, out, err = run(["fit", table, "--column", "1", "--dist", "gamma"], capsys)
    assert code == 0 and out == api_fit("gamma", 3 * sample).summary() + "\n"
    code, _, err = run(["fit", table, "--dist", "gamma"], capsys)
    assert code == 1 and "2 numeric columns" in err and "--column" in err


def test_npy_one_and_two_dimensional_and_structured(tmp_path, sample, capsys):
    np.save(tmp_path / "a.npy", sample.astype(np.float32))
    code, out, _ = run(["fit", tmp_path / "a.npy", "--dist", "gamma"], capsys)
    assert code == 0 and out == api_fit("gamma", sample.astype(np.float32)).summary() + "\n"
    np.save(tmp_path / "b.npy", np.column_stack([sample, sample * 2]))
    code, out, _ = run(["fit", tmp_path / "b.npy", "--column", "1", "--dist", "gamma"], capsys)
    assert code == 0 and out == api_fit("gamma", sample * 2).summary() + "\n"
    rec = np.zeros(sample.size, dtype=[("id", "i8"), ("t", "f8")])
    rec["id"] = np.arange(sample.size)
    rec["t"] = sample
    np.save(tmp_path / "c.npy", rec)
    code, out, _ = run(["fit", tmp_path / "c.npy", "--column", "t", "--dist", "gamma"], capsys)
    assert code == 0 and out == api_fit("gamma", sample).summary() + "\n"
    code, _, err = run(["fit", tmp_path / "c.npy", "--dist", "gamma"], capsys)
    assert code == 1 and "('id', 't')" in err


def test_parquet(tmp_path, sample, capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"name": [f"r{i}" for i in range(sample.size)], "x": sample,
                      "n": np.arange(sample.size)})
    path = tmp_path / "d.parquet"
    pq.write_table(table, path)
    code, out, _ = run(["fit", path, "--column", "x", "--dist", "gamma"], capsys)
    assert code == 0 and out == api_fit("gamma", sample).summary() + "\n"
    code, _, err = run(["fit", path, "--column", "name", "--dist", "gamma"], capsys)
    assert code == 1 and "column 'name' has type string, not numbers" in err
    code, _, err = run(["fit", path, "--dist", "gamma"], capsys)
    assert code == 1 and "2 numeric columns ('x', 'n')" in err
    holes = pa.table({"x": pa.array([1.0, None, 2.0, 3.0])})
    pq.write_table(holes, tmp_path / "holes.parquet")
    code, _, err = run(["fit", tmp_path / "holes.parquet", "--dist", "gamma"], capsys)
    assert code == 1 and "1 missing values" in err


def test_parquet_without_pyarrow_names_the_extra(tmp_path, monkeypatch, capsys):
    path = tmp_path / "d.parquet"
    path.write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    code, _, err = run(["fit", path, "--dist", "gamma"], capsys)
    assert code == 1
    assert err.strip() == "fastmle fit: error: reading Parquet needs pyarrow: pip install 'fastmle[parquet]'"


# -- the plot ----------------------------------------------------------------------------
def test_plot_files(tmp_path, sample, capsys):
    pytest.importorskip("matplotlib")
    path = write_csv(tmp_path / "d.csv", ["x"], [sample])
    for argv, name in ((["--dist", "gamma"], "one.png"), (["--candidates", "gamma,lognorm,norm,expon"], "top.png")):
        out_png = tmp_path / name
        code, out, err = run(["fit", path, *argv, "--plot", out_png], capsys)
        assert code == 0, err
        assert out_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_draws_what_the_api_draws(tmp_path, sample, monkeypatch, capsys):
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    saved = []
    monkeypatch.setattr(Figure, "savefig", lambda self, p, **kw: saved.append(self))
    path = write_csv(tmp_path / "d.csv", ["x"], [sample])
    run(["fit", path, "--candidates", "gamma,lognorm,norm,expon", "--plot", tmp_path / "p.png"], capsys)
    ax = saved[0].axes[0]
    ranking = api_select(sample, ["gamma", "lognorm", "norm", "expon"]).ranking
    assert [ln.get_label().split(" ")[0] for ln in ax.get_lines()] == ranking[:3]
    run(["fit", path, "--dist", "gamma", "--plot", tmp_path / "q.png"], capsys)
    ax = saved[1].axes[0]
    assert [ln.get_label() for ln in ax.get_lines()] == ["Fitted Distribution PDF"]
    assert "gamma" in ax.get_title()


def test_plot_without_matplotlib_fails_before_fitting(tmp_path, sample, monkeypatch, capsys):
    path = write_csv(tmp_path / "d.csv", ["x"], [sample])
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, out, err = run(["fit", path, "--dist", "gamma", "--plot", tmp_path / "p.png"], capsys)
    assert code == 1 and out == ""
    assert "--plot needs matplotlib: pip install 'fastmle[plot]'" in err
    assert not (tmp_path / "p.png").exists()


# -- errors: one line, non-zero exit ---------------------------------------------------------
def bad_files(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "header_only.csv").write_text("x,y\n")
    (tmp_path / "word.csv").write_text("x\n1.5\n2.5\nthree\n4.0\n")
    (tmp_path / "hole.csv").write_text("x,y\n1,2\n3,\n5,6\n")
    (tmp_path / "nan.csv").write_text("x\n1.5\nnan\n2.0\n")
    (tmp_path / "binary.dat").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "bad.npy").write_bytes(b"not an npy file")
    np.save(tmp_path / "text.npy", np.array(["a", "b"]))
    np.save(tmp_path / "empty.npy", np.array([]))
    (tmp_path / "ok.csv").write_text("x\n1.5\n2.5\n0.7\n")
    (tmp_path / "adir").mkdir()


@pytest.mark.parametrize("argv, message", [
    (["missing.csv"], "missing.csv: no such file"),
    (["adir"], "adir is a directory, not a data file"),
    (["empty.csv"], "empty.csv holds no data"),
    (["header_only.csv"], "header_only.csv holds a header (x, y) but no data rows"),
    (["word.csv", "--dist", "gamma"], "word.csv, line 4: column 'x': 'three' is not a number"),
    (["hole.csv", "--column", "y", "--dist", "gamma"], "hole.csv, line 3: column 'y': '' is not a number"),
    (["nan.csv", "--dist", "gamma"], "The data contains non-finite values: 1 of 3 observations"),
    (["binary.dat"], "binary.dat is not a text file"),
    (["bad.npy"], "bad.npy is not a readable .npy file"),
    (["text.npy"], "the data have dtype <U1, not numbers"),
    (["empty.npy"], "empty.npy holds no data"),
    (["ok.csv", "--column", "y"], "ok.csv: no column 'y'; its columns are 'x'"),
    (["ok.csv", "--column", "3"], "no column '3'; it has 1 columns (0 to 0): 'x'"),
    (["ok.csv", "--dist", "nosuch"], "fastmle cannot fit 'nosuch' yet"),
    (["ok.csv", "--f0", "2"], "--f0 fix(es) a shape"),
    (["ok.csv", "--dist", "gamma", "--criterion", "bic"], "--candidates and --criterion go with --dist auto"),
    (["ok.csv", "--dist", "poisson", "--fscale", "2"], "poisson is discrete and has no scale"),
    (["ok.csv", "--dist", "gamma", "--floc", "2"], "gamma: Invalid values in `data`"),
    (["ok.csv", "--candidates", "gamma,nosuch"], "fastmle cannot fit 'nosuch' yet"),
])
def test_errors_are_one_line_and_exit_1(tmp_path, monkeypatch, capsys, argv, message):
    bad_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["fit", *argv], capsys)
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fastmle fit: error: ")
    assert message in lines[0]
    assert "Traceback" not in err


def test_usage_errors_exit_2(capsys):
    code = None
    with pytest.raises(SystemExit) as exc:
        main(["fit"])
    assert exc.value.code == 2
    assert "the following arguments are required: FILE" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["fit", "x.csv", "--floc", "zero"])
    assert exc.value.code == 2 and code is None


def test_convergence_warning_is_one_line_on_stderr(tmp_path, capsys):
    x = np.random.default_rng(2).normal(10.0, 1.0, 500)
    path = write_csv(tmp_path / "n.csv", None, [x])
    code, out, err = run(["fit", path, "--dist", "lomax"], capsys)
    assert code == 0 and out == api_fit("lomax", x).summary() + "\n"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fastmle fit: warning: ConvergenceWarning: fastmle lomax fit")


def test_a_reader_that_stops_early_is_not_an_error(monkeypatch, capsys):
    """``fastmle fit data.csv | head -1``: the write that finds the pipe closed
    ends the command with status 0, nothing on stderr, and stdout moved to
    devnull so the interpreter's last flush cannot raise again."""
    import os

    import fastmle._cli_fit as cli_fit

    def closed_pipe(args):
        raise BrokenPipeError(32, "Broken pipe")

    redirected = []
    monkeypatch.setattr(cli_fit, "main_fit", closed_pipe)
    monkeypatch.setattr(os, "dup2", lambda fd, fd2: redirected.append(fd2))
    monkeypatch.setattr(sys.stdout, "fileno", lambda: 1, raising=False)
    assert main(["fit", "whatever.csv"]) == 0
    assert capsys.readouterr().err == ""
    assert redirected == [1]
