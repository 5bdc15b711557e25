"""Raking (surveys/weights.py): margins met on every dimension at once, the missing held,
absent groups named, weights trimmed, Kish's design effect; and the same weights and weighted
share as R's `survey` package (Debian's r-cran-survey), the reference implementation.

The R check is skipped when Rscript or the package is missing, except under CI=true."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from commonbeat.engagement.surveys.weights import kish_deff, rake

AGE = {"18_34": 3000, "35_64": 5000, "65_plus": 2000}
SEX = {"female": 5200, "male": 4800}
RACE = {"white": 4000, "black": 3500, "hispanic": 2500}


def _sample(n: int, seed: int = 3) -> dict[str, list[str | None]]:
    # A sample skewed old, female and white, as volunteered samples often are.
    rng = np.random.default_rng(seed)
    groups: dict[str, list[str | None]] = {
        "age": list(rng.choice(list(AGE), n, p=[0.15, 0.45, 0.40])),
        "sex": list(rng.choice(list(SEX), n, p=[0.62, 0.38])),
        "race": list(rng.choice(list(RACE), n, p=[0.6, 0.25, 0.15])),
    }
    return groups


def _weighted_margins(groups: dict[str, list[str | None]], w: np.ndarray) -> dict[str, dict]:
    return {
        d: {g: float(w[np.asarray(groups[d]) == g].sum()) for g in set(groups[d]) if g}
        for d in groups
    }


def test_raking_meets_every_margin_and_sums_to_the_population() -> None:
    groups = _sample(400)
    raked = rake(groups, {"age": AGE, "sex": SEX, "race": RACE}, total=10_000, trim=None)
    assert raked.converged and raked.absent == [] and raked.unmatched == []
    assert raked.weights.sum() == pytest.approx(10_000)
    margins = _weighted_margins(groups, raked.weights)
    for dimension, counts in (("age", AGE), ("sex", SEX), ("race", RACE)):
        assert margins[dimension] == pytest.approx(counts, rel=1e-6)
    assert 1.0 < kish_deff(raked.weights) < 3.0


def test_the_missing_keep_their_weight_and_absent_groups_are_named() -> None:
    groups: dict[str, list[str | None]] = {
        "age": ["18_34"] * 5 + ["35_64"] * 15 + [None] * 5 + ["prefer_not"] * 5
    }
    raked = rake(groups, {"age": AGE}, trim=None)
    w = raked.weights
    assert w[20:].sum() == pytest.approx(10)  # 10 of 30 gave no age: a third of the weight
    assert w[:5].sum() / w[5:20].sum() == pytest.approx(3000 / 5000)  # 65+ has nobody
    assert raked.absent == ["age:65_plus"] and raked.unmatched == ["age:prefer_not"]


def test_trimming_caps_a_lone_respondent_from_a_rare_group() -> None:
    lone: list[str | None] = ["18_34"]
    groups = {"age": lone + ["65_plus"] * 99}
    counts = {"18_34": 5000, "65_plus": 5000}
    untrimmed = rake(groups, {"age": counts}, trim=None)
    assert untrimmed.weights[0] / untrimmed.weights.mean() == pytest.approx(50, rel=1e-6)
    trimmed = rake(groups, {"age": counts})
    assert trimmed.trimmed == 1 and not trimmed.converged  # the caps win over the margins
    assert trimmed.weights[0] / trimmed.weights.mean() <= 5.0 + 1e-6
    assert trimmed.weights.sum() == pytest.approx(100)
    assert kish_deff(trimmed.weights) < kish_deff(untrimmed.weights)


def test_kish_design_effect() -> None:
    assert kish_deff(np.ones(10)) == pytest.approx(1.0)
    assert kish_deff(np.array([1.0, 3.0])) == pytest.approx(2 * 10 / 16)


R_SCRIPT = r"""
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = TRUE)
design <- svydesign(ids = ~1, weights = ~1, data = d)
pop <- function(name, counts) {
  out <- data.frame(level = names(counts), Freq = as.numeric(counts))
  names(out)[1] <- name
  out
}
margins <- list(pop("age", c(`18_34` = 3000, `35_64` = 5000, `65_plus` = 2000)),
                pop("sex", c(female = 5200, male = 4800)),
                pop("race", c(white = 4000, black = 3500, hispanic = 2500)))
raked <- rake(design, list(~age, ~sex, ~race), margins,
              control = list(maxit = 500, epsilon = 1e-10, verbose = FALSE))
share <- svymean(~safe, raked)
write.csv(data.frame(weight = format(weights(raked), digits = 17)), args[2], row.names = FALSE)
writeLines(c(format(coef(share)[[1]], digits = 17), format(SE(share)[[1]], digits = 17)), args[3])
"""


def _rscript_with_survey() -> str:
    found = shutil.which("Rscript")
    has_package = found is not None and (
        subprocess.run(  # noqa: S603  Rscript found on PATH, fixed arguments
            [found, "-e", "quit(status = !requireNamespace('survey', quietly = TRUE))"],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    if not has_package:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI=true but R's survey package is missing: `apt-get install r-cran-survey`."
            )
        pytest.skip("No Rscript with the survey package (Debian's r-cran-survey).")
    assert found is not None
    return found


def test_raked_weights_and_share_match_r_survey(tmp_path: Path) -> None:
    rscript = _rscript_with_survey()
    groups = _sample(500, seed=11)
    rng = np.random.default_rng(5)
    safe = rng.random(500) < np.where(np.asarray(groups["race"]) == "white", 0.7, 0.45)
    with (tmp_path / "sample.csv").open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["age", "sex", "race", "safe"])
        for i in range(500):
            writer.writerow([groups["age"][i], groups["sex"][i], groups["race"][i], int(safe[i])])
    (tmp_path / "rake.R").write_text(R_SCRIPT)
    subprocess.run(  # noqa: S603  Rscript found on PATH, our own script and files
        [rscript, str(tmp_path / "rake.R"), str(tmp_path / "sample.csv"),
         str(tmp_path / "weights.csv"), str(tmp_path / "share.txt")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with (tmp_path / "weights.csv").open() as stream:
        theirs = np.array([float(row["weight"]) for row in csv.DictReader(stream)])
    ours = rake(groups, {"age": AGE, "sex": SEX, "race": RACE}, total=10_000, trim=None)
    assert ours.weights == pytest.approx(theirs, rel=1e-6)
    r_share, r_se = (float(x) for x in (tmp_path / "share.txt").read_text().split())
    our_share = float(np.sum(ours.weights * safe) / ours.weights.sum())
    assert our_share == pytest.approx(r_share, rel=1e-9)
    # R's linearised standard error accounts for the raking; our Kish-based one is the usual
    # approximation: it must be of the same size (within a fifth), not identical.
    n_eff = 500 / kish_deff(ours.weights)
    kish_se = np.sqrt(our_share * (1 - our_share) / n_eff)
    assert kish_se == pytest.approx(r_se, rel=0.2)
