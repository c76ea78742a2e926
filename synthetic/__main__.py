"""``python -m synthetic OUT.mp4 [--preset NAME] [--param key=value ...] [--seed N]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from synthetic.clip import generate, truth_path
from synthetic.params import JumpParams, parse_value
from synthetic.presets import PRESETS


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m synthetic", description="Render a synthetic jump-rope clip.")
    ap.add_argument("out", type=Path, help="output .mp4; the truth goes to OUT.truth.json")
    ap.add_argument("--preset", default="clean_front", help=f"one of: {', '.join(sorted(PRESETS))}")
    ap.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                    help="override a JumpParams field (JSON value), e.g. --param camera_yaw_deg=90")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--random", type=int, default=None, metavar="SEED",
                    help="the randomised suite's clip SEED (synthetic.randomise.draw_clip); its seed is SEED too, "
                         "--param still overrides")
    ap.add_argument("--crf", type=int, default=None, help="x264 quality (higher = smaller file; default: the crf parameter, 23)")
    args = ap.parse_args(argv)
    if args.preset not in PRESETS:
        ap.error(f"unknown preset {args.preset!r}; expected one of {sorted(PRESETS)}")
    d = dict(PRESETS[args.preset])
    if args.random is not None:
        from synthetic.randomise import draw_clip  # noqa: PLC0415

        if args.random < 0:
            ap.error(f"--random expects a seed >= 0, got {args.random}")
        d = draw_clip(args.random)[0].to_dict()
        args.seed = args.random
    for item in args.param:
        if "=" not in item:
            ap.error(f"--param expects KEY=VALUE, got {item!r}")
        k, v = item.split("=", 1)
        d[k.strip()] = parse_value(v.strip())
    try:
        params = JumpParams.from_dict(d)
    except (ValueError, TypeError) as exc:
        ap.error(str(exc))
    truth = generate(params, args.out, seed=args.seed, crf=args.crf)
    print(f"wrote {args.out} ({truth['n_frames']} frames, {truth['width']}x{truth['height']} @ {truth['fps']:g} fps, "
          f"{len(truth['jumps'])} jumps, faults: {[f['rule'] for f in truth['faults']] or 'none'}) "
          f"and {truth_path(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
