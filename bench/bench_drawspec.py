"""Time the draw engine (campaigns/drawspec.py) on a synthetic register.

Builds a manifest like a large real campaign: N enterprises in 4 credit strata (A/B/C/D with
ratios 3/5/10/20 %, sized so that about 4 % of the register is selected), 500 inspectors in 3
departments with expertise tags, 3 slots per team and some exclusions. Then it times what the
platform does (validate and hash the manifest, draw, serialise the document) and what the
public and an auditor do (verify without and with the exclusion list), and prints the peak
memory of the process.

    python bench/bench_drawspec.py                       # 100,000 enterprises
    python bench/bench_drawspec.py --enterprises 1000000

Plain Python, no Django. Figures and the machine they ran on go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaigns import drawspec

# Share of the register in each stratum, and its ratio in %: 4.2 % selected overall.
STRATA = (
    ("A级（低风险）", 0.70, 3),
    ("B级（一般风险）", 0.22, 5),
    ("C级（较高风险）", 0.06, 10),
    ("D级（高风险）", 0.02, 20),
)
DEPARTMENTS = (
    ("石家庄市应急管理局", 300),
    ("石家庄市市场监督管理局", 120),
    ("石家庄市消防救援支队", 80),
)
TAGS = ("危险化学品", "工贸", "非煤矿山", "烟花爆竹", "职业健康")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
REGIONS = ("130102", "130104", "130105", "130108", "130109", "130110", "130123", "130181")


def make_usccs(count: int, rng: random.Random) -> list[str]:
    usccs: set[str] = set()
    while len(usccs) < count:
        first_17 = "91" + rng.choice(REGIONS) + "".join(rng.choices(USCC_ALPHABET, k=9))
        usccs.add(first_17 + drawspec._uscc_check_character(first_17))
    return sorted(usccs)


def make_bundle(enterprises: int, seed: int = 20240601) -> tuple[dict, list[list[str]]]:
    rng = random.Random(seed)
    register = make_usccs(enterprises, rng)
    rng.shuffle(register)
    strata, start = [], 0
    for number, (label, share, ratio) in enumerate(STRATA):
        size = enterprises - start if number == len(STRATA) - 1 else round(enterprises * share)
        members = sorted(register[start : start + size])
        start += size
        quota = min(size, math.ceil(size * ratio / 100))
        strata.append({"label": label, "ratio": str(ratio), "quota": quota, "members": members})
    pool, serial = [], 0
    for department, count in DEPARTMENTS:
        for _ in range(count):
            serial += 1
            tags = sorted(rng.sample(TAGS, k=rng.choice((1, 1, 2))))
            pool.append({"id": f"1301{serial:07d}", "department": department, "tags": tags})
    slots = [
        {"department": DEPARTMENTS[0][0], "tag": "危险化学品"},
        {"department": DEPARTMENTS[0][0], "tag": None},
        {"department": DEPARTMENTS[1][0], "tag": None},
    ]
    total_selected = sum(stratum["quota"] for stratum in strata)
    # About one exclusion per hundred enterprises; some land on selected enterprises.
    exclusions = drawspec.canonical_exclusions(
        [rng.choice(register), rng.choice(pool)["id"]] for _ in range(enterprises // 100)
    )
    manifest = {
        "campaign": "石应急抽〔2024〕3号",
        "strata": strata,
        "pool": pool,
        "slots": slots,
        "cap": math.ceil(total_selected * len(slots) / len(pool)),
        "alternates": 5,
        "exclusions_sha256": drawspec.exclusions_digest(exclusions),
    }
    return manifest, exclusions


def timed(label: str, function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    print(f"{label:<44} {time.perf_counter() - started:7.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    enterprises = parser.parse_args().enterprises
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}")
    manifest, exclusions = timed(
        f"build synthetic data ({enterprises:,})", make_bundle, enterprises
    )
    selected = sum(stratum["quota"] for stratum in manifest["strata"])
    print(
        f"  {selected:,} to select, {len(manifest['pool'])} inspectors, "
        f"{len(manifest['slots'])} slots, cap {manifest['cap']}, {len(exclusions):,} exclusions"
    )
    sources = ["5f" * 32, "福利彩票快乐8 第2024128期开奖号码 03 07 11 19 24 31 42 55 61 78"]
    started = time.perf_counter()
    problems = timed("freeze: manifest_problems", drawspec.manifest_problems, manifest)
    assert not problems, problems[:3]
    timed("freeze: manifest_sha256", lambda: drawspec.sha256_hex(drawspec.canonical_json(manifest)))
    document = timed(
        "draw (validates and hashes again)", drawspec.draw, manifest, exclusions, sources
    )
    text = timed("save: json.dumps(indent=2)", json.dumps, document, ensure_ascii=False, indent=2)
    print(f"{'freeze + draw + save':<44} {time.perf_counter() - started:7.2f} s")
    print(f"  document: {len(text.encode()) / 1e6:.1f} MB")
    del text
    checks = timed("verify without exclusions (public)", drawspec.verify, document)
    assert [check.status for check in checks] == ["passed", "passed", "passed", "skipped", "passed"]
    checks = timed("verify with exclusions (auditor)", drawspec.verify, document, exclusions)
    assert all(check.status == "passed" for check in checks), checks
    over_cap = sum(bool(entry["over_cap"]) for entry in document["result"]["selected"])
    print(f"  {over_cap:,} of {selected:,} teams have an over-cap slot")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"{'peak memory (max RSS)':<44} {peak_kib / 1024:7.0f} MiB")


if __name__ == "__main__":
    main()
